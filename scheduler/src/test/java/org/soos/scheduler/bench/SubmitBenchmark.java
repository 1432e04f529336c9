package org.soos.scheduler.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code submit} benchmark: a real HTTP load generator against {@code POST /v1/jobs} of one
 * scheduler JVM on loopback with its embedded H2 journal. Prints one JSON object per line
 * ({@code {"bench":"submit","metric":...,"value":...,"unit":...}}) and a summary table; never fails
 * on a number.
 *
 * <p>What it does: starts {@code org.soos.scheduler.Main} as a child JVM (same classpath, a fresh run
 * folder, free ports, default settings unless {@code --server-opt} overrides them), waits for
 * {@code /ready}, submits valid job specs for {@code --warmup} seconds (not counted) and then for
 * {@code --duration} seconds (measured), with at most {@code --concurrency} requests in flight
 * (closed loop) or, with {@code --rate R}, at R requests per second (open loop: latency counted from
 * the intended send time, so a stalled server cannot hide its queueing). Then it reads the journal
 * (through H2's AUTO_SERVER, while the scheduler runs) and checks that every job answered 202 has its
 * {@code JobSubmitted} event stored.
 *
 * <p>Load generator: the JDK's asynchronous {@link HttpClient} (HTTP/1.1, one connection per request
 * in flight, two client threads) rather than wrk: it needs nothing installed, and it keeps each
 * accepted job's id (the {@code Location} header) for the persistence check.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -o -q -B -pl scheduler -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/soos.cp
 * java -cp scheduler/target/test-classes:scheduler/target/classes:shared/target/classes:$(cat /tmp/soos.cp) \
 *     org.soos.scheduler.bench.SubmitBenchmark --duration 30 --concurrency 32
 * </pre>
 */
public final class SubmitBenchmark {
  private static final String BENCH = "submit";

  private final Map<String, String> options;
  private final List<String[]> results = new ArrayList<>();

