package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.soos.deploy.check.ClusterConvergence;
import org.soos.deploy.check.HistoryChecker;
import org.soos.deploy.check.JournalWriters;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;

/**
 * What the pause, partition and flapping fault tests (RELIABILITY.md faults 3, 4, 5) share: a
 * {@link LocalConstellation} of real JVMs on the production downing settings (cluster-downing.conf,
 * nothing overridden), optionally one loopback address per JVM and a PostgreSQL journal shared by
 * several schedulers; job submission and polling over HTTP; SIGSTOP/SIGCONT; the members' own view of
 * the cluster (Akka Management); and, on close, every JVM stopped, its log kept under
 * {@code target/failsafe-reports/<test>-<node>.log} and the throw-away schema dropped.
 */
final class FaultRig implements AutoCloseable {
  static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);

  final LocalConstellation local;
  final String testName;
  private final String pgSchema;
  private final Set<String> paused = new LinkedHashSet<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** How to start one rig. */
  record Plan(String testName, Path runDir, int schedulers, int tileNodes, List<String> addresses, boolean postgres,
      double warp, Map<String, String> constellation) {}

  private FaultRig(LocalConstellation local, String testName, String pgSchema) {
    this.local = local;
    this.testName = testName;
    this.pgSchema = pgSchema;
  }

  /** Two planes of three TILEs: TILE k runs on tile-node k mod (tile-nodes). */
  static Map<String, String> sixTiles() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("type", "walker");
    c.put("planes", "2");
    c.put("tiles-per-plane", "3");
    c.put("altitude-km", "550");
    c.put("inclination-deg", "53");
    c.put("phasing", "1");
    c.put("epoch", ELEMENTS_EPOCH.toString());
    return c;
  }

  /**
   * Starts the schedulers one after another, then the tile-nodes, and waits until every TILE reports.
   * {@code addresses}: null for 127.0.0.1 everywhere, else one per JVM in node order (schedulers first).
   */
  static FaultRig start(Plan plan) throws Exception {
    int jvms = plan.schedulers() + plan.tileNodes();
    String schema = null;
    LocalConstellation.Builder b = LocalConstellation.builder()
        .runDir(plan.runDir())
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(FreePorts.block(jvms))
        .managementPortBase(FreePorts.block(jvms))
        .httpPort(FreePorts.block(plan.schedulers()))
        .schedulers(plan.schedulers())
        .tileNodes(plan.tileNodes())
        .heap("300m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(plan.warp())
        .constellation(plan.constellation())
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true));
    if (plan.addresses() != null) {
      if (plan.addresses().size() != jvms) throw new IllegalArgumentException("one address per JVM");
      for (int j = 0; j < plan.schedulers(); j++) b.nodeHost(LocalConstellation.schedulerName(j), plan.addresses().get(j));
      for (int i = 0; i < plan.tileNodes(); i++) b.nodeHost("tile-node-" + i, plan.addresses().get(plan.schedulers() + i));
    }
    if (plan.postgres()) {
      schema = "soos_netfault_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
      try (Connection c = pg(); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      b.systemProperty("soos.journal", "postgres")
          .systemProperty("akka-persistence-jdbc.shared-databases.postgres.db.url",
              Failover.PG_SERVER + "?currentSchema=" + schema)
          .systemProperty("akka-persistence-jdbc.shared-databases.postgres.db.user", Failover.PG_USER);
    }
    FaultRig rig = new FaultRig(b.build(), plan.testName(), schema);
    try {
      rig.local.start(Duration.ofSeconds(90));
      int tiles = Integer.parseInt(plan.constellation().get("planes")) * Integer.parseInt(plan.constellation().get("tiles-per-plane"));
      LocalConstellation.TilesSeen seen = rig.local.awaitTiles(tiles, Duration.ofSeconds(90));
      if (!seen.complete()) {
        throw new IllegalStateException("TILEs reporting: " + seen.tiles().size() + " of " + tiles + "; logs in " + plan.runDir());
      }
    } catch (Exception | Error e) {
      rig.close();
      throw e;
    }
    return rig;
  }

  // ---------------------------------------------------------------- nodes

  LocalConstellation.Node node(String name) {
    return local.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + name));
  }

  /** The Akka address of a node as members list it: {@code akka://soos@host:port}. */
  String address(String name) {
    LocalConstellation.Node n = node(name);
    return "akka://soos@" + n.host() + ":" + n.akkaPort();
  }

  String managementUrl(String name) {
    LocalConstellation.Node n = node(name);
    return "http://" + n.host() + ":" + n.managementPort() + "/cluster/members";
  }

  long pid(String name) {
    return local.pidOf(name).orElseThrow(() -> new IllegalStateException(name + " is not running"));
  }

  /** SIGSTOP: the JVM freezes (every thread), as in a long GC pause. */
  void pause(String name) throws IOException, InterruptedException {
    signal(name, "STOP");
    paused.add(name);
  }

  /** SIGCONT: the frozen JVM runs on, unaware of the time it missed. */
  void resume(String name) throws IOException, InterruptedException {
    signal(name, "CONT");
    paused.remove(name);
  }

  private void signal(String name, String signal) throws IOException, InterruptedException {
    long pid = pid(name);
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + pid + " failed: " + new String(p.getInputStream().readAllBytes()));
    }
    System.out.printf("kill -%s %s (pid %d)%n", signal, name, pid);
  }

  /**
   * Waits until {@code name}'s JVM has exited on its own; true when it did within {@code timeout}. Once
   * exited it is no longer watched as a crash ({@link LocalConstellation#forget}).
   */
  boolean awaitExit(String name, Duration timeout) throws InterruptedException {
    ProcessHandle h = ProcessHandle.of(pid(name)).orElse(null);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (h != null && h.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
    if (h != null && h.isAlive()) return false;
    local.forget(name);
    return true;
  }

  /** Whether {@code name}'s JVM is alive. */
  boolean alive(String name) {
    return local.pidOf(name).stream().mapToObj(ProcessHandle::of).anyMatch(h -> h.map(ProcessHandle::isAlive).orElse(false));
  }

  /** Members of {@code viewers} agree on a converged cluster of exactly {@code members} within {@code timeout}. */
  ClusterConvergence.Result converge(Collection<String> viewers, Collection<String> members, Duration timeout)
      throws InterruptedException {
    List<String> urls = viewers.stream().map(this::managementUrl).toList();
    Set<String> expected = new TreeSet<>();
    for (String m : members) expected.add(address(m));
    return ClusterConvergence.await(urls, expected, timeout);
  }

  /** TILE ids hosted by tile-node {@code index} of {@code count} (TILE k on node k mod count). */
  static Set<String> tilesOf(Map<String, String> constellation, int index, int count) {
    Map<String, Object> config = new LinkedHashMap<>();
    constellation.forEach((k, v) -> config.put("soos.constellation." + k, v));
    List<TileOrbit> tiles = ConstellationSpec.fromConfig(ConfigFactory.parseMap(config), ELEMENTS_EPOCH).build();
    Set<String> ids = new TreeSet<>();
    for (int k = 0; k < tiles.size(); k++) if (k % count == index) ids.add(tiles.get(k).tileId().value());
    return ids;
  }

  // ---------------------------------------------------------------- jobs over HTTP

  /** Submits {@code count} checkpointing simulated jobs through scheduler {@code via}; every one must get 202. */
  List<String> submit(String via, int count, double workGpuSeconds) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Submitted s = trySubmit(via, testName + "-" + i, workGpuSeconds, Duration.ofSeconds(15));
      if (s.id() == null) throw new IOException("POST /v1/jobs through " + via + ": " + s.outcome());
      ids.add(s.id());
    }
    return ids;
  }

  /** The outcome of one POST: the id when it was accepted (202), else what came back instead. */
  record Submitted(String via, String id, String outcome) {}

  /**
   * POSTs one checkpointing simulated job through {@code via} and reports what happened without throwing:
   * a 202 with its id, another status, a timeout or a refused connection (a side of a partition that is
   * shutting down). Only a 202 is a promise; whatever else came back promised nothing.
   */
  Submitted trySubmit(String via, String name, double workGpuSeconds, Duration timeout) throws InterruptedException {
    String body = "{\"name\":\"" + name + "\",\"kind\":\"simulated\",\"workGpuSeconds\":" + workGpuSeconds
        + ",\"powerWatts\":30,\"memoryGb\":8,\"priority\":5,"
        + "\"checkpoint\":{\"intervalSeconds\":120,\"sizeBytes\":200000000,\"migratable\":true}}";
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(local.scheduler(via).url("/v1/jobs")))
          .timeout(timeout).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) return new Submitted(via, null, "HTTP " + r.statusCode() + ": " + r.body());
      String id = JSON.readTree(r.body()).path("id").asText();
      return id.isEmpty() ? new Submitted(via, null, "202 without an id: " + r.body()) : new Submitted(via, id, "202");
    } catch (IOException e) {
      return new Submitted(via, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Jobs offered one by one through whichever schedulers still run, during a fault: what was accepted
   * (every 202 is a promise the checker holds the system to), how many each scheduler accepted, and what
   * each last answered instead of a 202.
   */
  static final class Intake {
    final List<String> accepted;
    final Map<String, Integer> acceptedVia = new TreeMap<>();
    final Map<String, String> lastRefusal = new TreeMap<>();
    private final FaultRig rig;
    private int next;

    /** @param accepted the list the accepted ids are added to (may already hold earlier jobs) */
    Intake(FaultRig rig, List<String> accepted) {
      this.rig = rig;
      this.accepted = accepted;
    }

    /** Offers one 1 200 GPU-s job through each running scheduler of {@code via}, waiting up to {@code timeout} each. */
    void offer(List<String> via, Duration timeout) throws InterruptedException {
      for (String v : via) {
        if (!rig.alive(v)) continue;
        Submitted s = rig.trySubmit(v, rig.testName + "-fault-" + next++, 1200, timeout);
        if (s.id() != null) {
          accepted.add(s.id());
          acceptedVia.merge(v, 1, Integer::sum);
        } else {
          lastRefusal.put(v, s.outcome());
        }
      }
    }

    int acceptedCount() {
      return acceptedVia.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
      return "202s by scheduler " + acceptedVia + "; last refusals " + lastRefusal;
    }
  }

  /** Skips the calling test unless this machine can inject network faults and has the PostgreSQL journal. */
  static void assumeNetworkFaultsAndPostgres() {
    Assumptions.assumeTrue(NetFaults.unavailable().isEmpty(), () -> NetFaults.unavailable().orElse(""));
    Assumptions.assumeTrue(Failover.postgresAnswers() || "true".equals(System.getenv("CI")),
        "no PostgreSQL at " + Failover.PG_SERVER);
  }

  /**
   * The jobs of {@code before} (id to the epoch they ran under on a node that was lost) that did not
   * finish under a later epoch, with their histories: empty when every one was restarted elsewhere.
   */
  static List<String> notRestartedUnderNewerEpoch(Map<String, Long> before, Map<String, JsonNode> last) {
    List<String> out = new ArrayList<>();
    before.forEach((id, epoch) -> {
      JsonNode v = last.get(id);
      if (v == null || v.path("epoch").asLong() <= epoch) {
        out.add(id + " ran under epoch " + epoch + " but finished under " + (v == null ? "?" : v.path("epoch").asLong()
            + ": " + v.path("history")));
      }
    });
    return out;
  }

  /**
   * Polls every job through {@code via} until {@code done} holds for the views or {@code timeout} passes
   * (then throws {@link AssertionError} with the counts and a few unfinished jobs). A job that does not
   * answer keeps its last view.
   */
  Map<String, JsonNode> await(String via, List<String> ids, Duration timeout, Predicate<Map<String, JsonNode>> done,
      String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, JsonNode> views = new LinkedHashMap<>();
    String lastCounts = "";
    while (true) {
      for (String id : ids) {
        try {
          views.put(id, local.scheduler(via).getJson("/v1/jobs/" + id));
        } catch (IOException e) {
          // Refused, timed out or 5xx while shards move: keep the last view, ask again.
        }
      }
      String counts = counts(views).toString();
      if (!counts.equals(lastCounts)) {
        System.out.printf("  %s%n", counts);
        lastCounts = counts;
      }
      if (views.size() == ids.size() && done.test(views)) return views;
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within " + timeout.toSeconds() + " s through " + via + ": " + counts
            + " of " + ids.size() + " answering; not finished: " + unfinished(views) + "; logs in "
            + local.options().runDir());
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Waits until every job of {@code ids} succeeded (through {@code via}), then asserts the checker on them:
   * none lost, every one SUCCEEDED, no overlapping epochs. Returns the final views.
   */
  Map<String, JsonNode> awaitAllSucceededAndCheck(String via, List<String> ids, Duration timeout)
      throws InterruptedException {
    Map<String, JsonNode> last = await(via, ids, timeout, FaultRig::allSucceeded, "every accepted job succeeded");
    HistoryChecker.Report report = HistoryChecker.check(ids, last, Set.of("SUCCEEDED"));
    if (!report.ok()) throw new AssertionError(report.describe() + "; logs in " + local.options().runDir());
    return last;
  }

  static Map<String, Integer> counts(Map<String, JsonNode> views) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode v : views.values()) counts.merge(v.path("state").asText(), 1, Integer::sum);
    return counts;
  }

  static boolean allSucceeded(Map<String, JsonNode> views) {
    return views.values().stream().allMatch(v -> v.path("state").asText().equals("SUCCEEDED"));
  }

  /** Jobs RUNNING on one of {@code tiles}: id to epoch. */
  static Map<String, Long> runningOn(Map<String, JsonNode> views, Set<String> tiles) {
    Map<String, Long> out = new TreeMap<>();
    views.forEach((id, v) -> {
      if (v.path("state").asText().equals("RUNNING") && tiles.contains(v.path("placement").path("tileId").asText())) {
        out.put(id, v.path("epoch").asLong());
      }
    });
    return out;
  }

  static boolean hasEntry(JsonNode view, String event, String detailPrefix) {
    for (JsonNode h : view.path("history")) {
      if (event.equals(h.path("event").asText()) && h.path("detail").asText().startsWith(detailPrefix)) return true;
    }
    return false;
  }

  private static List<String> unfinished(Map<String, JsonNode> views) {
    List<String> out = new ArrayList<>();
    views.forEach((id, v) -> {
      String s = v.path("state").asText();
      if (!s.equals("SUCCEEDED") && !s.equals("FAILED") && !s.equals("CANCELLED")) {
        JsonNode h = v.path("history");
        out.add(id + " " + s + " epoch " + v.path("epoch").asLong() + " last " + (h.isEmpty() ? "-" : h.get(h.size() - 1)));
      }
    });
    return out.size() > 5 ? out.subList(0, 5) : out;
  }

  // ---------------------------------------------------------------- end

  /** Resumes paused JVMs, stops every JVM, keeps the logs, drops the schema. */
  @Override
  public void close() {
    for (String name : new ArrayList<>(paused)) {
      try {
        resume(name);
      } catch (IOException | InterruptedException | RuntimeException e) {
        System.err.println("could not resume " + name + ": " + e.getMessage());
      }
    }
    local.close();
    for (LocalConstellation.Node n : local.nodes()) {
      try {
        if (Files.exists(n.log())) {
          Path kept = Path.of("target", "failsafe-reports", testName + "-" + n.name() + ".log");
          Files.createDirectories(kept.getParent());
          Files.copy(n.log(), kept, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        System.err.println("could not keep the log of " + n.name() + ": " + e.getMessage());
      }
    }
    if (pgSchema != null) {
      try (Connection c = pg(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("could not drop schema " + pgSchema + ": " + e.getMessage());
      }
    }
  }

  /** Wall-clock milliseconds, as the journal's {@code write_timestamp} records them. */
  static long nowMillis() {
    return System.currentTimeMillis();
  }

  /**
   * Journal rows of the PostgreSQL journal that only a stale (fenced) writer could have committed: for
   * every persistence id taken over by a new writer between {@code stoppedAt} and {@code resumedAt}
   * (rows by writer A up to {@code stoppedAt}, rows by another writer B in between), every row that A
   * wrote from {@code resumedAt} on; and every persistence id whose rows, in sequence-number order, go
   * back to a writer after another one wrote (A, B, A). Empty when the journal has one writer at a time.
   */
  List<String> staleJournalWrites(long stoppedAt, long resumedAt) throws SQLException {
    if (pgSchema == null) throw new IllegalStateException("no PostgreSQL journal");
    Map<String, List<Object[]>> rows = new TreeMap<>();
    try (Connection c = pg(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT persistence_id, sequence_number, writer, write_timestamp FROM " + pgSchema
            + ".event_journal ORDER BY persistence_id, sequence_number")) {
      while (rs.next()) {
        rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
            .add(new Object[] {rs.getLong(2), rs.getString(3), rs.getLong(4)});
      }
    }
    List<String> problems = new ArrayList<>();
    rows.forEach((pid, list) -> {
      List<String> writers = new ArrayList<>();
      for (Object[] r : list) {
        String w = (String) r[1];
        if (writers.isEmpty() || !writers.get(writers.size() - 1).equals(w)) {
          if (writers.contains(w)) problems.add(pid + ": writer " + w + " writes again (seq " + r[0] + ") after " + writers);
          writers.add(w);
        }
      }
      Set<String> before = new LinkedHashSet<>();
      Set<String> during = new LinkedHashSet<>();
      for (Object[] r : list) {
        long t = (Long) r[2];
        if (t <= stoppedAt) before.add((String) r[1]);
        else if (t < resumedAt) during.add((String) r[1]);
      }
      for (String old : before) {
        if (during.stream().noneMatch(w -> !w.equals(old))) continue;
        for (Object[] r : list) {
          if (r[1].equals(old) && (Long) r[2] >= resumedAt) {
            problems.add(pid + ": seq " + r[0] + " written at " + Instant.ofEpochMilli((Long) r[2]) + " by " + old
                + ", which had been replaced by " + during + " during the pause");
          }
        }
      }
    });
    return problems;
  }

  /** The single-writer check of the shared PostgreSQL journal ({@link JournalWriters}). */
  JournalWriters.Report journalWriters() throws SQLException {
    if (pgSchema == null) throw new IllegalStateException("no PostgreSQL journal");
    return JournalWriters.check(Failover.PG_SERVER + "?currentSchema=" + pgSchema, Failover.PG_USER);
  }

  /**
   * Starts again, as their supervisor (systemd) would, every JVM of the rig that has exited: the
   * schedulers first, {@code scheduler} first of all when no scheduler runs (only the first seed may form
   * a new cluster; a scheduler restarted while another runs is given the running one as first seed),
   * then the tile-nodes. Returns the names restarted, in order.
   */
  List<String> restartExited(Duration schedulerReady) throws IOException, InterruptedException {
    List<String> restarted = new ArrayList<>();
    List<LocalConstellation.Node> order = new ArrayList<>(local.nodes());
    order.sort(java.util.Comparator.comparing((LocalConstellation.Node n) -> !n.role().equals("scheduler")));
    List<LocalConstellation.Node> exited = order.stream().filter(n -> !alive(n.name())).toList();
    // Forget every exited one first: the launcher reports an exited child it still watches as a failure.
    for (LocalConstellation.Node n : exited) if (local.pidOf(n.name()).isPresent()) local.forget(n.name());
    for (LocalConstellation.Node n : exited) {
      local.restart(n.name(), schedulerReady);
      restarted.add(n.name());
    }
    return restarted;
  }

  String pgSchema() {
    return pgSchema;
  }

  static Connection pg() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", Failover.PG_USER);
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(Failover.PG_SERVER, p);
  }
}
