package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/** Hand-made TILE reports and jobs for policy tests. */
final class PolicyFixtures {
  static final Instant NOW = Instant.parse("2026-03-20T12:00:00Z");

  private PolicyFixtures() {}

  static JobSpec job(double workGpuSeconds, double powerWatts, int priority, boolean migratable) {
    JobSpec.CheckpointSpec cp = migratable ? new JobSpec.CheckpointSpec(300, 2_000_000_000L, true) : null;
    return new JobSpec("test", JobKind.SIMULATED, workGpuSeconds, powerWatts, 8, priority, null, cp, null, null);
  }

  /** A TILE whose array gives {@code solarWatts} until {@code eclipseInMinutes}, then 0 for 36 minutes, then sun again. */
  static Tile tile(String id, String plane) {
    return new Tile(id, plane);
  }

  static final class Tile {
    final String id;
    final String plane;
    double batteryWh = 190;
    double capacityWh = 200;
    double reserveWh = 50;
    double loadWatts = 20;
    double solarWatts = 360;
    double eclipseInMinutes = 60;
    double eclipseMinutes = 36;
    double plateCelsius = 40;
    final double[] junctionCelsius = {45, 45, 45, 45};
    final double[] drawWatts = {8, 8, 8, 8};
    final List<List<JobProgress>> jobs = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
    boolean shedding = false;

    Tile(String id, String plane) {
      this.id = id;
      this.plane = plane;
    }

    Tile battery(double wh) { batteryWh = wh; return this; }
    Tile load(double w) { loadWatts = w; return this; }
    Tile eclipseIn(double minutes) { eclipseInMinutes = minutes; return this; }
    Tile junction(int slot, double c) { junctionCelsius[slot] = c; return this; }
    Tile draw(int slot, double w) { drawWatts[slot] = w; return this; }
    Tile running(int slot, JobId jobId, double doneGpuSeconds, double workGpuSeconds) {
      jobs.get(slot).add(new JobProgress(jobId, 1, JobProgress.JobRunState.RUNNING, doneGpuSeconds, workGpuSeconds, 0));
      return this;
    }

    TileReport report() {
      List<BudgetForecastPoint> forecast = new ArrayList<>();
      for (int m = 0; m <= 190; m += 5) {
        double solar = solarAt(m);
        forecast.add(new BudgetForecastPoint(NOW.plus(Duration.ofMinutes(m)), solar, Math.max(0, solar - 20), batteryWh));
      }
      List<OrinReport> orins = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        orins.add(new OrinReport(s, OrinModule.AGX_ORIN_64GB, 0, "MAXN", drawWatts[s], junctionCelsius[s],
            OrinReport.OrinHealth.NOMINAL, List.copyOf(jobs.get(s))));
      }
      List<EclipseWindow> windows = new ArrayList<>();
      for (double start = eclipseInMinutes; start < 190; start += 95.6) {
        Instant s = NOW.plusSeconds(Math.round(start * 60));
        Instant e = NOW.plusSeconds(Math.round((start + eclipseMinutes) * 60));
        windows.add(new EclipseWindow(s, s.plusSeconds(8), e.minusSeconds(8), e));
      }
      double solarNow = solarAt(0);
      return new TileReport(TileId.of(id), PlaneId.of(plane), NOW,
          solarNow > 0 ? EclipseState.SUNLIT : EclipseState.UMBRA, solarNow > 0 ? 1 : 0, 10, windows,
          solarNow, loadWatts, batteryWh, capacityWh, reserveWh, 100 * batteryWh / capacityWh,
          Math.max(0, solarNow - 20), forecast, plateCelsius, shedding, orins);
    }

    private double solarAt(double minutes) {
      double period = 95.6;
      double m = minutes;
      while (m >= eclipseInMinutes + period) m -= period;
      boolean dark = m >= eclipseInMinutes && m < eclipseInMinutes + eclipseMinutes;
      return dark ? 0 : solarWatts;
    }
  }
}
