package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EclipsesCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS =
      List.of("tile", "plane", "penumbraStart", "umbraStart", "umbraEnd", "penumbraEnd", "umbraSeconds");

  /** The examples folder, whether the tests run from deploy/ (Maven) or from the repository root. */
  static Path example(String name) {
    Path fromModule = Paths.get("examples", name);
    return Files.exists(fromModule) ? fromModule : Paths.get("deploy", "examples", name);
  }

  private static List<JsonNode> lines(CliRun run) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      assertTrue(node.isObject(), "not a JSON object: " + line);
      assertEquals(FIELDS, iterableToList(node.fieldNames()), "fields of " + line);
      out.add(node);
    }
    return out;
  }

  private static List<String> iterableToList(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  private static Instant instant(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : Instant.parse(v.asText());
  }

  @Test
  void issTlePrintsOneWellFormedJsonLinePerPassWithUmbraStartBeforeUmbraEnd() throws Exception {
    // The sample TLE's epoch is 2025-11-20T12:25:40Z; the ISS orbits in ~92.9 min.
    CliRun run = CliRun.of("eclipses", "--tle", example("iss.tle").toString(),
        "--from", "2025-11-20T12:00:00Z", "--hours", "6");

    assertEquals(0, run.exitCode(), run.toString());
    List<JsonNode> passes = lines(run);
    assertTrue(passes.size() >= 3 && passes.size() <= 5, "expected about 6 h / 93 min passes, got\n" + run);
    Instant previousEnd = null;
    for (JsonNode pass : passes) {
      assertEquals(passes.get(0).get("tile").asText(), pass.get("tile").asText());
      assertFalse(pass.get("plane").asText().isBlank());
      Instant penumbraStart = instant(pass, "penumbraStart");
      Instant umbraStart = instant(pass, "umbraStart");
      Instant umbraEnd = instant(pass, "umbraEnd");
      Instant penumbraEnd = instant(pass, "penumbraEnd");
      assertNotNull(umbraStart, pass.toString());
      assertNotNull(umbraEnd, pass.toString());
      assertTrue(umbraStart.isBefore(umbraEnd), pass.toString());
      assertTrue(!penumbraStart.isAfter(umbraStart) && !umbraEnd.isAfter(penumbraEnd), pass.toString());
      double umbraSeconds = pass.get("umbraSeconds").asDouble();
      assertEquals(Duration.between(umbraStart, umbraEnd).toMillis() / 1000.0, umbraSeconds, 0.002, pass.toString());
      // An ISS night lasts between ~0 and ~36 minutes.
      assertTrue(umbraSeconds > 0 && umbraSeconds < 37 * 60, pass.toString());
      if (previousEnd != null) {
        assertTrue(penumbraStart.isAfter(previousEnd), "passes out of order:\n" + run);
      }
      previousEnd = penumbraEnd;
    }
  }

  @Test
  void walkerTleFileGivesPassesForEveryTileInTimeOrderPerTile() throws Exception {
    CliRun run = CliRun.of("eclipses", "--tle", example("walker-small.tle").toString(),
        "--from", "2025-11-20T12:00:00Z", "--hours", "3");

    assertEquals(0, run.exitCode(), run.toString());
    List<JsonNode> passes = lines(run);
    Set<String> tiles = new LinkedHashSet<>();
    Set<String> planes = new LinkedHashSet<>();
    Map<String, Instant> lastStartPerTile = new HashMap<>();
    String current = null;
    for (JsonNode pass : passes) {
      String tile = pass.get("tile").asText();
      if (!tile.equals(current)) {
        assertFalse(tiles.contains(tile), "the passes of " + tile + " are not together:\n" + run);
        current = tile;
      }
      tiles.add(tile);
      planes.add(pass.get("plane").asText());
      Instant start = instant(pass, "penumbraStart");
      Instant last = lastStartPerTile.put(tile, start);
      if (last != null) {
        assertTrue(start.isAfter(last), "passes of " + tile + " out of order:\n" + run);
      }
    }
    assertEquals(6, tiles.size(), run.toString());
    assertEquals(2, planes.size(), run.toString());
  }

  @Test
  void tileOptionKeepsOnlyTheNamedTile() throws Exception {
    CliRun all = CliRun.of("eclipses", "--planes", "2", "--tiles-per-plane", "2",
        "--from", "2026-03-20T00:00:00Z", "--hours", "3");
    assertEquals(0, all.exitCode(), all.toString());
    List<JsonNode> allPasses = lines(all);
    String someTile = allPasses.get(allPasses.size() - 1).get("tile").asText();

    CliRun one = CliRun.of("eclipses", "--planes", "2", "--tiles-per-plane", "2",
        "--from", "2026-03-20T00:00:00Z", "--hours", "3", "--tile", someTile);

    assertEquals(0, one.exitCode(), one.toString());
    List<JsonNode> onePasses = lines(one);
    assertFalse(onePasses.isEmpty());
    for (JsonNode pass : onePasses) {
      assertEquals(someTile, pass.get("tile").asText());
    }
    List<String> expected = new ArrayList<>();
    for (JsonNode pass : allPasses) {
      if (pass.get("tile").asText().equals(someTile)) {
        expected.add(pass.toString());
      }
    }
    assertEquals(expected, onePasses.stream().map(JsonNode::toString).toList());
  }

  @Test
  void aTleWithABadChecksumIsAUsageErrorNamingTheFileAndLine(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(example("iss.tle"));
    String line1 = lines.get(1);
    char last = line1.charAt(68);
    lines.set(1, line1.substring(0, 68) + (char) ('0' + (last - '0' + 1) % 10));
    Path bad = dir.resolve("bad.tle");
    Files.write(bad, lines);

    CliRun run = CliRun.of("eclipses", "--tle", bad.toString(), "--hours", "1");

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--tle"), run.toString());
    assertTrue(run.err().contains("bad.tle:2"), run.toString());
    assertTrue(run.err().contains("checksum"), run.toString());
    assertTrue(run.out().isEmpty(), run.toString());
  }

  @Test
  void dawnDuskSunSynchronousOrbitHasNoEclipseAtTheEquinoxButNoonOrbitDoes() throws Exception {
    // At the March equinox a 6:00 LTAN orbit at 550 km has beta ~ 82 deg, above beta* ~ 67 deg:
    // no shadow at all; a 12:00 LTAN orbit has beta ~ 0 and ~36 min of umbra every orbit.
    CliRun dawnDusk = CliRun.of("eclipses", "--sun-synchronous", "--ltan-hours", "6", "--planes", "1",
        "--tiles-per-plane", "1", "--from", "2026-03-20T00:00:00Z", "--hours", "3");
    CliRun noon = CliRun.of("eclipses", "--sun-synchronous", "--ltan-hours", "12", "--planes", "1",
        "--tiles-per-plane", "1", "--from", "2026-03-20T00:00:00Z", "--hours", "3");

    assertEquals(0, dawnDusk.exitCode(), dawnDusk.toString());
    assertEquals(0, noon.exitCode(), noon.toString());
    assertTrue(lines(dawnDusk).isEmpty(), dawnDusk.toString());
    List<JsonNode> noonPasses = lines(noon);
    assertTrue(noonPasses.size() >= 1, noon.toString());
    for (JsonNode pass : noonPasses) {
      if (!pass.get("umbraSeconds").isNull() && instant(pass, "penumbraStart") != null
          && instant(pass, "penumbraEnd") != null) {
        assertTrue(pass.get("umbraSeconds").asDouble() > 30 * 60, pass.toString());
      }
    }
  }
}
