package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.TestReports;
import org.soos.scheduler.coordinator.TileView;
import org.soos.scheduler.index.JobTable;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orbit.EclipseState;

/** The exposition carries job figures from the index and per-TILE gauges, in valid text format. */
class ApiMetricsTest {
  private static final Instant T0 = TestReports.SIM_EPOCH;

  @Test
  void exposesJobTotalsAndTileGaugesInPrometheusTextFormat() {
    JobTable jobs = new JobTable();
    JobSpec spec = new JobSpec("j", JobKind.SIMULATED, 600, 30, 8, 1, null, null, null, null);
    long offset = 0;
    for (String id : List.of("a", "b", "c")) {
      jobs.record(JobId.of(id), new JobEntity.JobSubmitted(JobId.of(id), spec, null, T0), ++offset);
    }
    jobs.record(JobId.of("a"), new JobEntity.JobPlaced(TileId.of("p0-t0"), PlaneId.of("p0"), 0, 1, "fit", T0), ++offset);
    jobs.record(JobId.of("a"), new JobEntity.MigrationStarted(1, TileId.of("p0-t1"), PlaneId.of("p0"), 1, "thermal", T0), ++offset);
    jobs.record(JobId.of("b"), new JobEntity.JobPlaced(TileId.of("p0-t0"), PlaneId.of("p0"), 1, 1, "fit", T0), ++offset);
    jobs.record(JobId.of("b"), new JobEntity.JobRequeued(1, "node-lost", 12.5, T0), ++offset);

    ApiMetrics metrics = new ApiMetrics(jobs);
    List<TileView> tiles = List.of(
        new TileView(TestReports.report("p0-t1", "p0", T0, EclipseState.UMBRA, 0, 40, 55, 71), null, T0, T0, true),
        new TileView(TestReports.report("p0-t0", "p0", T0, EclipseState.SUNLIT, 320, 160, 90, 62), null, T0, T0, false));
    String text = new String(metrics.scrape(tiles), StandardCharsets.UTF_8);
    Map<String, Double> s = PrometheusText.parse(text);

    assertEquals(2.0, s.get("soos_jobs{state=\"PENDING\"}"), text);
    assertEquals(1.0, s.get("soos_jobs{state=\"CHECKPOINTING\"}"));
    for (JobStatus state : JobStatus.values()) assertTrue(s.containsKey("soos_jobs{state=\"" + state + "\"}"), state.name());
    assertEquals(2.0, s.get("soos_job_placements_total"));
    assertEquals(1.0, s.get("soos_job_migrations_total{reason=\"thermal\"}"));
    assertEquals(12.5, s.get("soos_job_lost_work_gpu_seconds_total"));
    assertEquals((double) offset, s.get("soos_job_index_journal_offset"));

    assertEquals(320.0, s.get("soos_tile_solar_input_watts{plane=\"p0\",tile=\"p0-t0\"}"));
    assertEquals(0.0, s.get("soos_tile_solar_input_watts{plane=\"p0\",tile=\"p0-t1\"}"));
    assertEquals(450.0, s.get("soos_tile_battery_energy_wh{plane=\"p0\",tile=\"p0-t0\"}"), 1e-9);
    assertEquals(55.0, s.get("soos_tile_battery_state_of_charge_percent{plane=\"p0\",tile=\"p0-t1\"}"));
    assertEquals(35.0, s.get("soos_tile_plate_temperature_celsius{plane=\"p0\",tile=\"p0-t0\"}"));
    assertEquals(71.0, s.get("soos_tile_max_junction_temperature_celsius{plane=\"p0\",tile=\"p0-t1\"}"));
    assertEquals(160.0, s.get("soos_tile_compute_budget_watts{plane=\"p0\",tile=\"p0-t0\"}"));
    assertEquals(1.0, s.get("soos_tile_stale{plane=\"p0\",tile=\"p0-t1\"}"));
    assertEquals(0.0, s.get("soos_tile_stale{plane=\"p0\",tile=\"p0-t0\"}"));
    assertTrue(text.contains("# TYPE soos_job_placements_total counter"), text);
    assertTrue(text.contains("# TYPE soos_tile_solar_input_watts gauge"), text);
    assertFalse(text.contains("NaN"), text);
  }

  @Test
  void withoutTilesTheTileFamiliesAreEmptyButTheScrapeIsValid() {
    String text = new String(new ApiMetrics(new JobTable()).scrape(List.of()), StandardCharsets.UTF_8);
    Map<String, Double> s = PrometheusText.parse(text);
    assertEquals(0.0, s.get("soos_jobs{state=\"RUNNING\"}"));
    assertFalse(s.keySet().stream().anyMatch(k -> k.startsWith("soos_tile_")), text);
  }
}
