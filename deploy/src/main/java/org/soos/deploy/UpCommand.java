package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.time.SimClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soos up}: starts a local constellation ({@link LocalConstellation}) and watches it until
 * Ctrl-C, which stops every JVM it started.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Start a local constellation: a scheduler and tile-nodes, one Akka cluster.",
    description = {
      "Start a local constellation on this machine: one scheduler JVM and N tile-node JVMs on 127.0.0.1 "
          + "forming one Akka cluster, in simulated time warped so that an orbit passes in about 95 s at 60x. "
          + "Logs and the journal go to the run folder. Ctrl-C stops every JVM it started."
    },
    footer = {
      "",
      "Examples:",
      "  soos up",
      "  soos up --planes 4 --tiles-per-plane 8 --tile-nodes 3 --warp 120",
      "  soos up --tle deploy/examples/walker-small.tle",
      "  soos up --sim-start 2026-03-20T00:00:00Z --warp 300",
      "  soos up --sun-synchronous --ltan-hours 10.5 --warp 300",
      "  soos up --demo       also submit the sample jobs of deploy/examples",
      "  soos up --schedulers 2 --journal postgres --jdbc-url jdbc:postgresql://127.0.0.1:5432/test --jdbc-user postgres",
      "  soos up --tls        cluster over TLS 1.3 with mutual authentication (a new CA in the run folder)"
    })
final class UpCommand implements Callable<Integer> {
  private static final DateTimeFormatter RUN_DIR_NAME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Duration STATUS_EVERY = Duration.ofSeconds(10);

  /** The most copies of each demo job spec, given or computed. */
  static final int MAX_DEMO_COPIES = 1000;

  @Spec CommandSpec spec;

  @Mixin ConstellationOptions constellation;

  @Option(names = "--tile-nodes", paramLabel = "N", defaultValue = "2",
      description = "tile-node JVMs; TILE k runs on tile-node k mod N (default: ${DEFAULT-VALUE}).")
  int tileNodes;

  @Option(names = "--warp", paramLabel = "X", defaultValue = "60",
      description = "Simulated seconds per wall second, > 0 (default: ${DEFAULT-VALUE}: one orbit in ~95 s).")
  double warp;

