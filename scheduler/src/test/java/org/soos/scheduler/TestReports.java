package org.soos.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/** Hand-built TILE reports with plausible numbers (a 1 m^2 TILE, four AGX Orin 64GB). */
public final class TestReports {
  /** A fixed simulated instant the test reports are anchored on. */
  public static final Instant SIM_EPOCH = Instant.parse("2026-03-20T00:00:00Z");

  private TestReports() {}

  /**
   * A report of {@code tile} in {@code plane} at {@code simTime}.
   *
   * @param solarInputWatts array output, W
   * @param computeBudgetWatts power available to the Orins, W
   * @param socPercent battery state of charge, %
   * @param hottestJunctionCelsius junction temperature of Orin slot 0 (the others run 10 C cooler), C
   */
  public static TileReport report(String tile, String plane, Instant simTime, EclipseState state,
      double solarInputWatts, double computeBudgetWatts, double socPercent, double hottestJunctionCelsius) {
    double capacityWh = 500;
    Instant umbraStart = simTime.plus(Duration.ofMinutes(20));
    List<EclipseWindow> eclipses = List.of(
        new EclipseWindow(umbraStart.minusSeconds(9), umbraStart, umbraStart.plus(Duration.ofMinutes(35)),
            umbraStart.plus(Duration.ofMinutes(35)).plusSeconds(9)),
        new EclipseWindow(umbraStart.plus(Duration.ofMinutes(95)).minusSeconds(9),
            umbraStart.plus(Duration.ofMinutes(95)), umbraStart.plus(Duration.ofMinutes(130)),
            umbraStart.plus(Duration.ofMinutes(130)).plusSeconds(9)));
    List<BudgetForecastPoint> forecast = List.of(
        new BudgetForecastPoint(simTime, solarInputWatts, computeBudgetWatts, capacityWh * socPercent / 100),
        new BudgetForecastPoint(simTime.plus(Duration.ofMinutes(30)), 0, 40, capacityWh * socPercent / 100 - 60));
    List<OrinReport> orins = List.of(
        orin(0, hottestJunctionCelsius, List.of(new JobProgress(JobId.of("job-" + tile), 3,
            JobProgress.JobRunState.RUNNING, 1200, 3600, 900))),
        orin(1, hottestJunctionCelsius - 10, List.of()),
        orin(2, hottestJunctionCelsius - 10, List.of()),
        orin(3, hottestJunctionCelsius - 10, List.of()));
    return new TileReport(TileId.of(tile), PlaneId.of(plane), simTime, state,
        state == EclipseState.SUNLIT ? 1.0 : state == EclipseState.PENUMBRA ? 0.5 : 0.0,
        21.5, eclipses, solarInputWatts, 95.0, capacityWh * socPercent / 100, capacityWh, 100.0, socPercent,
        computeBudgetWatts, forecast, 35.0, false, orins);
  }

  private static OrinReport orin(int slot, double junctionCelsius, List<JobProgress> jobs) {
    OrinModule module = OrinModule.AGX_ORIN_64GB;
    return new OrinReport(slot, module, module.maxMode().id(), module.maxMode().name(),
        jobs.isEmpty() ? module.idleWatts() : 45.0, junctionCelsius, OrinReport.OrinHealth.NOMINAL, jobs);
  }
}