  private SubmitBenchmark(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    if (options.containsKey("help")) {
      System.out.println("usage: SubmitBenchmark [--duration S] [--warmup S] [--concurrency N] [--rate R] "
          + "[--server-heap SIZE] [--server-opt -Dkey=value]... [--url http://host:port (an already running scheduler)]");
      return;
    }
    new SubmitBenchmark(options).run();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    List<String> serverOpts = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        o.put("help", "");
        continue;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad argument: " + a);
      String value = args[++i];
      if (a.equals("--server-opt")) {
        serverOpts.add(value);
      } else {
        o.put(a.substring(2), value);
      }
    }
    o.put("server-opts", String.join("\u0001", serverOpts));
    return o;
  }

  private int intOption(String name, int def) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : def;
  }

  private void run() throws Exception {
    int duration = intOption("duration", 30);
    int warmup = intOption("warmup", 10);
    int concurrency = intOption("concurrency", 32);
    int rate = intOption("rate", 0);
    String heap = options.getOrDefault("server-heap", "1g");

    Path runDir = Files.createTempDirectory("soos-bench-submit");
    int httpPort = freePort();
    Process server = null;
    String base;
    String jdbcUrl = null;
    if (options.containsKey("url")) {
      base = options.get("url");
    } else {
      base = "http://127.0.0.1:" + httpPort;
      jdbcUrl = "jdbc:h2:file:" + runDir.toAbsolutePath() + "/journal/soos;AUTO_SERVER=TRUE";
      server = startServer(runDir, httpPort, heap);
    }
    System.setProperty("h2.bindAddress", "127.0.0.1");
    ExecutorService clientThreads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-http");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
        .connectTimeout(Duration.ofSeconds(5)).build();
    try {
      awaitReady(http, base, Duration.ofSeconds(180), server);
      context(concurrency, rate, duration, warmup, heap);

      Phase warm = load(http, base, warmup, concurrency, rate, "warmup");
      double loadBefore = loadAverage();
      double cpuBefore = server == null ? Double.NaN : cpuSeconds(server.pid());
      Phase measured = load(http, base, duration, concurrency, rate, "run");
      double cpuAfter = server == null ? Double.NaN : cpuSeconds(server.pid());
      report(measured, warm);
      // On a shared machine the server's own CPU time per job is the figure that travels.
      emit("server_cpu_ms_per_accepted_job", (cpuAfter - cpuBefore) * 1000 / Math.max(1, measured.accepted.get()), "ms");
      emit("server_cpu_cores_used", (cpuAfter - cpuBefore) / measured.seconds, "cores");
      emit("machine_load_average_1m", (loadBefore + loadAverage()) / 2, "runnable threads");

      if (jdbcUrl != null) {
        Set<String> accepted = new HashSet<>(warm.acceptedIds);
        accepted.addAll(measured.acceptedIds);
        verifyPersisted(jdbcUrl, accepted);
      }
    } finally {
      clientThreads.shutdownNow();
      if (server != null) {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
      }
    }
    summary();
  }

  // ---------------------------------------------------------------- the scheduler JVM

  private Process startServer(Path runDir, int httpPort, String heap) throws IOException {
    int akkaPort = freePort();
    int managementPort = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-Dh2.bindAddress=127.0.0.1");
    cmd.add("-Dsoos.run-dir=" + runDir.toAbsolutePath());
    cmd.add("-Dsoos.scheduler.http.port=" + httpPort);
    cmd.add("-Dakka.remote.artery.canonical.port=" + akkaPort);
    cmd.add("-Dakka.cluster.seed-nodes.0=akka://soos@127.0.0.1:" + akkaPort);
    cmd.add("-Dakka.management.http.port=" + managementPort);
    cmd.add("-Dakka.loglevel=WARNING");
    cmd.add("-Dsoos.parent-pid=" + ProcessHandle.current().pid());
    for (String opt : options.getOrDefault("server-opts", "").split("\u0001")) {
      if (!opt.isBlank()) cmd.add(opt);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.soos.scheduler.Main");
    File log = runDir.resolve("scheduler.log").toFile();
    System.err.println("starting the scheduler JVM (log: " + log + ")");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  private static void awaitReady(HttpClient http, String base, Duration timeout, Process server) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (server != null && !server.isAlive()) throw new IllegalStateException("the scheduler JVM exited: " + server.exitValue());
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("scheduler at " + base + " not ready within " + timeout);
  }

  /** User + system CPU seconds of a Linux process ({@code /proc/PID/stat}); NaN elsewhere. */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks / 100.0; // USER_HZ
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The 1-minute load average of the machine (other processes compete for the same cores). */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  // ---------------------------------------------------------------- load

  /** What one phase saw. */
  private static final class Phase {
    final String name;
    final long[] latencyNanos;
    final AtomicInteger recorded = new AtomicInteger();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    double seconds;

    Phase(String name, int capacity) {
      this.name = name;
      this.latencyNanos = new long[capacity];
    }

    void record(long nanos) {
      int i = recorded.getAndIncrement();
      if (i < latencyNanos.length) latencyNanos[i] = nanos;
    }
  }

  private static final String[] BODIES = {
      "{\"name\":\"bench-small\",\"kind\":\"simulated\",\"workGpuSeconds\":1800,\"powerWatts\":25,\"memoryGb\":8,"
          + "\"priority\":3,\"checkpoint\":{\"intervalSeconds\":120,\"sizeBytes\":536870912,\"migratable\":true}}",
      "{\"name\":\"bench-big\",\"kind\":\"simulated\",\"workGpuSeconds\":14400,\"powerWatts\":55,\"memoryGb\":48,"
          + "\"priority\":5,\"checkpoint\":{\"intervalSeconds\":300,\"sizeBytes\":4294967296}}",
      "{\"name\":\"bench-pinned\",\"kind\":\"simulated\",\"workGpuSeconds\":900,\"powerWatts\":20,\"memoryGb\":4,"
          + "\"priority\":1,\"placement\":{\"planes\":[\"p0\"]}}"};

  private Phase load(HttpClient http, String base, int seconds, int concurrency, int rate, String name)
      throws InterruptedException {
    Phase phase = new Phase(name, Math.max(1, seconds) * 50_000);
    URI uri = URI.create(base + "/v1/jobs");
    Semaphore inFlight = new Semaphore(concurrency);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long intervalNanos = rate > 0 ? 1_000_000_000L / rate : 0;
    long n = 0;
    while (true) {
      long intended = rate > 0 ? start + n * intervalNanos : System.nanoTime();
      if (intended >= end) break;
      if (rate > 0) {
        long wait = intended - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      }
      inFlight.acquire();
      if (System.nanoTime() >= end) {
        inFlight.release();
        break;
      }
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(BODIES[(int) (n % BODIES.length)]))
          .build();
      long sentFrom = intended;
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, failure) -> {
        long latency = System.nanoTime() - sentFrom;
        inFlight.release();
        if (failure != null) {
          phase.failed.incrementAndGet();
          return;
        }
        phase.statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
        if (r.statusCode() == 202) {
          phase.accepted.incrementAndGet();
          phase.record(latency);
          r.headers().firstValue("Location").ifPresent(l -> phase.acceptedIds.add(l.substring(l.lastIndexOf('/') + 1)));
        } else {
          phase.refused.incrementAndGet();
        }
      });
      n++;
    }
    inFlight.acquire(concurrency); // drain
    inFlight.release(concurrency);
    phase.seconds = (System.nanoTime() - start) / 1e9;
    return phase;
  }

  // ---------------------------------------------------------------- results

  private void context(int concurrency, int rate, int duration, int warmup, String heap) {
    Runtime rt = Runtime.getRuntime();
    String ctx = String.format(Locale.ROOT,
        "\"cores\":%d,\"memoryGb\":%.1f,\"jdk\":\"%s\",\"os\":\"%s\",\"concurrency\":%d,\"rate\":%d,"
            + "\"durationSeconds\":%d,\"warmupSeconds\":%d,\"serverHeap\":\"%s\",\"journal\":\"h2\",\"at\":\"%s\"",
        rt.availableProcessors(), totalMemoryGb(), System.getProperty("java.vm.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"), concurrency, rate, duration, warmup,
        heap, Instant.now());
    System.out.println("{\"bench\":\"" + BENCH + "\",\"metric\":\"context\"," + ctx + "}");
  }

  private static double totalMemoryGb() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / 1e9;
    }
    return Double.NaN;
  }

  private void emit(String metric, double value, String unit) {
    System.out.println(String.format(Locale.ROOT, "{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\"}",
        BENCH, metric, Double.isFinite(value) ? format(value) : "null", unit));
    results.add(new String[] {metric, format(value), unit});
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private void report(Phase run, Phase warm) {
    int n = Math.min(run.recorded.get(), run.latencyNanos.length);
    long[] sorted = Arrays.copyOf(run.latencyNanos, n);
    Arrays.sort(sorted);
    emit("accepted_per_second", run.accepted.get() / run.seconds, "jobs/s");
    emit("accepted", run.accepted.get(), "jobs");
    emit("refused", run.refused.get(), "requests");
    emit("failed", run.failed.get(), "requests");
    emit("latency_p50", percentile(sorted, 0.50), "ms");
    emit("latency_p90", percentile(sorted, 0.90), "ms");
    emit("latency_p99", percentile(sorted, 0.99), "ms");
    emit("latency_p999", percentile(sorted, 0.999), "ms");
    emit("latency_max", n == 0 ? Double.NaN : sorted[n - 1] / 1e6, "ms");
    emit("warmup_accepted_per_second", warm.accepted.get() / warm.seconds, "jobs/s");
    // A 503 (no answer within the ask timeout) is not an acceptance, though the job may still be stored.
    System.err.println("HTTP statuses: warmup " + warm.statuses + ", measured " + run.statuses);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** Every accepted job has its JobSubmitted event in the journal. */
  private void verifyPersisted(String jdbcUrl, Set<String> acceptedIds) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "sa");
    props.setProperty("password", "");
    Set<String> stored = new HashSet<>();
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection(jdbcUrl, props);
        PreparedStatement s = c.prepareStatement("SELECT \"persistence_id\" FROM \"event_journal\" "
            + "WHERE \"persistence_id\" LIKE 'Job|%' AND \"event_ser_manifest\" LIKE '%JobSubmitted'");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) stored.add(rs.getString(1).substring("Job|".length()));
    }
    long missing = acceptedIds.stream().filter(id -> !stored.contains(id)).count();
    emit("accepted_total_incl_warmup", acceptedIds.size(), "jobs");
    emit("persisted_submissions", stored.size(), "jobs");
    emit("accepted_not_persisted", missing, "jobs");
    emit("journal_check_seconds", (System.nanoTime() - start) / 1e9, "s");
  }

  private void summary() {
    System.out.println();
    System.out.println("submit benchmark: POST /v1/jobs, one scheduler JVM, H2 journal, loopback");
    System.out.printf("%-28s %14s  %s%n", "metric", "value", "unit");
    for (String[] r : results) System.out.printf("%-28s %14s  %s%n", r[0], r[1], r[2]);
  }
}