  @Option(names = "--sim-start", paramLabel = "ISO-8601", converter = InstantConverter.class,
      description = "Simulated UTC instant at launch, e.g. 2026-03-20T00:00:00Z (default: now, to the second).")
  Instant simStart;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Scheduler HTTP API port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--akka-port", paramLabel = "PORT", defaultValue = "2551",
      description = "Akka remoting port of the scheduler; tile-node i gets PORT+1+i (default: ${DEFAULT-VALUE}).")
  int akkaPort;

  @Option(names = "--management-port", paramLabel = "PORT", defaultValue = "8558",
      description = "Akka Management port of the scheduler; tile-node i gets PORT+1+i (default: ${DEFAULT-VALUE}).")
  int managementPort;

  @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "512m",
      description = "Maximum heap of each JVM, as for -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Folder for logs and the journal (default: run/<UTC timestamp> in the SOOS folder).")
  Path runDir;

  @Option(names = "--demo",
      description = "Once the constellation is up, submit a demo workload: the job specs of "
          + "deploy/examples/eclipse-demo (see --demo-copies, --demo-jobs).")
  boolean demo;

  @Option(names = "--demo-copies", paramLabel = "N",
      description = "With --demo: how many of each job spec, 1.." + MAX_DEMO_COPIES + " (default: enough for "
          + "7 in 8 of the constellation's Orins, so that some TILEs run more than their battery carries "
          + "through the next eclipse and jobs move ahead of it to TILEs with a free Orin).")
  Integer demoCopies;

  @Option(names = "--demo-jobs", paramLabel = "DIR",
      description = "With --demo: the folder of job specs (*.json) to submit (default: deploy/examples/eclipse-demo; "
          + "deploy/examples holds five different ones).")
  Path demoJobs;

  @Option(names = "--run-file", paramLabel = "FILE",
      description = "Where to name this process for 'soos down' and 'soos status' (default: run/" + RunFile.FILE_NAME
          + " in the SOOS folder).")
  Path runFile;

  @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "How long to wait for the scheduler, and then for every TILE to report (default: ${DEFAULT-VALUE}).")
  int startTimeoutSeconds;

  @Option(names = "--schedulers", paramLabel = "N", defaultValue = "1",
      description = "Scheduler JVMs, 1..5 (default: ${DEFAULT-VALUE}). Scheduler j serves HTTP on --http-port + j; "
          + "all share the journal. More than one is for failover: use --journal postgres.")
  int schedulers;

  @Option(names = "--journal", paramLabel = "KIND", defaultValue = "h2",
      description = "h2 (a file in the run folder; several schedulers on one host share it over H2's AUTO_SERVER) "
          + "or postgres (a shared server: --jdbc-url, --jdbc-user, password from SOOS_JDBC_PASSWORD) "
          + "(default: ${DEFAULT-VALUE}).")
  String journal;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "With --journal postgres: the JDBC URL (default: SOOS_JDBC_URL, else jdbc:postgresql://127.0.0.1:5432/soos).")
  String jdbcUrl;

  @Option(names = "--jdbc-user", paramLabel = "USER",
      description = "With --journal postgres: the database user (default: SOOS_JDBC_USER, else soos).")
  String jdbcUser;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "Run Artery over TLS 1.3 with mutual authentication, with the credentials `soos certs --out DIR` "
          + "made for nodes scheduler, tile-node-0, ... (see docs/SECURITY.md).")
  Path tlsDir;

  @Option(names = "--tls",
      description = "Like --tls-dir, with a new CA and node certificates made in <run folder>/certs.")
  boolean tls;

  @Override
  public Integer call() throws Exception {
    validate();
    if (tls && tlsDir != null) {
      throw new ParameterException(spec.commandLine(), "--tls and --tls-dir exclude each other");
    }
    Instant wallAnchor = Instant.now();
    Instant start = simStart != null ? simStart : wallAnchor.truncatedTo(ChronoUnit.SECONDS);
    List<TileOrbit> tiles = constellation.tiles(start);
    if (tileNodes > tiles.size()) {
      throw new ParameterException(spec.commandLine(), "--tile-nodes " + tileNodes + " is more than the "
          + tiles.size() + " TILEs of the constellation: some tile-nodes would host none");
    }
    Path dir = (runDir != null ? runDir : defaultRunDir(wallAnchor)).toAbsolutePath().normalize();
    Path pidFile = (runFile != null ? runFile : RunFile.defaultPath()).toAbsolutePath().normalize();
    Optional<RunFile> other = RunFile.read(pidFile).filter(r -> r.process().isPresent());
    if (other.isPresent()) {
      throw new IllegalStateException("a constellation is already running (pid " + other.get().pid() + ", "
          + other.get().url() + "): 'soos down' stops it, or give this one another --run-file and other ports");
    }

    PrintStream out = System.out;
    out.println("constellation: " + constellation.describe() + " = " + tiles.size() + " TILEs on "
        + tileNodes + " tile-node JVM" + (tileNodes == 1 ? "" : "s"));
    out.println("simulated time: starts " + start + ", warp " + ConstellationOptions.num(warp) + "x");
    out.println("run folder: " + dir);

    LocalConstellation local = LocalConstellation.builder()
        .runDir(dir)
        .akkaPortBase(akkaPort)
        .httpPort(httpPort)
        .managementPortBase(managementPort)
        .tileNodes(tileNodes)
        .schedulers(schedulers)
        .heap(heap)
        .simStart(start)
        .wallAnchor(wallAnchor)
        .warp(warp)
        .constellation(constellation.settings())
        .progress(out)
        .systemProperties(journalProperties())
        .tlsDir(tls ? dir.resolve("certs") : tlsDir != null ? tlsDir.toAbsolutePath().normalize() : null)
        // A crashed tile-node is started again, at most 5 times within 5 minutes (as the Jetson unit).
        .tileNodeRestarts(LocalConstellation.RestartPolicy.DEFAULT)
        .build();
    List<String> nodeNames = local.nodes().stream().map(LocalConstellation.Node::name).toList();
    if (tlsDir != null) {
      String missing = TlsCredentials.missing(local.options().tlsDir(), nodeNames);
      if (!missing.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--tls-dir: " + missing
            + " (make them with: soos certs --out " + tlsDir + " --nodes " + String.join(",", nodeNames) + ")");
      }
    }
    checkPortsFree();
    if (tls) {
      out.println("cluster TLS: making a CA and node certificates in " + dir.resolve("certs") + "...");
      TlsCredentials.issue(dir.resolve("certs"), nodeNames);
    }
    if (local.options().tlsDir() != null) {
      out.println("cluster TLS: on (TLSv1.3, mutual authentication), credentials in " + local.options().tlsDir());
    }
    RunFile.ofThisProcess(dir, local.scheduler().baseUri().toString(), local.managementMembersUrl(), wallAnchor)
        .write(pidFile);
    out.println("run file: " + pidFile + " ('soos down' stops this constellation)");
    Thread stopper = new Thread(() -> stop(out, local, dir, pidFile), "soos-stop");
    Runtime.getRuntime().addShutdownHook(stopper);

    try {
      Duration timeout = Duration.ofSeconds(startTimeoutSeconds);
      local.start(timeout);
      LocalConstellation.TilesSeen seen = local.awaitTiles(tiles.size(), timeout);
      if (!seen.complete()) {
        out.printf("only %d of %d TILEs reported within %d s; carrying on (see the tile-node logs in %s)%n",
            seen.tiles().size(), tiles.size(), startTimeoutSeconds, dir);
      }
      if (demo) {
        submitDemo(out, local, dir, orinCount(seen, tiles.size()));
      }
      printUrls(out, local);
      watch(out, local, SimClock.warped(start, wallAnchor, warp));
      return 0; // not reached: watch returns only by failing
    } catch (LocalConstellation.ChildExitedException e) {
      out.println();
      out.println("FAILED: " + e.getMessage());
      printLogTail(out, e.child().node().log());
      stop(out, local, dir, pidFile);
      return SoosCli.EXIT_FAILURE;
    } catch (IllegalStateException e) {
      out.println();
      out.println("FAILED: " + e.getMessage());
      stop(out, local, dir, pidFile);
      return SoosCli.EXIT_FAILURE;
    }
  }

  /** Submits the demo workload; a refusal is reported and the constellation keeps running. */
  private void submitDemo(PrintStream out, LocalConstellation local, Path dir, int orins) throws InterruptedException {
    Path examples = demoJobs != null ? demoJobs.toAbsolutePath().normalize() : DemoWorkload.defaultExamples();
    JobApiClient client = new JobApiClient(local.scheduler().baseUri(),
        java.util.Optional.ofNullable(System.getenv(ApiOptions.TOKEN_ENV)).filter(t -> !t.isBlank()),
        Duration.ofSeconds(15));
    try {
      List<Path> specs = DemoWorkload.specs(examples);
      int copies = demoCopies != null ? demoCopies : DemoWorkload.defaultCopies(orins, specs.size(), MAX_DEMO_COPIES);
      out.println("demo workload: " + copies + " of each of " + specs.size() + " job spec" + (specs.size() == 1 ? "" : "s")
          + " in " + examples + " (" + copies * specs.size() + " jobs for " + orins + " Orins)");
      DemoWorkload.submit(client, specs, copies, dir.getFileName().toString(), out);
      out.println("  watch them: soos jobs   (or curl -N " + local.scheduler().url("/v1/events") + ")");
    } catch (IOException e) {
      out.println("  demo workload not submitted: " + e.getMessage());
    }
  }

  /**
   * The constellation's Orins, counted from the TILEs' reports; TILEs that have not reported count as many as
   * the average of those that have (four, the reference TILE, when none has).
   */
  private static int orinCount(LocalConstellation.TilesSeen seen, int tiles) {
    int orins = 0;
    for (com.fasterxml.jackson.databind.JsonNode t : seen.tiles()) orins += t.path("orins").size();
    if (seen.tiles().isEmpty() || orins == 0) return 4 * tiles;
    return (int) Math.round((double) orins * tiles / seen.tiles().size());
  }

  /** Stops every JVM of the constellation, then removes the run file (once; the shutdown hook calls it too). */
  private static void stop(PrintStream out, LocalConstellation local, Path dir, Path pidFile) {
    synchronized (local) {
      if (local.isClosed()) {
        return;
      }
      out.println();
      out.println("stopping the constellation...");
      local.close();
      try {
        RunFile.read(pidFile).filter(r -> r.pid() == ProcessHandle.current().pid()).ifPresent(r -> {
          try {
            java.nio.file.Files.deleteIfExists(pidFile);
          } catch (IOException e) {
            out.println("cannot remove the run file " + pidFile + ": " + e.getMessage());
          }
        });
      } catch (IOException e) {
        out.println("cannot read the run file " + pidFile + ": " + e.getMessage());
      }
      out.println("all stopped; logs in " + dir);
    }
  }

  private void printUrls(PrintStream out, LocalConstellation local) {
    SchedulerClient api = local.scheduler();
    out.println();
    out.println("SOOS is up. Open:");
    out.println("  " + api.url("/") + "               the dashboard (constellation, TILEs, jobs, live)");
    out.println("  " + api.url("/v1/tiles") + "      every TILE's latest report");
    out.println("  " + api.url("/v1/planes") + "     one summary per orbital plane");
    out.println("  " + api.url("/v1/jobs") + "       jobs (soos submit FILE, soos jobs, soos job ID)");
    for (LocalConstellation.Node n : local.nodes()) {
      if (n.role().equals("scheduler") && n.index() > 0) {
        out.println("  " + local.scheduler(n.name()).url("/v1/jobs") + "       the same API on " + n.name());
      }
    }
    out.println("  " + local.managementMembersUrl() + "   cluster members (Akka Management)");
    out.println("Ctrl-C (or 'soos down' elsewhere) stops everything. Status every " + STATUS_EVERY.toSeconds() + " s:");
  }

  /** Prints a status line every ten seconds until a child exits (then throws). */
  private void watch(PrintStream out, LocalConstellation local, SimClock clock) throws InterruptedException {
    long nextStatus = System.nanoTime();
    while (true) {
      survivableSchedulerExit(out, local);
      if (System.nanoTime() >= nextStatus) {
        Optional<String> line = statusLine(local, clock);
        survivableSchedulerExit(out, local);
        if (!local.isClosing()) {
          line.ifPresent(out::println);
        }
        nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
      }
      Thread.sleep(250);
    }
  }

  /**
   * With several schedulers, one that exits is reported and forgotten while another runs (the cluster
   * fails over to it); any other exit ends the run as before.
   */
  private static void survivableSchedulerExit(PrintStream out, LocalConstellation local) {
    Optional<LocalConstellation.ExitedChild> exited = local.exitedChild();
    if (exited.isEmpty()) return;
    LocalConstellation.Node node = exited.get().node();
    if (node.role().equals("scheduler") && liveScheduler(local).filter(n -> !n.equals(node.name())).isPresent()) {
      local.forget(node.name());
      out.println(exited.get().describe() + "; the other schedulers take over its jobs (soos up keeps running)");
      return;
    }
    throw new LocalConstellation.ChildExitedException(exited.get());
  }

  /** The first scheduler whose JVM is running. */
  private static Optional<String> liveScheduler(LocalConstellation local) {
    return local.nodes().stream().filter(n -> n.role().equals("scheduler"))
        .filter(n -> local.pidOf(n.name()).isPresent() && ProcessHandle.of(local.pidOf(n.name()).getAsLong())
            .map(ProcessHandle::isAlive).orElse(false))
        .map(LocalConstellation.Node::name).findFirst();
  }

  /** "sim 2026-03-20T00:31:10Z  12 TILEs: 8 sunlit, 4 eclipsed  (planes: p0 3/1, ...)" from /v1/planes. */
  static Optional<String> statusLine(LocalConstellation local, SimClock clock) {
    String sim = "sim " + clock.now().truncatedTo(ChronoUnit.SECONDS);
    List<JsonNode> planes;
    try {
      planes = local.scheduler(liveScheduler(local).orElse(LocalConstellation.schedulerName(0))).planes();
    } catch (IOException e) {
      return Optional.of(sim + "  (scheduler not answering: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(sim + "  " + summarize(planes));
  }

  /** The TILE counts of a {@code /v1/planes} body. */
  static String summarize(List<JsonNode> planes) {
    int tiles = 0;
    int sunlit = 0;
    int eclipsed = 0;
    int stale = 0;
    List<String> perPlane = new ArrayList<>();
    for (JsonNode p : planes) {
      tiles += p.path("tileCount").asInt();
      sunlit += p.path("sunlitCount").asInt();
      eclipsed += p.path("eclipsedCount").asInt();
      stale += p.path("staleCount").asInt();
      perPlane.add(p.path("planeId").asText("?") + " " + p.path("sunlitCount").asInt() + "/" + p.path("eclipsedCount").asInt());
    }
    StringBuilder s = new StringBuilder();
    s.append(tiles).append(" TILEs: ").append(sunlit).append(" sunlit, ").append(eclipsed).append(" eclipsed");
    if (stale > 0) {
      s.append(", ").append(stale).append(" silent");
    }
    if (!perPlane.isEmpty()) {
      s.append("  (sunlit/eclipsed per plane: ").append(String.join(", ", perPlane)).append(")");
    }
    return s.toString();
  }

  /** The {@code -D} settings of the chosen journal (the password stays in the environment). */
  Map<String, String> journalProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("soos.journal", journal);
    if (jdbcUrl != null) p.put("akka-persistence-jdbc.shared-databases.postgres.db.url", jdbcUrl);
    if (jdbcUser != null) p.put("akka-persistence-jdbc.shared-databases.postgres.db.user", jdbcUser);
    return p;
  }

  private void validate() {
    if (schedulers < 1 || schedulers > 5) {
      throw new ParameterException(spec.commandLine(), "--schedulers must be in 1..5, got: " + schedulers);
    }
    if (!journal.equals("h2") && !journal.equals("postgres")) {
      throw new ParameterException(spec.commandLine(), "--journal must be h2 or postgres, got: " + journal);
    }
    if ((jdbcUrl != null || jdbcUser != null) && !journal.equals("postgres")) {
      throw new ParameterException(spec.commandLine(), "--jdbc-url and --jdbc-user need --journal postgres");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new ParameterException(spec.commandLine(), "--jdbc-url must start with jdbc:postgresql://, got: " + jdbcUrl);
    }
    if (tileNodes < 1 || tileNodes > 64) {
      throw new ParameterException(spec.commandLine(), "--tile-nodes must be in 1..64, got: " + tileNodes);
    }
    if (!(warp > 0) || warp > 100_000 || Double.isNaN(warp)) {
      throw new ParameterException(spec.commandLine(), "--warp must be > 0 and <= 100000, got: " + ConstellationOptions.num(warp));
    }
    requirePort("--http-port", httpPort, schedulers - 1);
    requirePort("--akka-port", akkaPort, schedulers - 1 + tileNodes);
    requirePort("--management-port", managementPort, schedulers - 1 + tileNodes);
    if (!heap.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw new ParameterException(spec.commandLine(), "--heap must be a size like 512m or 2g, got: " + heap);
    }
    if (demoJobs != null && !demo) {
      throw new ParameterException(spec.commandLine(), "--demo-jobs needs --demo");
    }
    if (demoJobs != null && !java.nio.file.Files.isDirectory(demoJobs)) {
      throw new ParameterException(spec.commandLine(), "--demo-jobs: no such folder: " + demoJobs);
    }
    if (demoCopies != null && !demo) {
      throw new ParameterException(spec.commandLine(), "--demo-copies needs --demo");
    }
    if (demoCopies != null && (demoCopies < 1 || demoCopies > MAX_DEMO_COPIES)) {
      throw new ParameterException(spec.commandLine(),
          "--demo-copies must be in 1.." + MAX_DEMO_COPIES + ", got: " + demoCopies);
    }
    if (startTimeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--start-timeout must be at least 1 second, got: " + startTimeoutSeconds);
    }
    constellation.validate();
  }

  private void requirePort(String option, int port, int extra) {
    if (port < 1 || port + extra > 65535) {
      throw new ParameterException(spec.commandLine(), option + " must be a TCP port in 1.." + (65535 - extra)
          + (extra > 0 ? " (with room for " + extra + " more ports after it)" : "") + ", got: " + port);
    }
  }

  /** Fails with a clear message when a port the constellation needs is taken. */
  private void checkPortsFree() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<String[]> wanted = new ArrayList<>();
    for (int j = 0; j < schedulers; j++) {
      wanted.add(new String[] {"--http-port", Integer.toString(httpPort + j)});
    }
    for (int i = 0; i < schedulers + tileNodes; i++) {
      wanted.add(new String[] {"--akka-port", Integer.toString(akkaPort + i)});
      wanted.add(new String[] {"--management-port", Integer.toString(managementPort + i)});
    }
    for (String[] w : wanted) {
      int port = Integer.parseInt(w[1]);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(loopback, port));
      } catch (IOException e) {
        throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use (" + w[0]
            + "): is another constellation running? Stop it, or choose other ports with " + w[0]);
      }
    }
  }

  private static Path defaultRunDir(Instant now) {
    String home = System.getProperty("soos.home");
    Path root = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
    return root.resolve("run").resolve(RUN_DIR_NAME.format(now));
  }

  private static void printLogTail(PrintStream out, Path log) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log);
      int from = Math.max(0, lines.size() - 15);
      out.println("last lines of " + log + ":");
      for (String l : lines.subList(from, lines.size())) {
        out.println("  | " + l);
      }
    } catch (IOException | RuntimeException e) {
      out.println("(cannot read " + log + ": " + e.getMessage() + ")");
    }
  }
}
