package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.TileReport;

/**
 * Replays a TILE's solar forecast with a changed load to find when its battery would reach the
 * reserve floor.
 *
 * <p>Battery model (same bookkeeping as the TILE's physics, coarser in time): between forecast
 * points the solar input is held at the earlier point's value; a surplus charges the battery with
 * {@code chargeEfficiency} up to capacity (the rest is curtailed), a deficit discharges it with
 * {@code dischargeEfficiency}. Time resolution is the forecast's point spacing (minutes), so an
 * eclipse edge is placed to within one spacing; the policy's lead time covers that.
 */
public final class EnergyForecast {
  private EnergyForecast() {}

  /**
   * The first instant within the horizon at which the battery falls below reserve + margin when
   * the TILE's load changes by {@code loadDeltaWatts} from now on; empty if it never does.
   *
   * @param report the TILE's latest report (battery, load, solar forecast)
   * @param loadDeltaWatts added (positive) or removed (negative) load, watts
   * @param settings efficiencies, margin and horizon
   * @param now simulated now; the report may be a little older
   */
  public static Optional<Instant> shortfall(
      TileReport report, double loadDeltaWatts, PolicySettings settings, Instant now) {
    double floorWh = report.batteryReserveWh() + settings.batteryMarginWh();
    double energyWh = report.batteryEnergyWh();
    double loadWatts = Math.max(0.0, report.loadWatts() + loadDeltaWatts);
    Instant horizonEnd = now.plus(settings.forecastHorizon());
    List<BudgetForecastPoint> points = report.forecast();

    Instant t = report.simTime();
    double solarWatts = report.solarInputWatts();
    int i = 0;
    while (i < points.size() && !points.get(i).at().isAfter(t)) {
      solarWatts = points.get(i).solarInputWatts();
      i++;
    }
    if (energyWh < floorWh && solarWatts < loadWatts) return Optional.of(max(t, now));
    while (t.isBefore(horizonEnd)) {
      Instant next = i < points.size() ? points.get(i).at() : horizonEnd;
      if (next.isAfter(horizonEnd)) next = horizonEnd;
      double dtHours = Duration.between(t, next).toMillis() / 3.6e6;
      double netWatts = solarWatts - loadWatts;
      if (netWatts >= 0) {
        energyWh = Math.min(report.batteryCapacityWh(), energyWh + netWatts * settings.chargeEfficiency() * dtHours);
      } else {
        double drainWhPerHour = -netWatts / settings.dischargeEfficiency();
        double after = energyWh - drainWhPerHour * dtHours;
        if (after < floorWh) {
          double hoursToFloor = Math.max(0.0, (energyWh - floorWh) / drainWhPerHour);
          Instant at = t.plusMillis(Math.round(hoursToFloor * 3.6e6));
          return Optional.of(max(at, now));
        }
        energyWh = after;
      }
      t = next;
      if (i < points.size()) {
        solarWatts = points.get(i).solarInputWatts();
        i++;
      } else if (!t.isBefore(horizonEnd)) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The start of the shadow pass that contains {@code at} (from the report's eclipse windows, else
   * the dark stretch of the forecast, solar input below 1 W), or {@code at} itself when there is sun: the last moment a TILE can hand work on while
   * its array still powers the checkpoint and the transfer.
   */
  public static Instant darkStretchStart(TileReport report, Instant at) {
    // Exact shadow windows first (the forecast's points are minutes apart).
    for (org.soos.shared.orbit.EclipseWindow w : report.nextEclipses()) {
      Instant ws = w.start();
      Instant we = w.end();
      if (ws != null && we != null && !at.isBefore(ws) && !at.isAfter(we)) return ws;
    }
    Instant start = null;
    if (report.solarInputWatts() < 1.0) start = report.simTime();
    for (BudgetForecastPoint p : report.forecast()) {
      if (p.at().isAfter(at)) break;
      if (p.solarInputWatts() < 1.0) {
        if (start == null) start = p.at();
      } else {
        start = null;
      }
    }
    return start == null ? at : start;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
