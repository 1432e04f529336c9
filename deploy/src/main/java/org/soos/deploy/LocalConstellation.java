package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A local constellation: one or more {@code scheduler} JVMs and N {@code tile-node} JVMs on one host,
 * joined into one Akka cluster whose seed nodes are the schedulers. Used by {@code soos up} and by the
 * multi-JVM tests. Several schedulers share one journal (PostgreSQL, or the H2 file of the run folder
 * over H2's AUTO_SERVER) and split the job entities and plane coordinators between them; each serves
 * the HTTP API on its own port.
 *
 * <p>Every child gets the same classpath, the same simulated-time anchors ({@code soos.clock.*}) and
 * the same constellation ({@code soos.constellation.*}), so they agree on where every TILE is. Each
 * child's stdout and stderr go to {@code <run dir>/<name>.log}. Children run in their own session
 * ({@code setsid}, where available) so a Ctrl-C in the terminal reaches only the launcher, which then
 * stops them one after another (terminating several cluster members at once can stall in
 * {@code cluster-exiting}); each child also gets {@code -Dsoos.parent-pid} and exits by itself when
 * the launcher is gone, however it died.
 *
 * <p>Lifecycle: {@link #start(Duration)} (scheduler, wait for readiness, then tile-nodes),
 * {@link #awaitTiles(int, Duration)}, {@link #exitedChild()} to watch, {@link #close()} to stop. Fault
 * tests also {@link #kill(String)}, {@link #stop(String)} and {@link #restart(String, Duration)} single
 * children.
 */
public final class LocalConstellation implements AutoCloseable {

  /** Main class of the {@code scheduler} role. */
  public static final String SCHEDULER_MAIN = "org.soos.scheduler.Main";
  /** Main class of the {@code tile-node} role. */
  public static final String TILE_NODE_MAIN = "org.soos.tile.Main";

  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  private final Options options;
  private final PrintStream out;
  private final List<Node> nodes;
  private final List<Running> running = Collections.synchronizedList(new ArrayList<>());
  private final SchedulerClient client;
  private final Map<String, SchedulerClient> clients;
  private volatile boolean closing;
  private volatile boolean closed;
  /** Restart instants (nanoTime) of each supervised tile-node, oldest first. */
  private final Map<String, java.util.ArrayDeque<Long>> restartTimes = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<GaveUp> gaveUp = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Thread supervisor;

  /**
   * How to start the constellation.
   *
   * @param runDir folder for the logs and the scheduler's journal; created if missing
   * @param classpath classpath of every child (relative entries are made absolute)
   * @param javaCommand the {@code java} executable
   * @param host loopback (or local) address every JVM binds to
   * @param akkaPortBase Artery port of the first scheduler; scheduler j gets {@code akkaPortBase + j},
   *     tile-node i {@code akkaPortBase + schedulers + i}
   * @param httpPort the first scheduler's HTTP API port; scheduler j gets {@code httpPort + j}
   * @param managementPortBase Akka Management port of the first scheduler; numbered as the Artery ports
   * @param tileNodes number of tile-node JVMs, 1..64
   * @param heap maximum heap of each JVM, as for {@code -Xmx} (e.g. {@code 512m})
   * @param simStart simulated instant at the wall anchor
   * @param wallAnchor wall instant at which simulated time was {@code simStart}; the same for all JVMs
   * @param warp simulated seconds per wall second, > 0
   * @param constellation {@code soos.constellation.*} settings, keyed without the prefix (e.g. {@code planes})
   * @param extraSystemProperties more {@code -D} settings for every child
   * @param extraJvmOptions more JVM options for every child
   * @param parentPid the pid every child watches ({@code soos.parent-pid}); normally this JVM's
   * @param newSession start children in their own session with {@code setsid} when it exists
   * @param stopGrace how long one child may take to stop after SIGTERM before it is killed
   * @param progress where progress lines go; null for nowhere
   * @param schedulerMainClass main class of the scheduler JVM
   * @param tileNodeMainClass main class of the tile-node JVMs
   * @param schedulers number of scheduler JVMs, 1..5 (all of them seed nodes)
   * @param tlsDir null for plain Artery TCP (loopback only); else the folder {@code soos certs} wrote:
   *     every node runs Artery over TLS with mutual authentication, using {@code tlsDir/<node name>}
   * @param tileNodeRestarts how a tile-node JVM that exits by itself is started again, and when the
   *     launcher gives up on it ({@link RestartPolicy#NONE}: never restarted, reported by {@link #exitedChild()})
   * @param nodeHosts node name to the address that node binds to instead of {@code host} (e.g. one
   *     loopback address per JVM, 127.0.0.2, 127.0.0.3, ..., for network fault tests); such a node also
   *     opens its outbound Artery connections from that address, so that its traffic can be told apart
   */
  public record Options(
      Path runDir,
      String classpath,
      String javaCommand,
      String host,
      int akkaPortBase,
      int httpPort,
      int managementPortBase,
      int tileNodes,
      String heap,
      Instant simStart,
      Instant wallAnchor,
      double warp,
      Map<String, String> constellation,
      Map<String, String> extraSystemProperties,
      List<String> extraJvmOptions,
      long parentPid,
      boolean newSession,
      Duration stopGrace,
      PrintStream progress,
      String schedulerMainClass,
      String tileNodeMainClass,
      int schedulers,
      Path tlsDir,
      RestartPolicy tileNodeRestarts,
      Map<String, String> nodeHosts) {

    public Options {
      Objects.requireNonNull(runDir, "runDir");
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalArgumentException("classpath must not be empty");
      }
      Objects.requireNonNull(javaCommand, "javaCommand");
      Objects.requireNonNull(host, "host");
      requirePort("akkaPortBase", akkaPortBase);
      if (schedulers < 1 || schedulers > 5) {
        throw new IllegalArgumentException("schedulers must be in 1..5, got: " + schedulers);
      }
      requirePort("akkaPortBase + schedulers + tileNodes", akkaPortBase + schedulers + tileNodes - 1);
      requirePort("httpPort", httpPort);
      requirePort("httpPort + schedulers", httpPort + schedulers - 1);
      requirePort("managementPortBase", managementPortBase);
      requirePort("managementPortBase + schedulers + tileNodes", managementPortBase + schedulers + tileNodes - 1);
      if (tileNodes < 1 || tileNodes > 64) {
        throw new IllegalArgumentException("tileNodes must be in 1..64, got: " + tileNodes);
      }
      if (heap == null || !heap.matches("[1-9][0-9]*[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must be a size like 512m or 2g, got: " + heap);
      }
      Objects.requireNonNull(simStart, "simStart");
      Objects.requireNonNull(wallAnchor, "wallAnchor");
      if (!(warp > 0) || Double.isInfinite(warp)) {
        throw new IllegalArgumentException("warp must be a finite number > 0, got: " + warp);
      }
      constellation = Map.copyOf(constellation);
      nodeHosts = nodeHosts == null ? Map.of() : Map.copyOf(nodeHosts);
      extraSystemProperties = Map.copyOf(extraSystemProperties);
      extraJvmOptions = List.copyOf(extraJvmOptions);
      Objects.requireNonNull(stopGrace, "stopGrace");
      Objects.requireNonNull(schedulerMainClass, "schedulerMainClass");
      Objects.requireNonNull(tileNodeMainClass, "tileNodeMainClass");
      Objects.requireNonNull(tileNodeRestarts, "tileNodeRestarts");
    }

    private static void requirePort(String name, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(name + " must be a TCP port in 1..65535, got: " + port);
      }
    }
  }

  /** One JVM of the constellation, as planned; {@code httpPort} 0 for a tile-node. */
  public record Node(String name, String role, String mainClass, int index, int akkaPort, int managementPort, Path log,
      int httpPort, String host) {}

  /**
   * The restart cap of crashed tile-nodes (a reboot loop, RELIABILITY.md fault 14): a tile-node JVM that
   * exits by itself is started again after a backoff ({@code initialBackoff}, doubling up to
   * {@code maxBackoff}) as long as it has been restarted fewer than {@code maxRestarts} times within
   * {@code window}; then the launcher gives up on it, reports it ({@link #gaveUp()}) and leaves it down.
   * Its TILEs then go silent and are lost to their coordinators; while it looped, every new incarnation
   * counted towards the coordinators' own crash-loop verdict (safe mode: no work).
   *
   * @param maxRestarts restarts allowed within {@code window}; 0: never restart
   */
  public record RestartPolicy(int maxRestarts, Duration window, Duration initialBackoff, Duration maxBackoff) {
    /** Never restart: a child that exits is reported by {@link #exitedChild()}. */
    public static final RestartPolicy NONE = new RestartPolicy(0, Duration.ofMinutes(5), Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    /** What {@code soos up} does, and what the Jetson systemd unit does: 5 restarts within 5 minutes. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(5, Duration.ofMinutes(5), Duration.ofSeconds(1),
        Duration.ofSeconds(30));

    public RestartPolicy {
      if (maxRestarts < 0 || maxRestarts > 1000) {
        throw new IllegalArgumentException("maxRestarts must be in 0..1000, got: " + maxRestarts);
      }
      for (Duration d : new Duration[] {window, initialBackoff, maxBackoff}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("restart window and backoffs must be > 0, got: " + d);
        }
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
      }
    }

    /** The wait before restart number {@code n} (1-based) within the window. */
    public Duration backoff(int n) {
      Duration d = initialBackoff;
      for (int i = 1; i < n && d.compareTo(maxBackoff) < 0; i++) d = d.multipliedBy(2);
      return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
  }

  /** A tile-node the launcher stopped restarting: it crashed {@code restarts + 1} times within the window. */
  public record GaveUp(Node node, int exitCode, int restarts, Duration window) {
    public String describe() {
      return node.name() + " exited with code " + exitCode + " after " + restarts + " restart(s) within "
          + window.toSeconds() + " s: crash loop, not restarted again; its log: " + node.log();
    }
  }

  /** A child JVM that exited while it should have been running. */
  public record ExitedChild(Node node, int exitCode) {
    public String describe() {
      return node.name() + " exited with code " + exitCode + "; its log: " + node.log();
    }
  }

  /** Thrown when a child JVM exits while the constellation is starting or running. */
  public static final class ChildExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ExitedChild child;

    public ChildExitedException(ExitedChild child) {
      super(child.describe());
      this.child = child;
    }

    public ExitedChild child() {
      return child;
    }
  }

  /** What {@link #awaitTiles(int, Duration)} saw last. */
  public record TilesSeen(int expected, List<JsonNode> tiles, Duration waited) {
    public boolean complete() {
      return tiles.size() >= expected;
    }
  }

  private record Running(Node node, Process process) {}

  public LocalConstellation(Options options) {
    this.options = options;
    this.out = options.progress() != null ? options.progress() : new PrintStream(OutputStream.nullOutputStream());
    List<Node> planned = new ArrayList<>();
    Path runDir = options.runDir().toAbsolutePath();
    Map<String, SchedulerClient> clients = new LinkedHashMap<>();
    for (int j = 0; j < options.schedulers(); j++) {
      String name = schedulerName(j);
      String host = options.nodeHosts().getOrDefault(name, options.host());
      planned.add(new Node(name, "scheduler", options.schedulerMainClass(), j, options.akkaPortBase() + j,
          options.managementPortBase() + j, runDir.resolve(name + ".log"), options.httpPort() + j, host));
      clients.put(name, new SchedulerClient(host, options.httpPort() + j));
    }
    int s = options.schedulers();
    for (int i = 0; i < options.tileNodes(); i++) {
      String name = "tile-node-" + i;
      planned.add(new Node(name, "tile-node", options.tileNodeMainClass(), i, options.akkaPortBase() + s + i,
          options.managementPortBase() + s + i, runDir.resolve(name + ".log"), 0,
          options.nodeHosts().getOrDefault(name, options.host())));
    }
    this.nodes = List.copyOf(planned);
    this.clients = Map.copyOf(clients);
    this.client = clients.get(schedulerName(0));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Options options() {
    return options;
  }

  /** Every JVM of the constellation: the scheduler first, then tile-node-0, tile-node-1, ... */
  public List<Node> nodes() {
    return nodes;
  }

  /** The first scheduler's HTTP API. */
  public SchedulerClient scheduler() {
    return client;
  }

  /** The HTTP API of the scheduler named {@code nodeName} ({@code scheduler}, {@code scheduler-1}, ...). */
  public SchedulerClient scheduler(String nodeName) {
    SchedulerClient c = clients.get(nodeName);
    if (c == null) throw new IllegalArgumentException("no scheduler named " + nodeName + " in " + clients.keySet());
    return c;
  }

  /** Name of scheduler j: {@code scheduler} for the first (the seed), then {@code scheduler-1}, ... */
  public static String schedulerName(int j) {
    return j == 0 ? "scheduler" : "scheduler-" + j;
  }

  /** URL of the scheduler's Akka Management cluster members page. */
  public String managementMembersUrl() {
    return "http://" + nodes.get(0).host() + ":" + options.managementPortBase() + "/cluster/members";
  }

  /**
   * Starts the scheduler, waits until its {@code GET /ready} answers 200, then starts the tile-nodes.
   *
   * @throws ChildExitedException when a child exits meanwhile (the others keep running: call close)
   * @throws IllegalStateException when the scheduler is not ready within {@code schedulerReadyTimeout}
   */
  public void start(Duration schedulerReadyTimeout) throws IOException, InterruptedException {
    if (!running.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    Files.createDirectories(options.runDir());
    // One scheduler after another: the first forms the cluster, the others join it.
    for (Node scheduler : nodes.subList(0, options.schedulers())) {
      long t0 = System.nanoTime();
      out.printf("starting %s (akka %s:%d, http %d)... ", scheduler.name(), scheduler.host(), scheduler.akkaPort(),
          scheduler.httpPort());
      out.flush();
      launch(scheduler);
      awaitSchedulerReady(scheduler, schedulerReadyTimeout);
      out.printf("up (%s)%n", seconds(System.nanoTime() - t0));
    }
    for (Node node : nodes.subList(options.schedulers(), nodes.size())) {
      out.printf("starting %s (akka %s:%d)...%n", node.name(), node.host(), node.akkaPort());
      launch(node);
    }
    if (options.tileNodeRestarts().maxRestarts() > 0) {
      supervisor = new Thread(this::superviseTileNodes, "soos-tile-node-supervisor");
      supervisor.setDaemon(true);
      supervisor.start();
    }
  }

  /** The tile-nodes the launcher gave up restarting (crash loops), in the order it gave up. */
  public List<GaveUp> gaveUp() {
    return List.copyOf(gaveUp);
  }

  /** How often tile-node {@code nodeName} has been restarted by the launcher's supervisor so far. */
  public int restartsOf(String nodeName) {
    java.util.ArrayDeque<Long> t = restartTimes.get(nodeName);
    return t == null ? 0 : t.size();
  }

  private boolean supervised(Node node) {
    return node.role().equals("tile-node") && options.tileNodeRestarts().maxRestarts() > 0;
  }

  /**
   * Watches the tile-nodes: one that exited by itself is started again after its backoff while under
   * the cap, else given up ({@link RestartPolicy}). Runs until close.
   */
  private void superviseTileNodes() {
    RestartPolicy policy = options.tileNodeRestarts();
    Map<String, Long> restartAt = new LinkedHashMap<>();
    while (!closing) {
      try {
        List<Running> dead = new ArrayList<>();
        synchronized (running) {
          for (Running r : running) {
            if (supervised(r.node()) && !r.process().isAlive()) dead.add(r);
          }
          running.removeAll(dead);
        }
        long now = System.nanoTime();
        for (Running r : dead) {
          String name = r.node().name();
          int code = r.process().exitValue();
          java.util.ArrayDeque<Long> times = restartTimes.computeIfAbsent(name, k -> new java.util.ArrayDeque<>());
          while (!times.isEmpty() && now - times.peekFirst() > policy.window().toNanos()) times.removeFirst();
          if (times.size() >= policy.maxRestarts()) {
            GaveUp g = new GaveUp(r.node(), code, times.size(), policy.window());
            gaveUp.add(g);
            out.printf("%s%n", g.describe());
            continue;
          }
          Duration wait = policy.backoff(times.size() + 1);
          out.printf("%s exited with code %d; restart %d of at most %d within %d s in %s%n", name, code,
              times.size() + 1, policy.maxRestarts(), policy.window().toSeconds(), seconds(wait.toNanos()));
          times.addLast(now + wait.toNanos());
          restartAt.put(name, now + wait.toNanos());
        }
        for (var it = restartAt.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          if (System.nanoTime() < e.getValue() || closing) continue;
          it.remove();
          Node node = nodes.stream().filter(n -> n.name().equals(e.getKey())).findFirst().orElseThrow();
          out.printf("starting %s again (akka %s:%d)...%n", node.name(), options.host(), node.akkaPort());
          try {
            launch(node, true);
          } catch (IOException | IllegalStateException ex) {
            out.printf("could not start %s again: %s%n", node.name(), ex.getMessage());
          }
        }
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Polls {@code GET /v1/tiles} until {@code expected} distinct TILEs have reported or {@code timeout}
   * passes; prints the count as it grows.
   *
   * @throws ChildExitedException when a child exits meanwhile
   */
  public TilesSeen awaitTiles(int expected, Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    out.printf("waiting for %d TILEs to report...%n", expected);
    int lastCount = -1;
    List<JsonNode> tiles = List.of();
    while (true) {
      throwIfChildExited();
      try {
        tiles = distinctTiles(client.tiles());
      } catch (IOException e) {
        // Not answering yet, or answering an error while the cluster forms: try again.
      }
      if (tiles.size() != lastCount) {
        lastCount = tiles.size();
        if (lastCount > 0) {
          out.printf("  %d/%d TILEs reporting (%s)%n", lastCount, expected, seconds(System.nanoTime() - t0));
        }
      }
      if (tiles.size() >= expected || System.nanoTime() > deadline) {
        return new TilesSeen(expected, tiles, Duration.ofNanos(System.nanoTime() - t0));
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  /** The first child that exited while it should be running, if any (none once close has begun). */
  public Optional<ExitedChild> exitedChild() {
    if (closing) {
      return Optional.empty();
    }
    synchronized (running) {
      for (Running r : running) {
        if (!r.process().isAlive() && !supervised(r.node())) {
          return Optional.of(new ExitedChild(r.node(), r.process().exitValue()));
        }
      }
    }
    return Optional.empty();
  }

  /** The exit code of child {@code nodeName} once it has exited (and is still watched), else empty. */
  public OptionalInt exitCode(String nodeName) {
    synchronized (running) {
      for (Running r : running) {
        if (r.node().name().equals(nodeName) && !r.process().isAlive()) return OptionalInt.of(r.process().exitValue());
      }
    }
    return OptionalInt.empty();
  }

  /** Throws {@link ChildExitedException} when a child has exited. */
  public void throwIfChildExited() {
    Optional<ExitedChild> exited = exitedChild();
    if (exited.isPresent()) {
      throw new ChildExitedException(exited.get());
    }
  }

  /**
   * Kills one child at once with SIGKILL, as {@code kill -9} would (a crash, for fault tests), and waits
   * until it is gone. It is no longer watched by {@link #exitedChild()} and not stopped by {@link #close()};
   * {@link #restart(String, Duration)} starts it again.
   *
   * @throws IllegalArgumentException when no running child has that name
   */
  public void kill(String nodeName) throws InterruptedException {
    Running r = detach(nodeName);
    out.printf("killing %s (pid %d)... ", nodeName, r.process().pid());
    out.flush();
    r.process().destroyForcibly();
    r.process().waitFor(10, TimeUnit.SECONDS);
    out.printf("%s%n", r.process().isAlive() ? "STILL RUNNING" : "killed");
  }

  /**
   * Kills every running child at the same instant with SIGKILL, as a total power loss would (fault
   * tests): all are signalled before any is waited for. They are no longer watched; each can be
   * started again with {@link #restart(String, Duration)}.
   *
   * @return the names of the children killed, in start order
   */
  public List<String> killAll() throws InterruptedException {
    List<Running> victims;
    synchronized (running) {
      victims = new ArrayList<>(running);
      running.clear();
    }
    out.printf("killing all %d JVMs at once... ", victims.size());
    out.flush();
    for (Running r : victims) r.process().destroyForcibly();
    List<String> names = new ArrayList<>();
    for (Running r : victims) {
      r.process().waitFor(10, TimeUnit.SECONDS);
      names.add(r.node().name());
    }
    out.printf("%s%n", victims.stream().anyMatch(r -> r.process().isAlive()) ? "SOME STILL RUNNING" : "killed");
    return names;
  }

  /**
   * Stops one child as {@link #close()} does (SIGTERM, SIGKILL after the stop grace) and waits until it
   * is gone. It is no longer watched; {@link #restart(String, Duration)} starts it again.
   *
   * @throws IllegalArgumentException when no running child has that name
   */
  public void stop(String nodeName) throws InterruptedException {
    if (stop(detach(nodeName))) {
      throw new InterruptedException("interrupted while stopping " + nodeName);
    }
  }

  /**
   * Starts a child that was killed or stopped again, with the same command line (same ports, run folder
   * and journal), continuing its log. For the scheduler, waits until {@code GET /ready} answers 200.
   *
   * @throws IllegalStateException when that child is running, or the scheduler is not ready in time
   */
  public void restart(String nodeName, Duration schedulerReadyTimeout) throws IOException, InterruptedException {
    Node node = nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node named " + nodeName + " in " + nodes));
    if (pidOf(nodeName).isPresent()) {
      throw new IllegalStateException(nodeName + " is running");
    }
    out.printf("starting %s again (akka %s:%d)...%n", nodeName, node.host(), node.akkaPort());
    launch(node, true);
    if (node.role().equals("scheduler")) {
      awaitSchedulerReady(node, schedulerReadyTimeout);
    }
  }

  private Running detach(String nodeName) {
    synchronized (running) {
      for (Running r : running) {
        if (r.node().name().equals(nodeName)) {
          running.remove(r);
          return r;
        }
      }
    }
    throw new IllegalArgumentException("no running child named " + nodeName);
  }

  /**
   * Stops watching a child that has exited (it is no longer reported by {@link #exitedChild()});
   * {@link #restart(String, Duration)} can start it again.
   *
   * @throws IllegalStateException when it is still running
   */
  public void forget(String nodeName) {
    synchronized (running) {
      for (Running r : running) {
        if (r.node().name().equals(nodeName)) {
          if (r.process().isAlive()) throw new IllegalStateException(nodeName + " is still running");
          running.remove(r);
          return;
        }
      }
    }
  }

  /** Process id of a started child. */
  public OptionalLong pidOf(String nodeName) {
    synchronized (running) {
      for (Running r : running) {
        if (r.node().name().equals(nodeName)) {
          return OptionalLong.of(r.process().pid());
        }
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Stops every child this instance started, one after another, tile-nodes first (last started
   * first): SIGTERM, wait up to the stop grace, then SIGKILL. Returns when all have exited. Calling
   * it again does nothing (a concurrent call waits for the first to finish).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closing = true;
    List<Running> toStop;
    synchronized (running) {
      toStop = new ArrayList<>(running);
    }
    Collections.reverse(toStop);
    boolean interrupted = false;
    for (Running r : toStop) {
      interrupted |= stop(r);
    }
    closed = true;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** True once {@link #close()} has begun. */
  public boolean isClosing() {
    return closing;
  }

  /** True once {@link #close()} has stopped every child. */
  public boolean isClosed() {
    return closed;
  }

  /** The command line of a node, as it is started (the classpath included). */
  public List<String> commandLine(Node node) {
    return commandLine(node, List.of());
  }

  /** The command line of a node whose seed-node list starts with {@code firstSeeds} (scheduler names). */
  private List<String> commandLine(Node node, List<String> firstSeeds) {
    List<String> cmd = new ArrayList<>();
    if (options.newSession() && setsid().isPresent()) {
      cmd.add(setsid().get());
    }
    cmd.add(options.javaCommand());
    cmd.add("-Xmx" + options.heap());
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.addAll(options.extraJvmOptions());
    cmd.add("-cp");
    cmd.add(absoluteClasspath(options.classpath()));
    systemProperties(node, firstSeeds).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add(node.mainClass());
    return cmd;
  }

  /** The {@code -D} settings of a node, in a stable order. */
  public Map<String, String> systemProperties(Node node) {
    return systemProperties(node, List.of());
  }

  /**
   * The {@code -D} settings of a node whose seed-node list starts with the schedulers named in
   * {@code firstSeeds}. Only the first seed of a list may form a new cluster by joining itself (when no
   * other seed answers within the seed-node timeout): a restarted scheduler is given a running one
   * first, so that it always joins the running cluster instead of forming a second one (two clusters
   * would mean two writers of the same jobs).
   */
  private Map<String, String> systemProperties(Node node, List<String> firstSeeds) {
    Map<String, String> p = new LinkedHashMap<>();
    String host = node.host();
    p.put("akka.remote.artery.canonical.hostname", host);
    p.put("akka.remote.artery.canonical.port", Integer.toString(node.akkaPort()));
    if (options.nodeHosts().containsKey(node.name())) {
      p.put("akka.remote.artery.advanced.tcp.outbound-client-hostname", host);
    }
    List<Node> seeds = new ArrayList<>();
    for (String first : firstSeeds) {
      nodes.stream().filter(n -> n.name().equals(first)).forEach(seeds::add);
    }
    for (Node n : nodes.subList(0, options.schedulers())) {
      if (!seeds.contains(n)) seeds.add(n);
    }
    for (int j = 0; j < seeds.size(); j++) {
      p.put("akka.cluster.seed-nodes." + j, "akka://soos@" + seeds.get(j).host() + ":" + seeds.get(j).akkaPort());
    }
    p.put("akka.cluster.roles.0", node.role());
    p.put("akka.management.http.hostname", host);
    p.put("akka.management.http.port", Integer.toString(node.managementPort()));
    p.put("soos.scheduler.http.host", host);
    p.put("soos.scheduler.http.port", Integer.toString(node.role().equals("scheduler") ? node.httpPort() : options.httpPort()));
    p.put("soos.clock.sim-start", options.simStart().toString());
    p.put("soos.clock.wall-anchor-epoch-millis", Long.toString(options.wallAnchor().toEpochMilli()));
    p.put("soos.clock.warp", formatNumber(options.warp()));
    new TreeMap<>(options.constellation()).forEach((k, v) -> p.put("soos.constellation." + k, v));
    if (node.role().equals("tile-node")) {
      p.put("soos.tile-node.index", Integer.toString(node.index()));
      p.put("soos.tile-node.count", Integer.toString(options.tileNodes()));
    }
    p.put("soos.run-dir", options.runDir().toAbsolutePath().toString());
    p.put("soos.parent-pid", Long.toString(options.parentPid()));
    if (options.tlsDir() != null) {
      p.put("soos.cluster.tls.dir", options.tlsDir().toAbsolutePath().resolve(node.name()).toString());
    }
    p.putAll(new TreeMap<>(options.extraSystemProperties()));
    return p;
  }

  private void launch(Node node) throws IOException {
    launch(node, false);
  }

  /** Starts {@code node}; {@code again}: it ran before, its log is continued rather than started over. */
  private void launch(Node node, boolean again) throws IOException {
    List<String> firstSeeds = new ArrayList<>();
    if (again) {
      // A running scheduler first: the restarted node joins the running cluster, never forms its own.
      synchronized (running) {
        for (Running r : running) {
          if (r.node().role().equals("scheduler") && r.process().isAlive() && !r.node().equals(node)) {
            firstSeeds.add(r.node().name());
          }
        }
      }
    }
    List<String> cmd = commandLine(node, firstSeeds);
    String header = "# " + String.join(" ", abbreviateClasspath(cmd)) + System.lineSeparator();
    if (again) {
      Files.writeString(node.log(), System.lineSeparator() + "# started again" + System.lineSeparator() + header,
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } else {
      Files.writeString(node.log(), header, StandardCharsets.UTF_8);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(options.runDir().toAbsolutePath().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullInput()));
    synchronized (running) {
      // A close that has begun (Ctrl-C while starting) must not miss a child started after it.
      if (closing) {
        throw new IllegalStateException("the constellation is being stopped; not starting " + node.name());
      }
      running.add(new Running(node, pb.start()));
    }
  }

  private void awaitSchedulerReady(Node scheduler, Duration timeout) throws InterruptedException {
    SchedulerClient client = clients.get(scheduler.name());
    long deadline = System.nanoTime() + timeout.toNanos();
    OptionalInt last = OptionalInt.empty();
    while (System.nanoTime() < deadline) {
      throwIfChildExited();
      last = client.readyStatus();
      if (last.isPresent() && last.getAsInt() == 200) {
        return;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    out.println();
    throw new IllegalStateException(scheduler.name() + " was not ready within " + timeout.toSeconds() + " s ("
        + client.url("/ready") + " " + (last.isPresent() ? "answered HTTP " + last.getAsInt() : "did not answer")
        + "); its log: " + scheduler.log());
  }

  /** Returns true when interrupted while waiting. */
  private boolean stop(Running r) {
    Process p = r.process();
    if (!p.isAlive()) {
      out.printf("%s had already exited (code %d)%n", r.node().name(), p.exitValue());
      return false;
    }
    long t0 = System.nanoTime();
    out.printf("stopping %s... ", r.node().name());
    out.flush();
    boolean interrupted = false;
    p.destroy();
    try {
      if (!p.waitFor(options.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        out.printf("still running after %d s, killing... ", options.stopGrace().toSeconds());
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      p.destroyForcibly();
    }
    out.printf("%s (%s)%n", p.isAlive() ? "STILL RUNNING, pid " + p.pid() : "stopped", seconds(System.nanoTime() - t0));
    return interrupted;
  }

  /** One entry per TILE id (the last one wins), sorted by id. */
  static List<JsonNode> distinctTiles(List<JsonNode> tiles) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode t : tiles) {
      String id = tileId(t);
      if (id != null) {
        byId.put(id, t);
      }
    }
    List<JsonNode> out = new ArrayList<>();
    new TreeSet<>(byId.keySet()).forEach(id -> out.add(byId.get(id)));
    return out;
  }

  /** The TILE id of a {@code /v1/tiles} entry. */
  public static String tileId(JsonNode tile) {
    JsonNode id = tile.path("tileId");
    return id.isTextual() ? id.asText() : null;
  }

  private static Optional<String> setsid() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Paths.get(dir, "setsid");
      if (Files.isExecutable(p)) {
        return Optional.of(p.toString());
      }
    }
    return Optional.empty();
  }

  private static File nullInput() {
    return new File(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
  }

  static String absoluteClasspath(String classpath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.endsWith("*")) {
        String dir = entry.substring(0, entry.length() - 1);
        entries.add(Paths.get(dir.isEmpty() ? "." : dir).toAbsolutePath().normalize() + File.separator + "*");
      } else {
        entries.add(Paths.get(entry).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> abbreviateClasspath(List<String> cmd) {
    List<String> shown = new ArrayList<>(cmd);
    int i = shown.indexOf("-cp");
    if (i >= 0 && i + 1 < shown.size()) {
      shown.set(i + 1, "<classpath: " + shown.get(i + 1).split(File.pathSeparator).length + " entries>");
    }
    return shown;
  }

  static String formatNumber(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** Builds {@link Options} with the launcher's defaults. */
  public static final class Builder {
    private Path runDir;
    private String classpath = System.getProperty("java.class.path");
    private String javaCommand = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    private String host = "127.0.0.1";
    private int akkaPortBase = 2551;
    private int httpPort = 8080;
    private int managementPortBase = 8558;
    private int tileNodes = 2;
    private int schedulers = 1;
    private String heap = "512m";
    private Instant simStart;
    private Instant wallAnchor;
    private double warp = 60;
    private final Map<String, String> constellation = new LinkedHashMap<>();
    private final Map<String, String> extraSystemProperties = new LinkedHashMap<>();
    private final List<String> extraJvmOptions = new ArrayList<>();
    private long parentPid = ProcessHandle.current().pid();
    private boolean newSession = true;
    private Duration stopGrace = Duration.ofSeconds(20);
    private PrintStream progress;
    private String schedulerMainClass = SCHEDULER_MAIN;
    private String tileNodeMainClass = TILE_NODE_MAIN;
    private Path tlsDir;
    private RestartPolicy tileNodeRestarts = RestartPolicy.NONE;
    private final Map<String, String> nodeHosts = new LinkedHashMap<>();

    public Builder runDir(Path v) { runDir = v; return this; }
    public Builder classpath(String v) { classpath = v; return this; }
    public Builder javaCommand(String v) { javaCommand = v; return this; }
    public Builder host(String v) { host = v; return this; }
    public Builder akkaPortBase(int v) { akkaPortBase = v; return this; }
    public Builder httpPort(int v) { httpPort = v; return this; }
    public Builder managementPortBase(int v) { managementPortBase = v; return this; }
    public Builder tileNodes(int v) { tileNodes = v; return this; }
    /** Scheduler JVMs, 1..5; more than one needs a journal they can share (PostgreSQL, or H2's AUTO_SERVER). */
    public Builder schedulers(int v) { schedulers = v; return this; }
    public Builder heap(String v) { heap = v; return this; }
    public Builder simStart(Instant v) { simStart = v; return this; }
    public Builder wallAnchor(Instant v) { wallAnchor = v; return this; }
    public Builder warp(double v) { warp = v; return this; }
    /** One {@code soos.constellation.<key>} setting. */
    public Builder constellation(String key, String value) { constellation.put(key, value); return this; }
    public Builder constellation(Map<String, String> settings) { constellation.putAll(settings); return this; }
    public Builder systemProperty(String key, String value) { extraSystemProperties.put(key, value); return this; }
    public Builder systemProperties(Map<String, String> v) { extraSystemProperties.putAll(v); return this; }
    public Builder jvmOption(String option) { extraJvmOptions.add(option); return this; }
    public Builder parentPid(long v) { parentPid = v; return this; }
    public Builder newSession(boolean v) { newSession = v; return this; }
    public Builder stopGrace(Duration v) { stopGrace = v; return this; }
    public Builder progress(PrintStream v) { progress = v; return this; }
    public Builder schedulerMainClass(String v) { schedulerMainClass = v; return this; }
    public Builder tileNodeMainClass(String v) { tileNodeMainClass = v; return this; }
    /** The folder of {@code soos certs}: Artery over mutual TLS, node N with {@code v/N}. */
    public Builder tlsDir(Path v) { tlsDir = v; return this; }
    /** Restart crashed tile-nodes under this cap ({@link RestartPolicy#NONE} by default). */
    public Builder tileNodeRestarts(RestartPolicy v) { tileNodeRestarts = v; return this; }
    /** The address node {@code name} ({@code scheduler}, {@code tile-node-0}, ...) binds to instead of the host. */
    public Builder nodeHost(String name, String address) { nodeHosts.put(name, address); return this; }

    public Options options() {
      if (runDir == null) {
        throw new IllegalArgumentException("runDir is required");
      }
      Instant anchor = wallAnchor != null ? wallAnchor : Instant.now();
      Instant start = simStart != null ? simStart : anchor.truncatedTo(ChronoUnit.SECONDS);
      return new Options(runDir, classpath, javaCommand, host, akkaPortBase, httpPort, managementPortBase,
          tileNodes, heap, start, anchor, warp, constellation, extraSystemProperties, extraJvmOptions,
          parentPid, newSession, stopGrace, progress, schedulerMainClass, tileNodeMainClass, schedulers, tlsDir,
          tileNodeRestarts, nodeHosts);
    }

    public LocalConstellation build() {
      return new LocalConstellation(options());
    }
  }
}
