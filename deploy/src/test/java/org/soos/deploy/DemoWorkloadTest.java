package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default demo workload of {@code soos up --demo} and its options. */
class DemoWorkloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDefaultCopiesFillSevenInEightOrins() {
    assertEquals(42, DemoWorkload.defaultCopies(48, 1, 1000), "3 planes x 4 TILEs x 4 Orins, one spec");
    assertEquals(8, DemoWorkload.defaultCopies(48, 5, 1000), "the five samples of deploy/examples");
    assertEquals(112, DemoWorkload.defaultCopies(128, 1, 1000), "4 planes x 8 TILEs");
    assertEquals(1, DemoWorkload.defaultCopies(4, 9, 1000), "always at least one");
    assertEquals(1000, DemoWorkload.defaultCopies(100_000, 1, 1000), "never more than the cap");
    assertThrows(IllegalArgumentException.class, () -> DemoWorkload.defaultCopies(48, 0, 1000));
  }

  @Test
  void theDefaultFolderHoldsCheckpointableJobsThatATileCarriesThreeOfButNotFour() throws Exception {
    List<Path> specs = DemoWorkload.specs(Examples.folder("eclipse-demo"));
    assertTrue(!specs.isEmpty());
    for (Path p : specs) {
      JsonNode json = JSON.readTree(Files.readString(p));
      assertEquals("simulated", json.path("kind").asText(), p.toString());
      assertTrue(json.path("checkpoint").path("migratable").asBoolean(), p + " must be able to move");
      // The reference TILE carries three such jobs through an eclipse on its battery, not four (DemoWorkload).
      double watts = json.path("powerWatts").asDouble();
      assertTrue(watts >= 50 && watts <= 60, p + ": " + watts + " W");
      // Long enough to meet several eclipses.
      assertTrue(json.path("workGpuSeconds").asDouble() >= 3 * 3600, p.toString());
    }
  }

  @Test
  void demoOptionsNeedDemoAndStayInRange() {
    CliRun copiesAlone = CliRun.of("up", "--demo-copies", "3");
    assertEquals(2, copiesAlone.exitCode(), copiesAlone.toString());
    assertTrue(copiesAlone.err().contains("--demo-copies needs --demo"), copiesAlone.toString());
    CliRun zero = CliRun.of("up", "--demo", "--demo-copies", "0");
    assertEquals(2, zero.exitCode(), zero.toString());
    assertTrue(zero.err().contains("--demo-copies must be in 1..1000"), zero.toString());
    CliRun tooMany = CliRun.of("up", "--demo", "--demo-copies", "1001");
    assertEquals(2, tooMany.exitCode(), tooMany.toString());
    assertTrue(tooMany.err().contains("--demo-copies"), tooMany.toString());
  }
}
