package org.soos.scheduler.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.TestReports;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;

class PlaneSummaryTest {
  private static final Instant NOW = Instant.parse("2026-03-20T12:00:00Z");

  private static TileView view(String tile, EclipseState state, double solarW, double budgetW, double soc,
      double junctionC, boolean stale) {
    return new TileView(TestReports.report(tile, "p0", TestReports.SIM_EPOCH, state, solarW, budgetW, soc, junctionC),
        null, NOW, TestReports.SIM_EPOCH, stale);
  }

  @Test
  void totalsCoverLiveTilesOnlyButCountStaleOnes() {
    PlaneSummary s = PlaneSummary.of(PlaneId.of("p0"), List.of(
        view("p0-t2", EclipseState.SUNLIT, 320, 160, 90, 62, false),
        view("p0-t0", EclipseState.UMBRA, 0, 40, 40, 58, false),
        view("p0-t1", EclipseState.SUNLIT, 330, 170, 95, 99, true)), NOW, TestReports.SIM_EPOCH);

    assertEquals(3, s.tileCount());
    assertEquals(1, s.staleCount());
    assertEquals(1, s.sunlitCount());
    assertEquals(1, s.eclipsedCount());
    assertEquals(320, s.totalSolarInputWatts(), 1e-9);
    assertEquals(200, s.totalComputeBudgetWatts(), 1e-9);
    assertEquals(65, s.meanBatteryStateOfChargePercent(), 1e-9);
    assertEquals(62, s.maxJunctionTempCelsius(), 1e-9);
    assertEquals(List.of(TileId.of("p0-t0"), TileId.of("p0-t1"), TileId.of("p0-t2")), s.tileIds());
  }

  @Test
  void meanAndMaxAreAbsentWhenEveryTileIsStale() {
    PlaneSummary s = PlaneSummary.of(PlaneId.of("p0"),
        List.of(view("p0-t0", EclipseState.SUNLIT, 320, 160, 90, 62, true)), NOW, TestReports.SIM_EPOCH);

    assertEquals(1, s.tileCount());
    assertEquals(1, s.staleCount());
    assertEquals(0, s.sunlitCount() + s.eclipsedCount());
    assertEquals(0, s.totalSolarInputWatts());
    assertNull(s.meanBatteryStateOfChargePercent());
    assertNull(s.maxJunctionTempCelsius());
  }
}
