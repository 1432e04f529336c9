package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code soos status} and {@code soos tiles} against a real scheduler started in this JVM (no TILEs), and
 * against nothing. With TILEs, from a real {@code soos up}: {@code UpDownIT}.
 */
class ClusterCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static InJvmScheduler scheduler;
  private static String url;

  @BeforeAll
  static void startScheduler() throws Exception {
    scheduler = InJvmScheduler.start("soos-cli-status");
    url = scheduler.url();
  }

  @AfterAll
  static void stopScheduler() throws Exception {
    if (scheduler != null) scheduler.close();
  }

  @Test
  void statusOfAReadySchedulerWithAPendingJob() throws Exception {
    Path spec = Files.createTempFile("job", ".json");
    Files.writeString(spec, "{\"name\":\"status-test\",\"kind\":\"simulated\",\"workGpuSeconds\":100,"
        + "\"powerWatts\":20,\"memoryGb\":4,\"priority\":1}");
    CliRun submitted = CliRun.of("submit", spec.toString(), "--url", url);
    assertEquals(0, submitted.exitCode(), submitted.toString());

    // The job counts come from the job index, which trails the journal a little.
    JsonNode status = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      CliRun run = CliRun.of("status", "--url", url, "--json", "--run-file", "/nonexistent/soos-up.json");
      assertEquals(0, run.exitCode(), run.toString());
      status = JSON.readTree(run.out());
      if (status.path("jobs").path("PENDING").asLong() >= 1) break;
      Thread.sleep(200);
    }
    assertTrue(status.path("ready").asBoolean(), status.toString());
    assertEquals("Up", status.path("memberStatus").asText());
    assertEquals(url, status.path("url").asText());
    assertTrue(status.path("run").isNull(), status.toString());
    assertEquals(60.0, status.path("clock").path("warp").asDouble(), status.toString());
    assertTrue(status.path("jobs").path("PENDING").asLong() >= 1, status.toString());
    assertEquals(0, status.path("tiles").path("count").asInt(), status.toString());

    CliRun text = CliRun.of("status", "--url", url, "--run-file", "/nonexistent/soos-up.json");
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.out().startsWith("scheduler  " + url + "  READY (cluster member Up)"), text.toString());
    assertTrue(text.out().contains("sim time"), text.toString());
    assertTrue(text.out().matches("(?s).*jobs +.*PENDING [1-9].*"), text.toString());
  }

  @Test
  void statusOfNothingIsAFailure() throws Exception {
    String nowhere = "http://127.0.0.1:" + FreePorts.block(1);
    CliRun run = CliRun.of("status", "--url", nowhere, "--timeout", "2", "--run-file", "/nonexistent/soos-up.json");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.out().contains("NOT READY") && run.out().contains("does not answer"), run.toString());
    CliRun json = CliRun.of("status", "--url", nowhere, "--timeout", "2", "--json", "--run-file", "/nonexistent/soos-up.json");
    assertEquals(1, json.exitCode(), json.toString());
    assertTrue(!JSON.readTree(json.out()).path("ready").asBoolean(), json.toString());
  }

  @Test
  void tilesOfASchedulerWithoutTiles() throws Exception {
    CliRun table = CliRun.of("tiles", "--url", url);
    assertEquals(0, table.exitCode(), table.toString());
    assertTrue(table.out().startsWith("TILE "), table.toString());
    assertTrue(table.out().contains("(no TILEs have reported)"), table.toString());
    CliRun json = CliRun.of("tiles", "--url", url, "--json", "--plane", "p0", "--light", "umbra");
    assertEquals(0, json.exitCode(), json.toString());
    assertEquals(0, JSON.readTree(json.out()).size(), json.toString());
  }

  @Test
  void tilesOfNothingIsAFailure() throws Exception {
    CliRun run = CliRun.of("tiles", "--url", "http://127.0.0.1:" + FreePorts.block(1), "--timeout", "2");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("soos tiles: error:"), run.toString());
  }

  @Test
  void tileTableShowsLightPowerTemperatureJobsAndFlags() throws Exception {
    JsonNode tiles = JSON.readTree("""
        [{"tileId":"p0-t1","planeId":"p0","eclipseState":"UMBRA","batteryStateOfChargePercent":41.6,
          "solarInputWatts":0.0,"loadWatts":96.2,"computeBudgetWatts":120.4,"maxJunctionTempCelsius":71.25,
          "shedding":true,"stale":false,
          "orins":[{"slot":0,"health":"THROTTLED","jobs":[{"jobId":"a"},{"jobId":"b"}]},{"slot":1,"health":"NOMINAL","jobs":[]}]}]
        """);
    String table = TilesCommand.table(tiles);
    String[] lines = table.split("\\R");
    assertEquals(2, lines.length, table);
    assertTrue(lines[1].matches("p0-t1 +p0 +UMBRA +42 +0 +96 +120 +71\\.3 +2 +shedding, orin-0 throttled"), table);
  }

  @Test
  void jobsByStateReadsTheGaugeOnly() {
    String metrics = """
        # HELP soos_jobs Jobs per lifecycle state
        # TYPE soos_jobs gauge
        soos_jobs{state="PENDING"} 3.0
        soos_jobs{state="RUNNING"} 12.0
        soos_job_placements_total 15.0
        """;
    assertEquals(Map.of("PENDING", 3L, "RUNNING", 12L), StatusCommand.jobsByState(metrics));
  }
}
