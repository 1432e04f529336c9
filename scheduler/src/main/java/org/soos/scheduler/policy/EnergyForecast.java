package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@code dischargeEfficiency}. The forecast's points are minutes apart; the report's shadow passes place
 * each eclipse edge exactly: the array gives nothing from a pass's start (penumbra included) to its end, and
 * from the end on it gives what the next sunlit point says (a point inside the pass says 0 W and is not held
 * into the sunlight after it), so the answer does not depend on where the points fall around the edges.
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
    return Profile.of(report, settings, now).shortfall(loadDeltaWatts);
  }

  /**
   * A TILE's solar forecast laid out once as stretches of constant solar input up to the horizon, to ask
   * {@link #shortfall} for many load changes cheaply (a policy round asks for every candidate job). Gives
   * exactly what {@link EnergyForecast#shortfall} gives. Immutable.
   */
  public static final class Profile {
    private final Instant now;
    private final Instant start;
    private final double startSolarWatts;
    private final double baseLoadWatts;
    private final double energyWh;
    private final double floorWh;
    private final double capacityWh;
    private final double chargeEfficiency;
    private final double dischargeEfficiency;
    private final Instant[] stretchStart;
    private final double[] stretchHours;
    private final double[] stretchSolarWatts;

    private Profile(TileReport report, PolicySettings settings, Instant now) {
      this.now = now;
      this.floorWh = report.batteryReserveWh() + settings.batteryMarginWh();
      this.energyWh = report.batteryEnergyWh();
      this.capacityWh = report.batteryCapacityWh();
      this.baseLoadWatts = report.loadWatts();
      this.chargeEfficiency = settings.chargeEfficiency();
      this.dischargeEfficiency = settings.dischargeEfficiency();
      Instant horizonEnd = now.plus(settings.forecastHorizon());
      List<BudgetForecastPoint> points = report.forecast();
      Instant t = report.simTime();
      double solarWatts = report.solarInputWatts();
      int n = points.size();
      int i = 0;
      while (i < n && !points.get(i).at().isAfter(t)) {
        solarWatts = points.get(i).solarInputWatts();
        i++;
      }
      this.start = t;
      this.startSolarWatts = solarWatts;
      Instant[] starts = new Instant[n - i + 2];
      double[] hours = new double[n - i + 2];
      double[] solar = new double[n - i + 2];
      int m = 0;
      while (t.isBefore(horizonEnd)) {
        Instant next = i < n ? points.get(i).at() : horizonEnd;
        if (next.isAfter(horizonEnd)) next = horizonEnd;
        starts[m] = t;
        hours[m] = millisBetween(t, next) / 3.6e6;
        solar[m] = solarWatts;
        m++;
        t = next;
        if (i < n) {
          solarWatts = points.get(i).solarInputWatts();
          i++;
        } else if (!t.isBefore(horizonEnd)) {
          break;
        }
      }
      // The points are minutes apart: cut the stretches at the exact shadow edges the report lists and give
      // the array nothing inside a shadow pass (penumbra included), so that an eclipse starts on time.
      List<Instant> cuts = new ArrayList<>();
      List<org.soos.shared.orbit.EclipseWindow> windows = report.nextEclipses();
      for (org.soos.shared.orbit.EclipseWindow w : windows) {
        if (w.start() != null) cuts.add(w.start());
        if (w.end() != null) cuts.add(w.end());
      }
      cuts.sort(null);
      List<Instant> cutStarts = new ArrayList<>(m + 2 * cuts.size());
      List<Double> cutHours = new ArrayList<>(m + 2 * cuts.size());
      List<Double> cutSolar = new ArrayList<>(m + 2 * cuts.size());
      // A point inside a shadow pass says 0 W; held past the pass's exit it would keep the array dark for up to a
      // point interval of sunlight (and make the answer depend on where the points fall): sunlit time after an
      // exit takes the output of the next sunlit point instead (else the last one before).
      double[] litSolar = new double[m];
      double lastLit = Double.NaN;
      for (int k = 0; k < m; k++) {
        if (!inShadow(windows, starts[k])) lastLit = solar[k];
        litSolar[k] = lastLit;
      }
      double nextLit = Double.NaN;
      for (int k = m - 1; k >= 0; k--) {
        boolean dark = inShadow(windows, starts[k]);
        if (dark && !Double.isNaN(nextLit)) litSolar[k] = nextLit;
        else if (dark && Double.isNaN(litSolar[k])) litSolar[k] = solar[k];
        if (!dark) nextLit = solar[k];
      }
      for (int k = 0; k < m; k++) {
        Instant a = starts[k];
        Instant b = a.plusMillis(Math.round(hours[k] * 3.6e6));
        for (Instant c : cuts) {
          if (c.isAfter(a) && c.isBefore(b)) {
            cutStarts.add(a);
            cutHours.add(millisBetween(a, c) / 3.6e6);
            cutSolar.add(inShadow(windows, a) ? 0.0 : litSolar[k]);
            a = c;
          }
        }
        cutStarts.add(a);
        cutHours.add(millisBetween(a, b) / 3.6e6);
        cutSolar.add(inShadow(windows, a) ? 0.0 : litSolar[k]);
      }
      int count = cutStarts.size();
      this.stretchStart = cutStarts.toArray(new Instant[0]);
      this.stretchHours = new double[count];
      this.stretchSolarWatts = new double[count];
      for (int k = 0; k < count; k++) {
        stretchHours[k] = cutHours.get(k);
        stretchSolarWatts[k] = cutSolar.get(k);
      }
    }

    /** Whether {@code t} lies inside one of the shadow passes (an open edge reaches past the list's span). */
    private static boolean inShadow(List<org.soos.shared.orbit.EclipseWindow> windows, Instant t) {
      for (org.soos.shared.orbit.EclipseWindow w : windows) {
        boolean afterStart = w.start() == null || !t.isBefore(w.start());
        boolean beforeEnd = w.end() == null || t.isBefore(w.end());
        if (afterStart && beforeEnd) return true;
      }
      return false;
    }

    /** The profile of {@code report} from {@code now} over the settings' horizon. */
    public static Profile of(TileReport report, PolicySettings settings, Instant now) {
      return new Profile(report, settings, now);
    }

    /** As {@link EnergyForecast#shortfall} for this report. */
    public Optional<Instant> shortfall(double loadDeltaWatts) {
      return shortfall(loadDeltaWatts, 0.0);
    }

    /**
     * As {@link EnergyForecast#shortfall} with the floor raised by {@code extraFloorWh}: the first instant the
     * battery falls below reserve + margin + extra.
     */
    public Optional<Instant> shortfall(double loadDeltaWatts, double extraFloorWh) {
      double floor = floorWh + extraFloorWh;
      double loadWatts = Math.max(0.0, baseLoadWatts + loadDeltaWatts);
      if (energyWh < floor && startSolarWatts < loadWatts) return Optional.of(max(start, now));
      int k = firstShortfallStretch(loadWatts, floor);
      if (k < 0) return Optional.empty();
      double e = energyBefore(k, loadWatts);
      double drainWhPerHour = (loadWatts - stretchSolarWatts[k]) / dischargeEfficiency;
      double hoursToFloor = Math.max(0.0, (e - floor) / drainWhPerHour);
      Instant at = stretchStart[k].plusMillis(Math.round(hoursToFloor * 3.6e6));
      return Optional.of(max(at, now));
    }

    /** True when {@link #shortfall} is empty, without allocating. */
    public boolean carries(double loadDeltaWatts) {
      double loadWatts = Math.max(0.0, baseLoadWatts + loadDeltaWatts);
      if (energyWh < floorWh && startSolarWatts < loadWatts) return false;
      return firstShortfallStretch(loadWatts, floorWh) < 0;
    }

    /** The load the profile starts from, W. */
    public double baseLoadWatts() {
      return baseLoadWatts;
    }

    /** Index of the stretch in which the battery crosses {@code floor}, or -1. */
    private int firstShortfallStretch(double loadWatts, double floor) {
      double e = energyWh;
      for (int k = 0; k < stretchHours.length; k++) {
        double netWatts = stretchSolarWatts[k] - loadWatts;
        if (netWatts >= 0) {
          e = Math.min(capacityWh, e + netWatts * chargeEfficiency * stretchHours[k]);
        } else {
          double after = e - (-netWatts / dischargeEfficiency) * stretchHours[k];
          if (after < floor) return k;
          e = after;
        }
      }
      return -1;
    }

    /** Stored energy at the start of stretch {@code upTo}, Wh. */
    private double energyBefore(int upTo, double loadWatts) {
      double e = energyWh;
      for (int k = 0; k < upTo; k++) {
        double netWatts = stretchSolarWatts[k] - loadWatts;
        if (netWatts >= 0) {
          e = Math.min(capacityWh, e + netWatts * chargeEfficiency * stretchHours[k]);
        } else {
          e = e - (-netWatts / dischargeEfficiency) * stretchHours[k];
        }
      }
      return e;
    }
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

  /** {@code Duration.between(a, b).toMillis()} for b at or after a, without allocating. */
  private static long millisBetween(Instant a, Instant b) {
    long nanos = (b.getEpochSecond() - a.getEpochSecond()) * 1_000_000_000L + (b.getNano() - a.getNano());
    return Math.floorDiv(nanos, 1_000_000L);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
