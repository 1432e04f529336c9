package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.HistoryChecker;
import org.soos.deploy.check.JournalWriters;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;

/**
 * Fault tests of the job path in real JVMs (one scheduler, two tile-nodes, started by
 * {@link LocalConstellation} as {@code soos up} starts them), at high warp, checked with
 * {@link HistoryChecker}: every job accepted over HTTP completes, none is lost, and no two placements
 * (epochs) of one job overlap; and with {@link JournalWriters}: no persistence id of the H2 journal was
 * written by two writers at once.
 *
 * <ul>
 *   <li>RELIABILITY.md fault 1: {@code kill -9} of a tile-node JVM with running jobs: they restart
 *       elsewhere from their last checkpoint under a new epoch.</li>
 *   <li>A restart of the scheduler JVM on the same run folder (H2 journal): every job is found again with
 *       its history, and the unfinished ones carry on once the tile-nodes have joined the new cluster.</li>
 * </ul>
 */
class JobFaultIT {
  /** Simulated seconds per wall second: an orbit in ~48 s, a 1200 GPU-s job in 10 s. */
  private static final double WARP = 120;
  private static final int JOBS = 50;
  private static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);

  @TempDir Path runDir;

  private LocalConstellation local;
  private String testName;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stopEverything() throws IOException {
    if (local == null) return;
    local.close();
    for (LocalConstellation.Node node : local.nodes()) {
      if (Files.exists(node.log())) {
        Path kept = Path.of("target", "failsafe-reports", "JobFaultIT-" + testName + "-" + node.name() + ".log");
        Files.createDirectories(kept.getParent());
        Files.copy(node.log(), kept, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  @Timeout(240)
  void fiftyJobsAllSucceedAfterATileNodeJvmIsKilled() throws Exception {
    testName = "kill";
    Map<String, String> constellation = constellation();
    start(constellation);
    Set<String> onVictim = tilesOf(constellation, 1);

    List<String> ids = submit(JOBS, 1200);
    // Wait until the victim's TILEs run some of them, then crash it.
    Map<String, JsonNode> views = awaitViews(ids, Duration.ofSeconds(60), all -> countRunningOn(all, onVictim) >= 4,
        "jobs running on tile-node-1's TILEs " + onVictim);
    int runningThere = countRunningOn(views, onVictim);
    System.out.printf("killing tile-node-1 with %d job(s) running on its TILEs %s%n", runningThere, onVictim);
    local.kill("tile-node-1");

    Map<String, JsonNode> last = awaitViews(ids, Duration.ofSeconds(150), JobFaultIT::allTerminal, "all jobs finished");
    HistoryChecker.Report report = HistoryChecker.check(ids, last, Set.of("SUCCEEDED"));
    assertTrue(report.ok(), report.describe() + "; logs in " + runDir);
    JournalWriters.Report writers = JournalWriters.check(JournalWriters.h2Url(runDir), "sa");
    assertTrue(writers.ok(), writers.describe() + "; logs in " + runDir);
    long rescued = last.values().stream().filter(v -> hasEntry(v, "requeued", "node-lost")).count();
    assertTrue(rescued >= 1, "no job was requeued off the killed node; logs in " + runDir);
    System.out.printf("%d jobs succeeded; %d restarted after the node loss; %.0f GPU-s of work lost in total%n",
        last.size(), rescued, last.values().stream().mapToDouble(v -> v.path("lostGpuSeconds").asDouble()).sum());
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  @Test
  @Timeout(240)
  void everyJobIsFoundAgainWithItsHistoryAfterTheSchedulerJvmRestarts() throws Exception {
    testName = "restart";
    start(constellation());
    List<String> ids = submit(JOBS, 600);
    Map<String, JsonNode> before = awaitViews(ids, Duration.ofSeconds(60),
        all -> count(all, "RUNNING") >= 8 && count(all, "PENDING") >= 1, "some jobs running, some waiting");

    local.stop("scheduler");
    local.restart("scheduler", Duration.ofSeconds(60));
    // The tile-nodes stayed in the old cluster, which has no scheduler any more (Akka never merges two
    // clusters): each leaves by itself once it has seen none for soos.tile-node.lost-schedulers-after
    // (SchedulerWatch, exit code 69), and started again, as its supervisor does, joins the new one.
    for (String node : List.of("tile-node-0", "tile-node-1")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (local.exitCode(node).isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
      assertEquals(java.util.OptionalInt.of(69), local.exitCode(node),
          node + " did not leave the scheduler-less cluster by itself within 60 s; logs in " + runDir);
      local.forget(node);
      local.restart(node, Duration.ZERO);
    }

    // Every job is listed again from the journal, none behind where it was. Only the list is read from
    // here on (it does not wake job entities): the unfinished jobs carry on because their entities
    // came back by themselves (remember-entities) and registered with their coordinators.
    Map<String, JsonNode> listed = awaitList(ids, Duration.ofSeconds(150), all -> {
      for (String id : ids) {
        JsonNode job = all.get(id);
        if (job == null || !job.path("state").asText().equals("SUCCEEDED")) return false;
      }
      return true;
    }, "all jobs finished");
    assertEquals(Set.copyOf(ids), listed.keySet());

    Map<String, JsonNode> last = new LinkedHashMap<>();
    for (String id : ids) last.put(id, getJob(id));
    for (String id : ids) {
      JsonNode was = before.get(id);
      JsonNode now = last.get(id);
      assertTrue(isPrefix(was.path("history"), now.path("history")),
          "job " + id + ": its history before the restart " + was.path("history") + " is not kept in "
              + now.path("history"));
      assertTrue(now.path("epoch").asLong() >= was.path("epoch").asLong(), id + " epoch went back");
    }
    HistoryChecker.Report report = HistoryChecker.check(ids, last, Set.of("SUCCEEDED"));
    assertTrue(report.ok(), report.describe() + "; logs in " + runDir);
    JournalWriters.Report writers = JournalWriters.check(JournalWriters.h2Url(runDir), "sa");
    assertTrue(writers.ok(), writers.describe() + "; logs in " + runDir);
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  // ---------------------------------------------------------------- constellation

  /** Two planes of three TILEs: TILE k runs on tile-node k mod 2, so each plane has TILEs on both nodes. */
  private static Map<String, String> constellation() {
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

  /** Ids of the TILEs tile-node {@code index} of 2 hosts (position k with k % 2 == index). */
  private static Set<String> tilesOf(Map<String, String> constellation, int index) {
    Map<String, Object> config = new LinkedHashMap<>();
    constellation.forEach((k, v) -> config.put("soos.constellation." + k, v));
    List<TileOrbit> tiles = ConstellationSpec.fromConfig(ConfigFactory.parseMap(config), ELEMENTS_EPOCH).build();
    Set<String> ids = new java.util.TreeSet<>();
    for (int k = 0; k < tiles.size(); k++) if (k % 2 == index) ids.add(tiles.get(k).tileId().value());
    return ids;
  }

  private void start(Map<String, String> constellation) throws Exception {
    int akkaPorts = FreePorts.block(3);
    int managementPorts = FreePorts.block(3);
    local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(akkaPorts)
        .managementPortBase(managementPorts)
        .httpPort(FreePorts.block(1))
        .tileNodes(2)
        .heap("384m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(WARP)
        .constellation(constellation)
        // A crashed node is downed within seconds rather than the production 20 s.
        .systemProperty("akka.cluster.split-brain-resolver.stable-after", "5s")
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true))
        .build();
    local.start(Duration.ofSeconds(60));
    LocalConstellation.TilesSeen seen = local.awaitTiles(6, Duration.ofSeconds(60));
    assertTrue(seen.complete(), "TILEs reporting: " + seen.tiles().size() + " of 6; logs in " + runDir);
  }

  // ---------------------------------------------------------------- HTTP

  private List<String> submit(int count, double workGpuSeconds) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body = "{\"name\":\"fault-" + i + "\",\"kind\":\"simulated\",\"workGpuSeconds\":" + workGpuSeconds
          + ",\"powerWatts\":30,\"memoryGb\":8,\"priority\":5,"
          + "\"checkpoint\":{\"intervalSeconds\":120,\"sizeBytes\":200000000,\"migratable\":true}}";
      HttpRequest request = HttpRequest.newBuilder(URI.create(local.scheduler().url("/v1/jobs")))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(202, response.statusCode(), "POST /v1/jobs answered " + response.body());
      String id = JSON.readTree(response.body()).path("id").asText();
      assertFalse(id.isEmpty(), "202 without an id: " + response.body());
      ids.add(id);
    }
    return ids;
  }

  private JsonNode getJob(String id) throws IOException, InterruptedException {
    return local.scheduler().getJson("/v1/jobs/" + id);
  }

  /** Polls every job until {@code done} holds for the set of views or {@code timeout} passes (then fails). */
  private Map<String, JsonNode> awaitViews(List<String> ids, Duration timeout, Predicate<Map<String, JsonNode>> done,
      String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, JsonNode> views = new LinkedHashMap<>();
    String lastCounts = "";
    while (true) {
      local.throwIfChildExited();
      for (String id : ids) {
        try {
          views.put(id, getJob(id));
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
        return fail("not " + what + " within " + timeout.toSeconds() + " s: " + counts + "; not finished: "
            + unfinished(views) + "; logs in " + runDir);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Polls {@code GET /v1/jobs} (the read side, not the entities) until {@code done} holds or {@code timeout} passes. */
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
        return fail("not " + what + " within " + timeout.toSeconds() + " s: " + counts + "; logs in " + runDir);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  // ---------------------------------------------------------------- reading views

  private static Map<String, Integer> counts(Map<String, JsonNode> views) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode v : views.values()) counts.merge(v.path("state").asText(), 1, Integer::sum);
    return counts;
  }

  private static int count(Map<String, JsonNode> views, String state) {
    return counts(views).getOrDefault(state, 0);
  }

  private static int countRunningOn(Map<String, JsonNode> views, Set<String> tiles) {
    int n = 0;
    for (JsonNode v : views.values()) {
      if (v.path("state").asText().equals("RUNNING") && tiles.contains(v.path("placement").path("tileId").asText())) n++;
    }
    return n;
  }

  private static boolean allTerminal(Map<String, JsonNode> views) {
    for (JsonNode v : views.values()) {
      String s = v.path("state").asText();
      if (!s.equals("SUCCEEDED") && !s.equals("FAILED") && !s.equals("CANCELLED")) return false;
    }
    return true;
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

  private static boolean hasEntry(JsonNode view, String event, String detailPrefix) {
    for (JsonNode h : view.path("history")) {
      if (event.equals(h.path("event").asText()) && h.path("detail").asText().startsWith(detailPrefix)) return true;
    }
    return false;
  }

  /** Whether every entry of {@code before} is, in order, the start of {@code after}. */
  private static boolean isPrefix(JsonNode before, JsonNode after) {
    if (!before.isArray() || !after.isArray() || after.size() < before.size()) return false;
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).equals(after.get(i))) return false;
    }
    return true;
  }
}
