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
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.HistoryChecker;
import org.soos.deploy.check.JournalWriters;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;

/**
 * RELIABILITY.md fault 14, reboot loop, on real JVMs: tile-node-1 is a real tile-node that crashes
 * (exit code 3) twenty seconds after every start, after it has joined and its TILEs have reported.
 * The launcher restarts it with backoff, at most 4 times within its window, then gives up and reports
 * it; the coordinators count the new incarnations of its TILEs and mark them unhealthy
 * ({@code GET /v1/tiles}: {@code healthy = false}, a {@code crash-loop} problem) while tile-node-0's
 * TILEs stay healthy; jobs submitted from then on all run on tile-node-0's TILEs and succeed.
 */
class CrashLoopIT {
  private static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Launcher restarts allowed. The coordinators flag a crash loop at 3 new incarnations (their default
   * {@code health.max-restarts}); one more restart than that leaves a margin for an incarnation that
   * crashes before it has joined (the previous one must be downed and removed first), which the
   * coordinators cannot see.
   */
  private static final int CAP = 4;

  @TempDir Path runDir;
  private LocalConstellation local;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stopEverything() throws IOException {
    if (local == null) return;
    local.close();
    for (LocalConstellation.Node node : local.nodes()) {
      if (Files.exists(node.log())) {
        Path kept = Path.of("target", "failsafe-reports", "CrashLoopIT-" + node.name() + ".log");
        Files.createDirectories(kept.getParent());
        Files.copy(node.log(), kept, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  @Timeout(240)
  void aTileNodeThatCrashesAtEveryStartIsRestartedAtMostFourTimesAndItsTilesGetNoWork() throws Exception {
    Map<String, String> constellation = new LinkedHashMap<>();
    constellation.put("type", "walker");
    constellation.put("planes", "2");
    constellation.put("tiles-per-plane", "2");
    constellation.put("altitude-km", "550");
    constellation.put("inclination-deg", "53");
    constellation.put("phasing", "1");
    constellation.put("epoch", ELEMENTS_EPOCH.toString());
    List<String> tiles = tileIds(constellation);
    Set<String> looping = new TreeSet<>();
    Set<String> sound = new TreeSet<>();
    for (int k = 0; k < tiles.size(); k++) (k % 2 == 1 ? looping : sound).add(tiles.get(k));

    local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(FreePorts.block(3))
        .managementPortBase(FreePorts.block(3))
        .httpPort(FreePorts.block(1))
        .tileNodes(2)
        .heap("256m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(120)
        .constellation(constellation)
        .tileNodeMainClass(CrashingTileNodeMain.class.getName())
        .systemProperty("crash.tile-node-index", "1")
        .systemProperty("crash.after-ms", "20000")
        .systemProperty("akka.cluster.split-brain-resolver.stable-after", "5s")
        .tileNodeRestarts(new LocalConstellation.RestartPolicy(CAP, Duration.ofMinutes(5), Duration.ofMillis(500),
            Duration.ofSeconds(4)))
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true))
        .build();
    local.start(Duration.ofSeconds(60));

    // The coordinators see the new incarnations of the looping TILEs and put them in safe mode.
    long deadline = System.nanoTime() + Duration.ofSeconds(160).toNanos();
    Map<String, JsonNode> byId;
    while (true) {
      local.throwIfChildExited();
      byId = tilesById();
      boolean allFlagged = !byId.isEmpty();
      for (String t : looping) allFlagged &= byId.containsKey(t) && crashLoop(byId.get(t));
      if (allFlagged) break;
      if (System.nanoTime() > deadline) fail("the looping TILEs " + looping + " were not marked crash-looping: " + byId
          + "; restarts so far " + local.restartsOf("tile-node-1") + "; logs in " + runDir);
      Thread.sleep(500);
    }
    System.out.printf("crash loop flagged after %d restart(s): %s%n", local.restartsOf("tile-node-1"),
        byId.get(looping.iterator().next()).path("healthProblems"));

    // From now on, work goes to the sound TILEs only.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) ids.add(submit("loop-" + i));

    // The launcher gives up after the cap, and starts it no more.
    deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (local.gaveUp().isEmpty()) {
      local.throwIfChildExited();
      assertTrue(System.nanoTime() < deadline, "the launcher never gave up on tile-node-1; restarts "
          + local.restartsOf("tile-node-1") + "; logs in " + runDir);
      Thread.sleep(500);
    }
    LocalConstellation.GaveUp g = local.gaveUp().get(0);
    assertEquals("tile-node-1", g.node().name(), g.describe());
    assertEquals(CAP, g.restarts(), g.describe());
    assertEquals(3, g.exitCode(), g.describe());
    Thread.sleep(3000);
    String log = Files.readString(local.nodes().get(2).log());
    assertEquals(CAP, log.split("# started again", -1).length - 1, "tile-node-1 was not started exactly " + CAP
        + " more times: " + local.nodes().get(2).log());
    assertEquals(CAP + 1, log.split("crashing on purpose", -1).length - 1, local.nodes().get(2).log().toString());
    assertTrue(local.pidOf("tile-node-1").isEmpty(), "tile-node-1 is running again after the launcher gave up");

    // Every job succeeds, none ever placed on a looping TILE; the sound TILEs stayed healthy.
    Map<String, JsonNode> views = new LinkedHashMap<>();
    deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      local.throwIfChildExited();
      for (String id : ids) views.put(id, local.scheduler().getJson("/v1/jobs/" + id));
      if (views.values().stream().allMatch(v -> v.path("state").asText().equals("SUCCEEDED"))) break;
      if (System.nanoTime() > deadline) fail("jobs not finished on the sound TILEs: " + views.values().stream()
          .map(v -> v.path("state").asText()).toList() + "; logs in " + runDir);
      Thread.sleep(500);
    }
    for (JsonNode v : views.values()) {
      for (JsonNode h : v.path("history")) {
        for (String t : looping) {
          assertFalse(h.path("detail").asText().contains(t), v.path("id").asText() + " was given to crash-looping TILE "
              + t + ": " + h);
        }
      }
      assertTrue(sound.contains(v.path("placement").path("tileId").asText()) || v.path("placement").isMissingNode()
          || v.path("placement").isNull(), "placed off the sound TILEs: " + v);
    }
    byId = tilesById();
    for (String t : sound) {
      assertTrue(byId.get(t).path("healthy").asBoolean(false), "sound TILE " + t + " is not healthy: " + byId.get(t));
    }
    for (String t : looping) {
      assertTrue(crashLoop(byId.get(t)), "TILE " + t + " left safe mode after the launcher gave up: " + byId.get(t));
    }
    HistoryChecker.Report report = HistoryChecker.check(ids, views, Set.of("SUCCEEDED"));
    assertTrue(report.ok(), report.describe() + "; logs in " + runDir);
    JournalWriters.Report writers = JournalWriters.check(JournalWriters.h2Url(runDir), "sa");
    assertTrue(writers.ok(), writers.describe());
    assertEquals(200, local.scheduler().readyStatus().orElse(-1));
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  private static boolean crashLoop(JsonNode tile) {
    if (tile == null || tile.path("healthy").asBoolean(true)) return false;
    for (JsonNode p : tile.path("healthProblems")) if (p.asText().startsWith("crash-loop")) return true;
    return false;
  }

  private Map<String, JsonNode> tilesById() {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    try {
      for (JsonNode t : local.scheduler().tiles()) byId.put(LocalConstellation.tileId(t), t);
    } catch (IOException | InterruptedException e) {
      // Not answering right now: an empty view, polled again.
    }
    return byId;
  }

  private String submit(String name) throws Exception {
    String body = "{\"name\":\"" + name + "\",\"kind\":\"simulated\",\"workGpuSeconds\":600,"
        + "\"powerWatts\":30,\"memoryGb\":8,\"priority\":5,"
        + "\"checkpoint\":{\"intervalSeconds\":120,\"sizeBytes\":200000000,\"migratable\":true}}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(local.scheduler().url("/v1/jobs")))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), "POST /v1/jobs answered " + r.body());
    return JSON.readTree(r.body()).path("id").asText();
  }

  private static List<String> tileIds(Map<String, String> constellation) {
    Map<String, Object> config = new LinkedHashMap<>();
    constellation.forEach((k, v) -> config.put("soos.constellation." + k, v));
    return ConstellationSpec.fromConfig(ConfigFactory.parseMap(config), ELEMENTS_EPOCH).build().stream()
        .map(TileOrbit::tileId).map(t -> t.value()).toList();
  }
}
