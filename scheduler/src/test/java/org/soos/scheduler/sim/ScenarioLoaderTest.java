package org.soos.scheduler.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.soos.shared.orbit.ConstellationSpec;

class ScenarioLoaderTest {
  private static final String MINIMAL = """
      {"name": "tiny", "start": "2026-03-20T00:00:00Z", "hours": 1,
       "constellation": {"type": "walker", "altitudeKm": 550, "inclinationDeg": 53, "planes": 2,
                         "tilesPerPlane": 3, "phasing": 1},
       "workload": {"arrivalsPerHour": 30}}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"walker-24h", "dawn-dusk-24h", "eclipse-season"})
  void loadsEveryShippedScenarioByName(String name) {
    Scenario s = ScenarioLoader.load(name);
    assertEquals(name, s.name());
    assertEquals(Duration.ofHours(24), s.duration());
    assertEquals(240, s.tileCount());
    assertEquals(240, s.tiles().size());
    assertEquals(1.2, s.workload().oversubscription());
  }

  @Test
  void walkerIsTheReferenceShellOfBenchmarksSectionOne() {
    Scenario s = ScenarioLoader.load("walker-24h");
    ConstellationSpec c = s.constellation();
    assertEquals(ConstellationSpec.Type.WALKER, c.type());
    assertEquals(550.0, c.altitudeKm());
    assertEquals(53.0, c.inclinationDeg());
    assertEquals(12, c.planes());
    assertEquals(20, c.tilesPerPlane());
    assertEquals(150.0, s.tile().battery().usableWh(), 1e-9);
    assertEquals(10e9, s.links().inPlaneBitsPerSecond());
    assertEquals(1e9, s.links().crossPlaneBitsPerSecond());
  }

  @Test
  void fillsWhatAScenarioLeavesOutFromTheReferenceTileAndDefaults() {
    Scenario s = ScenarioLoader.parse(MINIMAL, "tiny", null);
    assertEquals(6, s.tileCount());
    assertEquals(200.0, s.tile().battery().capacityWh());
    assertEquals(4, s.tile().orinCount());
    assertEquals(Instant.parse("2026-03-20T00:00:00Z"), s.constellation().epoch());
    assertEquals(Scenario.SimSettings.defaults(), s.simulation());
    assertNull(s.workload().oversubscription());
    assertEquals(30.0, s.workload().arrivalsPerHour());
  }

  @Test
  void overridesOnlyTheTileFieldsItNames() {
    String json = MINIMAL.replace("\"workload\"", "\"tile\": {\"battery\": {\"capacityWh\": 120}, "
        + "\"thermal\": {\"radiatorEmissivity\": 0.7}}, \"workload\"");
    Scenario s = ScenarioLoader.parse(json, "tiny", null);
    assertEquals(120.0, s.tile().battery().capacityWh());
    assertEquals(25.0, s.tile().battery().reserveFloorPercent());
    assertEquals(0.7, s.tile().thermal().radiatorEmissivity());
    assertEquals(0.92, s.tile().thermal().solarFaceAbsorptance());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"hours\": 1,|\"hours\": 1, \"colour\": 3,|colour is not a known field",
      "\"arrivalsPerHour\": 30|\"arrivalsPerHour\": 30, \"powerWatts\": [60, 15]|workload.powerWatts must be [min, max]",
      "\"arrivalsPerHour\": 30|\"arrivalsPerHour\": -1|workload.arrivalsPerHour must be > 0",
      "\"workload\"|\"tile\": {\"battery\": {\"capacityWh\": -5}}, \"workload\"|battery.capacity-wh must be a finite number > 0",
      "\"workload\"|\"tile\": {\"batery\": {}}, \"workload\"|tile.batery is not a known field",
      "\"planes\": 2|\"planes\": 0|constellation.planes must be >= 1",
      "\"type\": \"walker\"|\"type\": \"ring\"|constellation.type must be walker, sun-synchronous or tle",
      "\"hours\": 1|\"hours\": \"one\"|hours must be a number",
      "\"arrivalsPerHour\": 30|\"arrivalsPerHour\": 30, \"priorities\": [{\"priority\": 12, \"share\": 1}]|workload.priorities[0].priority must be in 0..9"
  })
  void rejectsABadScenarioNamingTheField(String from, String to, String message) {
    String json = MINIMAL.replace(from, to);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.parse(json, "tiny", null));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void namesTheShippedScenariosWhenNeitherFileNorNameExists() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.load("walker-99h"));
    assertTrue(e.getMessage().contains("walker-24h, dawn-dusk-24h, eclipse-season"), e.getMessage());
  }

  @Test
  void replaysAJobTraceRelativeToTheScenarioFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("jobs.jsonl"), String.join("\n",
        "# two jobs",
        "{\"offsetSeconds\": 60, \"id\": \"a\", \"spec\": {\"name\": \"a\", \"kind\": \"SIMULATED\", \"workGpuSeconds\": 600,"
            + " \"powerWatts\": 30, \"memoryGb\": 8, \"priority\": 5}}",
        "{\"at\": \"2026-03-20T00:30:00Z\", \"id\": \"b\", \"spec\": {\"name\": \"b\", \"kind\": \"SIMULATED\","
            + " \"workGpuSeconds\": 1200, \"powerWatts\": 50, \"memoryGb\": 8, \"priority\": 2,"
            + " \"checkpoint\": {\"intervalSeconds\": 300, \"sizeBytes\": 1000000000, \"migratable\": true}}}",
        "{\"at\": \"2026-03-21T00:30:00Z\", \"id\": \"late\", \"spec\": {\"name\": \"c\", \"kind\": \"SIMULATED\","
            + " \"workGpuSeconds\": 1200, \"powerWatts\": 50, \"memoryGb\": 8, \"priority\": 2}}"));
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, MINIMAL.replace("{\"arrivalsPerHour\": 30}", "{\"trace\": \"jobs.jsonl\"}"));
    Scenario s = ScenarioLoader.load(file.toString());
    WorkloadGenerator.Workload w = WorkloadGenerator.jobs(s, 1000);
    assertEquals(2, w.arrivals().size(), "the job after the end of the run is dropped");
    assertEquals("a", w.arrivals().get(0).id().value());
    assertEquals(60.0, w.arrivals().get(0).atSeconds());
    assertEquals(1800.0, w.arrivals().get(1).atSeconds());
    assertTrue(w.arrivals().get(1).spec().migratable());

    PolicyResult r = Simulation.run(SimConstellation.of(s, 1), w.arrivals(),
        SimPolicies.create("soos", s, SimConstellation.of(s, 1).periodSeconds()), null);
    assertEquals(2, r.metrics().jobsSubmitted());
    assertEquals(2, r.metrics().jobsCompleted());
    assertEquals(0.5, r.metrics().usefulWorkGpuHours(), 1e-9);
  }

  @Test
  void rejectsATraceLineNamingItsNumber(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("jobs.jsonl"), "{\"offsetSeconds\": 1, \"spec\": {\"name\": \"a\", \"kind\": \"SIMULATED\","
        + " \"workGpuSeconds\": 0, \"powerWatts\": 30, \"memoryGb\": 8, \"priority\": 5}}\n");
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, MINIMAL.replace("{\"arrivalsPerHour\": 30}", "{\"trace\": \"jobs.jsonl\"}"));
    Scenario s = ScenarioLoader.load(file.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkloadGenerator.jobs(s, 1));
    assertTrue(e.getMessage().contains("jobs.jsonl:1: spec.workGpuSeconds must be > 0"), e.getMessage());
  }

  @Test
  void resizesTheConstellationKeepingItsPlanes() {
    Scenario s = ScenarioLoader.load("walker-24h").withTiles(1000);
    assertEquals(1000, s.tiles().size());
    assertEquals(12, s.constellation().planes());
    assertEquals(84, s.constellation().tilesPerPlane());
    assertEquals(10_000, ScenarioLoader.load("walker-24h").withTiles(10_000).tiles().size());
  }

  @Test
  void generatesTheSameJobsForTheSameSeed() {
    Scenario s = ScenarioLoader.parse(MINIMAL.replace("\"hours\": 1", "\"hours\": 4"), "tiny", null);
    var a = WorkloadGenerator.jobs(s, 1000).arrivals();
    var b = WorkloadGenerator.jobs(s, 1000).arrivals();
    assertEquals(a, b);
    assertTrue(a.size() > 60 && a.size() < 180, "about 30 jobs per hour for 4 h, got " + a.size());
    var c = WorkloadGenerator.jobs(s.withSeed(99), 1000).arrivals();
    assertTrue(!a.equals(c));
  }
}
