package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.time.SimClock;

/**
 * A real local constellation in separate JVMs: one scheduler and two tile-nodes, started with
 * {@link LocalConstellation} exactly as {@code soos up} starts them. Checks that the coordinator hears
 * TILEs of both tile-node JVMs, that a TILE's eclipse forecast matches {@link EclipsePredictor}, and
 * that the TILE reports umbra entry and exit at the predicted simulated instants.
 */
class ConstellationIT {
  /**
   * Simulated seconds per wall second: an orbit in ~96 s, its umbra in ~35 s. Watching the TILE whose
   * umbra comes next keeps the wait short; a higher warp would shrink the wall-clock slack below.
   */
  private static final double WARP = 60;
  /**
   * How far from the predicted edge the first report of the new state may be, simulated. The TILE
   * stamps its edge report with the edge itself; the report that follows at once is stamped with the
   * TILE's "now", late by the timer's dispatch delay (5 s here = 83 ms of wall time at 60x).
   */
  private static final Duration EDGE_TOLERANCE = Duration.ofSeconds(5);
  /** Wall time between two periodic TILE reports: long, so edge reports stay visible between polls. */
  private static final String REPORT_INTERVAL = "5s";
  private static final Duration POLL = Duration.ofMillis(40);
  private static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");

  @TempDir Path runDir;

  private LocalConstellation local;

