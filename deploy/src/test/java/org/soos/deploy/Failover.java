package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The failover experiment (RELIABILITY.md fault 2, BENCHMARKS.md {@code failover}), shared by
 * {@code FailoverIT} and {@code bench.FailoverBenchmark}: two scheduler JVMs on one PostgreSQL journal
 * (a throw-away schema), two tile-nodes, long jobs running; {@code kill -9} of the oldest scheduler
 * (it hosts the shard coordinators, plane coordinators and about half the job entities); the seconds
 * until every job answers {@code GET /v1/jobs/{id}} through the surviving scheduler.
 */
final class Failover implements AutoCloseable {
  static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  static final String PG_SERVER = Optional.ofNullable(System.getenv("SOOS_TEST_PG_URL"))
      .orElse("jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = Optional.ofNullable(System.getenv("SOOS_TEST_PG_USER")).orElse("postgres");
  private static final ObjectMapper JSON = new ObjectMapper();

  final LocalConstellation local;
  final String schema;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** What one kill measured. */
  record Outcome(String victim, String survivor, int jobs, int jobsOnVictim, double seconds, Map<String, JsonNode> views) {}

  private Failover(LocalConstellation local, String schema) {
    this.local = local;
    this.schema = schema;
  }

  /** The JDBC URL of this experiment's journal (its own schema), for the checker. */
  String journalUrl() {
    return PG_SERVER + "?currentSchema=" + schema;
  }

  /** True when a PostgreSQL server answers at {@link #PG_SERVER}. */
  static boolean postgresAnswers() {
    try (Connection c = connect(PG_SERVER)) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Creates a fresh schema and starts 2 schedulers (one after the other) and 2 tile-nodes on it. */
  static Failover start(Path runDir, PrintStream progress) throws Exception {
    String schema = "soos_failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    try (Connection c = connect(PG_SERVER); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    Map<String, String> constellation = new LinkedHashMap<>();
    constellation.put("type", "walker");
    constellation.put("planes", "2");
    constellation.put("tiles-per-plane", "3");
    constellation.put("altitude-km", "550");
    constellation.put("inclination-deg", "53");
    constellation.put("phasing", "1");
    constellation.put("epoch", ELEMENTS_EPOCH.toString());
    int akkaPorts = FreePorts.block(4);
    int managementPorts = FreePorts.block(4);
    LocalConstellation local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(akkaPorts)
        .managementPortBase(managementPorts)
        .httpPort(FreePorts.block(2))
        .schedulers(2)
        .tileNodes(2)
        .heap("320m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(60)
        .constellation(constellation)
        .systemProperty("soos.journal", "postgres")
        .systemProperty("akka-persistence-jdbc.shared-databases.postgres.db.url", PG_SERVER + "?currentSchema=" + schema)
        .systemProperty("akka-persistence-jdbc.shared-databases.postgres.db.user", PG_USER)
        .stopGrace(Duration.ofSeconds(15))
        .progress(progress)
        .build();
    Failover f = new Failover(local, schema);
    try {
      local.start(Duration.ofSeconds(90));
      LocalConstellation.TilesSeen seen = local.awaitTiles(6, Duration.ofSeconds(90));
      if (!seen.complete()) {
        throw new IllegalStateException("TILEs reporting: " + seen.tiles().size() + " of 6; logs in " + runDir);
      }
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
    return f;
  }

  /** Submits {@code count} long jobs (they run for hours of simulated time) through scheduler {@code via}. */
  List<String> submit(String via, int count) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body = "{\"name\":\"failover-" + i + "\",\"kind\":\"simulated\",\"workGpuSeconds\":5000000,"
          + "\"powerWatts\":20,\"memoryGb\":4,\"priority\":5,"
          + "\"checkpoint\":{\"intervalSeconds\":300,\"sizeBytes\":10000000,\"migratable\":true}}";
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(local.scheduler(via).url("/v1/jobs")))
          .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) throw new IOException("POST /v1/jobs answered " + r.statusCode() + ": " + r.body());
      ids.add(JSON.readTree(r.body()).path("id").asText());
    }
    return ids;
  }

