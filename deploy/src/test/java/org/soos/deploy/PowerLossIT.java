package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.HistoryChecker;
import org.soos.deploy.check.JournalWriters;

/**
 * RELIABILITY.md fault 6, total power loss, on real JVMs: a constellation with accepted jobs in every
 * state (succeeded, cancelled, running, pending) loses every JVM at the same instant ({@code kill -9} of
 * all of them), then all are started again on the same journal. Every job that got 202 comes back:
 * the terminal ones exactly as they were (state and history), the others with their history kept,
 * carrying on to {@code SUCCEEDED}; the checker passes (nothing lost, no overlapping epochs, no
 * persistence id written by two writers at once). Once on the H2 file of the run folder (one scheduler),
 * once on PostgreSQL (two schedulers; skipped when no server answers on 127.0.0.1:5432).
 */
class PowerLossIT {
  private static final double WARP = 120;
  private static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  @TempDir Path runDir;
  private LocalConstellation local;
  private String testName;
  private String pgSchema;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stopEverything() throws IOException {
    if (local != null) {
      local.close();
      for (LocalConstellation.Node node : local.nodes()) {
        if (Files.exists(node.log())) {
          Path kept = Path.of("target", "failsafe-reports", "PowerLossIT-" + testName + "-" + node.name() + ".log");
          Files.createDirectories(kept.getParent());
          Files.copy(node.log(), kept, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    if (pgSchema != null) {
      try (Connection c = pg(Failover.PG_SERVER); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("could not drop schema " + pgSchema + ": " + e.getMessage());
      }
    }
  }

  @Test
  @Timeout(240)
  void everyAcceptedJobComesBackAfterEveryJvmDiesAtOnceOnTheH2Journal() throws Exception {
    testName = "h2";
    start(1, Map.of());
    powerLossAndBack(JournalWriters.h2Url(runDir), "sa");
  }

  @Test
  @Timeout(240)
  void everyAcceptedJobComesBackAfterEveryJvmDiesAtOnceOnPostgres() throws Exception {
    Assumptions.assumeTrue(Failover.postgresAnswers() || "true".equals(System.getenv("CI")),
        "no PostgreSQL at " + Failover.PG_SERVER);
    testName = "postgres";
    pgSchema = "soos_powerloss_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    try (Connection c = pg(Failover.PG_SERVER); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + pgSchema);
    }
    String url = Failover.PG_SERVER + "?currentSchema=" + pgSchema;
    start(2, Map.of("soos.journal", "postgres",
        "akka-persistence-jdbc.shared-databases.postgres.db.url", url,
        "akka-persistence-jdbc.shared-databases.postgres.db.user", Failover.PG_USER));
    powerLossAndBack(url, Failover.PG_USER);
  }

  private void powerLossAndBack(String journalUrl, String journalUser) throws Exception {
    // Jobs in every state: a first batch that finishes, a second one that fills the Orins and queues,
    // three of whose waiting jobs are cancelled.
    List<String> quick = submit("quick", 6, 240);
    awaitViews(quick, Duration.ofSeconds(60), all -> count(all, "SUCCEEDED") == quick.size(), "the quick jobs done");
    List<String> slow = submit("slow", 40, 1800);
    Map<String, JsonNode> seen = awaitViews(slow, Duration.ofSeconds(60),
        all -> count(all, "RUNNING") >= 8 && count(all, "PENDING") >= 4, "some jobs running, some waiting");
    int cancelled = 0;
    for (String id : slow) {
      if (cancelled < 3 && seen.get(id).path("state").asText().equals("PENDING") && cancel(id)) cancelled++;
    }
    assertEquals(3, cancelled, "could not cancel three waiting jobs");
    List<String> ids = new ArrayList<>(quick);
    ids.addAll(slow);
    Map<String, JsonNode> before = awaitViews(ids, Duration.ofSeconds(30),
        all -> count(all, "CANCELLED") == 3 && count(all, "RUNNING") >= 1, "the cancellations recorded");
    System.out.printf("before the power loss: %s%n", counts(before));

    // Power loss: every JVM at once.
    List<String> all = local.killAll();
    assertEquals(local.nodes().size(), all.size());
    long t0 = System.nanoTime();

    // Power back: the schedulers one after another (the first forms the cluster), then the tile-nodes.
    for (LocalConstellation.Node n : local.nodes()) {
      if (n.role().equals("scheduler")) local.restart(n.name(), Duration.ofSeconds(90));
    }
    for (LocalConstellation.Node n : local.nodes()) {
      if (n.role().equals("tile-node")) local.restart(n.name(), Duration.ZERO);
    }
    LocalConstellation.TilesSeen tiles = local.awaitTiles(6, Duration.ofSeconds(60));
    assertTrue(tiles.complete(), "TILEs reporting after the restart: " + tiles.tiles().size() + " of 6; logs in " + runDir);
    System.out.printf("constellation back after %.1f s%n", (System.nanoTime() - t0) / 1e9);

    // Every job is listed again, and the unfinished ones finish (only the list is polled: the entities
    // must come back by themselves, through remember-entities).
    awaitList(ids, Duration.ofSeconds(150), listed -> {
      for (String id : ids) {
        JsonNode job = listed.get(id);
        if (job == null || !TERMINAL.contains(job.path("state").asText())) return false;
      }
      return true;
    }, "every job terminal");

    Map<String, JsonNode> after = new LinkedHashMap<>();
    for (String id : ids) after.put(id, local.scheduler().getJson("/v1/jobs/" + id));
    for (String id : ids) {
      JsonNode was = before.get(id);
      JsonNode now = after.get(id);
      String wasState = was.path("state").asText();
      if (TERMINAL.contains(wasState)) {
        assertEquals(wasState, now.path("state").asText(), id + " was " + wasState + " before the power loss");
        assertEquals(was.path("history"), now.path("history"), id + ": its history changed after the power loss");
      } else {
        assertTrue(isPrefix(was.path("history"), now.path("history")), id + ": its history before the power loss "
            + was.path("history") + " is not kept in " + now.path("history"));
        assertEquals("SUCCEEDED", now.path("state").asText(), id + " did not carry on: " + now);
      }
      assertTrue(now.path("epoch").asLong() >= was.path("epoch").asLong(), id + " epoch went back");
    }
    HistoryChecker.Report report = HistoryChecker.check(ids, after, Set.of("SUCCEEDED", "CANCELLED"));
    assertTrue(report.ok(), report.describe() + "; logs in " + runDir);
    JournalWriters.Report writers = JournalWriters.check(journalUrl, journalUser);
    assertTrue(writers.ok(), writers.describe() + "; logs in " + runDir);
    assertTrue(writers.handovers() >= 1, "no job was written by a second incarnation: " + writers.describe());
    System.out.printf("after: %s; %s%n", counts(after), writers.describe());
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  // ---------------------------------------------------------------- constellation

  private void start(int schedulers, Map<String, String> journal) throws Exception {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("type", "walker");
    c.put("planes", "2");
    c.put("tiles-per-plane", "3");
    c.put("altitude-km", "550");
    c.put("inclination-deg", "53");
    c.put("phasing", "1");
    c.put("epoch", ELEMENTS_EPOCH.toString());
    int jvms = schedulers + 2;
    local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(FreePorts.block(jvms))
        .managementPortBase(FreePorts.block(jvms))
        .httpPort(FreePorts.block(schedulers))
        .schedulers(schedulers)
        .tileNodes(2)
        .heap(schedulers > 1 ? "320m" : "384m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(WARP)
        .constellation(c)
        .systemProperties(journal)
        .systemProperty("akka.cluster.split-brain-resolver.stable-after", "5s")
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true))
        .build();
    local.start(Duration.ofSeconds(90));
    LocalConstellation.TilesSeen seen = local.awaitTiles(6, Duration.ofSeconds(60));
    assertTrue(seen.complete(), "TILEs reporting: " + seen.tiles().size() + " of 6; logs in " + runDir);
  }

  private static Connection pg(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", Failover.PG_USER);
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, p);
  }

  // ---------------------------------------------------------------- HTTP

  private List<String> submit(String name, int count, double workGpuSeconds) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body = "{\"name\":\"" + name + "-" + i + "\",\"kind\":\"simulated\",\"workGpuSeconds\":" + workGpuSeconds
          + ",\"powerWatts\":30,\"memoryGb\":8,\"priority\":5,"
          + "\"checkpoint\":{\"intervalSeconds\":120,\"sizeBytes\":200000000,\"migratable\":true}}";
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(local.scheduler().url("/v1/jobs")))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, r.statusCode(), "POST /v1/jobs answered " + r.body());
      ids.add(JSON.readTree(r.body()).path("id").asText());
    }
    return ids;
  }

  private boolean cancel(String id) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(local.scheduler().url("/v1/jobs/" + id)))
        .timeout(Duration.ofSeconds(10)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() / 100 == 2;
  }

  private Map<String, JsonNode> awaitViews(List<String> ids, Duration timeout, Predicate<Map<String, JsonNode>> done,
      String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, JsonNode> views = new LinkedHashMap<>();
    String lastCounts = "";
    while (true) {
      local.throwIfChildExited();
      for (String id : ids) {
        try {
          views.put(id, local.scheduler().getJson("/v1/jobs/" + id));
        } catch (IOException e) {
          // A slow answer under load: keep the last view and poll again.
        }
      }
      String counts = counts(views).toString();
      if (!counts.equals(lastCounts)) {
        System.out.printf("  %s%n", counts);
        lastCounts = counts;
      }
      if (views.size() == ids.size() && done.test(views)) return views;
      if (System.nanoTime() > deadline) {
        return fail("not " + what + " within " + timeout.toSeconds() + " s: " + counts + "; logs in " + runDir);
      }
      Thread.sleep(500);
    }
  }

  private Map<String, JsonNode> awaitList(List<String> ids, Duration timeout, Predicate<Map<String, JsonNode>> done,
      String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, JsonNode> listed = new LinkedHashMap<>();
    String lastCounts = "";
    while (true) {
      local.throwIfChildExited();
      try {
        listed.clear();
        for (JsonNode job : SchedulerClient.elements(local.scheduler().getJson("/v1/jobs?limit=1000"), "jobs")) {
          listed.put(job.path("id").asText(), job);
        }
      } catch (IOException e) {
        // Not answering yet: poll again.
      }
      String counts = "listed " + counts(listed);
      if (!counts.equals(lastCounts)) {
        System.out.printf("  %s%n", counts);
        lastCounts = counts;
      }
      if (done.test(listed)) return listed;
      if (System.nanoTime() > deadline) {
        List<String> missing = new ArrayList<>(ids);
        missing.removeAll(listed.keySet());
        return fail("not " + what + " within " + timeout.toSeconds() + " s: " + counts + "; not listed: " + missing
            + "; logs in " + runDir);
      }
      Thread.sleep(500);
    }
  }

  private static Map<String, Integer> counts(Map<String, JsonNode> views) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode v : views.values()) counts.merge(v.path("state").asText(), 1, Integer::sum);
    return counts;
  }

  private static int count(Map<String, JsonNode> views, String state) {
    return counts(views).getOrDefault(state, 0);
  }

  private static boolean isPrefix(JsonNode before, JsonNode after) {
    if (!before.isArray() || !after.isArray() || after.size() < before.size()) return false;
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).equals(after.get(i))) return false;
    }
    return true;
  }
}