  @AfterEach
  void stopEverything() throws IOException {
    if (local != null) {
      local.close();
      for (LocalConstellation.Node node : local.nodes()) {
        if (Files.exists(node.log())) {
          // Keep the logs next to the test reports.
          Path kept = Path.of("target", "failsafe-reports", "ConstellationIT-" + node.name() + ".log");
          Files.createDirectories(kept.getParent());
          Files.copy(node.log(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  @Timeout(170)
  void tilesOfBothTileNodesReportAndATileEntersAndLeavesUmbraWhenThePhysicsPredicted() throws Exception {
    // A small Walker constellation, 2 planes x 2 TILEs, with fixed elements so sim-start can move freely.
    Map<String, String> constellation = new LinkedHashMap<>();
    constellation.put("type", "walker");
    constellation.put("planes", "2");
    constellation.put("tiles-per-plane", "2");
    constellation.put("altitude-km", "550");
    constellation.put("inclination-deg", "53");
    constellation.put("phasing", "1");
    constellation.put("epoch", ELEMENTS_EPOCH.toString());
    List<TileOrbit> tiles = constellationAsTheTileNodesBuildIt(constellation);
    assertEquals(4, tiles.size());

    // Start the simulation a little (35 s of wall time) before the first umbra entry of the first TILE.
    EclipseWindow firstPass = EclipsePredictor.predict(tiles.get(0).orbit(), ELEMENTS_EPOCH.plus(Duration.ofHours(2)),
        ELEMENTS_EPOCH.plus(Duration.ofHours(4))).stream().filter(w -> w.umbraStart() != null).findFirst().orElseThrow();
    Instant simStart = firstPass.umbraStart().minusSeconds((long) (35 * WARP));

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
        .simStart(simStart)
        .warp(WARP)
        .constellation(constellation)
        .systemProperty("soos.tile.report-interval", REPORT_INTERVAL)
        .systemProperty("soos.scheduler.coordinator.report-interval", REPORT_INTERVAL)
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true))
        .build();
    SimClock clock = SimClock.warped(simStart, local.options().wallAnchor(), WARP);

    local.start(Duration.ofSeconds(60));
    LocalConstellation.TilesSeen seen = local.awaitTiles(tiles.size(), Duration.ofSeconds(60));

    // Every TILE reports, and TILE k runs on tile-node k mod 2: both tile-node JVMs are heard.
    assertTrue(seen.complete(), "TILEs reporting: " + ids(seen.tiles()) + "; logs in " + runDir);
    Set<String> reported = ids(seen.tiles());
    for (int k = 0; k < tiles.size(); k++) {
      assertTrue(reported.contains(tiles.get(k).tileId().value()),
          tiles.get(k).tileId() + " (tile-node-" + (k % 2) + ") has not reported: " + reported);
    }

    // Watch the TILE whose next umbra entry comes first (at least 3 s of wall time from now).
    Instant earliest = clock.now().plusSeconds((long) (3 * WARP));
    TileOrbit watched = tiles.get(0);
    for (TileOrbit t : tiles) {
      if (nextUmbra(t, earliest).umbraStart().isBefore(nextUmbra(watched, earliest).umbraStart())) {
        watched = t;
      }
    }
    final EclipseWindow pass = nextUmbra(watched, earliest);
    String id = watched.tileId().value();

    // Its forecast lists the same pass the physics predicts.
    JsonNode report = tile(id);
    assertForecastContains(report, pass);

    // Umbra entry: the first UMBRA report is stamped at the predicted umbraStart.
    JsonNode inUmbra = awaitReport(id, r -> "UMBRA".equals(r.path("eclipseState").asText())
        && !simTime(r).isBefore(pass.umbraStart().minus(EDGE_TOLERANCE)), clock.toWall(pass.umbraStart()));
    assertWithin(pass.umbraStart(), simTime(inUmbra), "umbra entry of " + id);

    // Umbra exit: the first report after it is PENUMBRA at umbraEnd, or (if the penumbra's few
    // seconds fell between two polls) SUNLIT at penumbraEnd.
    JsonNode out = awaitReport(id, r -> !"UMBRA".equals(r.path("eclipseState").asText())
        && simTime(r).isAfter(pass.umbraStart()), clock.toWall(pass.umbraEnd()));
    if ("PENUMBRA".equals(out.path("eclipseState").asText())) {
      assertWithin(pass.umbraEnd(), simTime(out), "umbra exit of " + id);
      out = awaitReport(id, r -> "SUNLIT".equals(r.path("eclipseState").asText())
          && simTime(r).isAfter(pass.umbraEnd()), clock.toWall(pass.penumbraEnd()));
    }
    assertEquals("SUNLIT", out.path("eclipseState").asText(), out.toString());
    assertWithin(pass.penumbraEnd(), simTime(out), "return to sunlight of " + id);

    // Nothing died on the way.
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  /** The constellation list exactly as every JVM builds it from {@code soos.constellation.*}. */
  private static List<TileOrbit> constellationAsTheTileNodesBuildIt(Map<String, String> settings) {
    Map<String, Object> config = new LinkedHashMap<>();
    settings.forEach((k, v) -> config.put("soos.constellation." + k, v));
    return ConstellationSpec.fromConfig(ConfigFactory.parseMap(config), ELEMENTS_EPOCH).build();
  }

  private static EclipseWindow nextUmbra(TileOrbit tile, Instant after) {
    return EclipsePredictor.predict(tile.orbit(), after, after.plus(Duration.ofHours(4))).stream()
        .filter(w -> w.umbraStart() != null && w.umbraEnd() != null && w.penumbraEnd() != null
            && w.umbraStart().isAfter(after))
        .findFirst()
        .orElseThrow(() -> new AssertionError(tile.tileId() + " has no umbra pass after " + after));
  }

  private JsonNode tile(String id) throws IOException, InterruptedException {
    return local.scheduler().getJson("/v1/tiles/" + id);
  }

  /**
   * Polls {@code GET /v1/tiles/{id}} until a report matches; fails when none has by 20 s of wall time
   * after {@code expectedWall}.
   */
  private JsonNode awaitReport(String id, Predicate<JsonNode> wanted, Instant expectedWall) throws Exception {
    Instant deadline = expectedWall.plusSeconds(20);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      local.throwIfChildExited();
      try {
        last = tile(id);
        if (wanted.test(last)) {
          return last;
        }
      } catch (IOException e) {
        // A slow answer under load: poll again.
      }
      Thread.sleep(POLL.toMillis());
    }
    return fail("no matching report of " + id + " by " + deadline + "; last: " + last + "; logs in " + runDir);
  }

  private static void assertForecastContains(JsonNode report, EclipseWindow pass) {
    JsonNode forecast = report.path("nextEclipses");
    assertTrue(forecast.isArray() && forecast.size() >= 2, "nextEclipses: " + forecast);
    List<String> listed = new ArrayList<>();
    for (JsonNode w : forecast) {
      JsonNode start = w.path("umbraStart");
      if (start.isTextual()) {
        Instant umbraStart = Instant.parse(start.asText());
        listed.add(umbraStart.toString());
        if (Duration.between(pass.umbraStart(), umbraStart).abs().toMillis() <= 1000) {
          Instant umbraEnd = Instant.parse(w.path("umbraEnd").asText());
          assertTrue(Duration.between(pass.umbraEnd(), umbraEnd).abs().toMillis() <= 1000,
              "forecast umbraEnd " + umbraEnd + " vs predicted " + pass.umbraEnd());
          return;
        }
      }
    }
    fail("the TILE's forecast " + listed + " lacks the predicted umbra entry " + pass.umbraStart());
  }

  private static void assertWithin(Instant expected, Instant actual, String what) {
    assertNotNull(actual, what);
    Duration off = Duration.between(expected, actual);
    System.out.printf("%s: predicted %s, reported %s (%+d ms simulated)%n", what, expected, actual, off.toMillis());
    assertTrue(off.abs().compareTo(EDGE_TOLERANCE) <= 0,
        what + ": reported at " + actual + ", predicted " + expected + " (" + off.toMillis() + " ms apart)");
  }

  private static Instant simTime(JsonNode report) {
    return Instant.parse(report.path("simTime").asText());
  }

  private static Set<String> ids(List<JsonNode> tiles) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode t : tiles) {
      ids.add(LocalConstellation.tileId(t));
    }
    return ids;
  }
}