  /** Every job's view through {@code via}, waiting until each answers 200 (or fails after {@code timeout}). */
  Map<String, JsonNode> views(String via, List<String> ids, Duration timeout) throws Exception {
    Map<String, Double> firstAnswer = new ConcurrentHashMap<>();
    Map<String, JsonNode> views = new ConcurrentHashMap<>();
    awaitAll(via, ids, System.nanoTime(), timeout, firstAnswer, views);
    return new LinkedHashMap<>(views);
  }

  /** The entity shards scheduler {@code node} hosts: shard id to entity count (Akka Management). */
  Map<String, Integer> jobShardsOn(String node) throws IOException, InterruptedException {
    LocalConstellation.Node n = local.nodes().stream().filter(x -> x.name().equals(node)).findFirst().orElseThrow();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.managementPort()
        + "/cluster/shards/Job")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("GET /cluster/shards/Job on " + node + ": " + r.statusCode() + " " + r.body());
    Map<String, Integer> shards = new LinkedHashMap<>();
    for (JsonNode region : JSON.readTree(r.body()).path("regions")) {
      shards.put(region.path("shardId").asText(), region.path("numEntities").asInt());
    }
    return shards;
  }

  /** Cluster members as {@code node} sees them: address to status, and the unreachable count. */
  JsonNode members(String node) throws IOException, InterruptedException {
    LocalConstellation.Node n = local.nodes().stream().filter(x -> x.name().equals(node)).findFirst().orElseThrow();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.managementPort()
        + "/cluster/members")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /**
   * Kills {@code victim} with SIGKILL and measures the seconds from the kill until every job has
   * answered 200 through {@code survivor} (each job is asked continuously, one request in flight at a
   * time, so the time is when its entity became reachable again, not a polling tick).
   */
  Outcome kill(String victim, String survivor, List<String> ids, Duration timeout) throws Exception {
    int onVictim = jobShardsOn(victim).values().stream().mapToInt(Integer::intValue).sum();
    long t0 = System.nanoTime();
    local.kill(victim);
    Map<String, Double> firstAnswer = new ConcurrentHashMap<>();
    Map<String, JsonNode> views = new ConcurrentHashMap<>();
    awaitAll(survivor, ids, t0, timeout, firstAnswer, views);
    double seconds = firstAnswer.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return new Outcome(victim, survivor, ids.size(), onVictim, seconds, new LinkedHashMap<>(views));
  }

  private void awaitAll(String via, List<String> ids, long t0, Duration timeout, Map<String, Double> firstAnswer,
      Map<String, JsonNode> views) throws Exception {
    long deadline = t0 + timeout.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(ids.size(), 32));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String id : ids) {
        futures.add(pool.submit(() -> {
          URI uri = URI.create(local.scheduler(via).url("/v1/jobs/" + id));
          while (System.nanoTime() < deadline) {
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(8)).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                firstAnswer.put(id, (System.nanoTime() - t0) / 1e9);
                views.put(id, JSON.readTree(r.body()));
                return null;
              }
            } catch (IOException e) {
              // Refused or timed out while the shards move: ask again.
            }
            Thread.sleep(100);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) f.get();
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (views.size() < ids.size()) {
      List<String> silent = new ArrayList<>(ids);
      silent.removeAll(views.keySet());
      throw new IllegalStateException(silent.size() + " of " + ids.size() + " jobs did not answer through " + via
          + " within " + timeout.toSeconds() + " s, e.g. " + silent.subList(0, Math.min(3, silent.size()))
          + "; logs in " + local.options().runDir());
    }
  }

  @Override
  public void close() {
    local.close();
    try (Connection c = connect(PG_SERVER); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.err.println("could not drop schema " + schema + ": " + e.getMessage());
    }
  }

  private static Connection connect(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", PG_USER);
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, p);
  }
}
