package org.soos.shared.tile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.power.BatterySpec;
import org.soos.shared.power.SolarArray;
import org.soos.shared.telemetry.BudgetForecastPoint;

/**
 * A TILE's power outlook along its orbit, from its eclipse timeline, hardware, present state and
 * present load. Pure: {@code now} is a parameter.
 *
 * <p><b>Compute budget.</b> The compute budget at an instant t is the largest constant total Orin draw
 * P (W, 0 .. sum of the Orins' top-mode budgets) that the TILE can hold from t until the end of the
 * first eclipse window that ends after t (the present one when t is in shadow; penumbra exit), with
 * housekeeping on top, without the payload bus being cut: the battery stays at or above its reserve
 * floor and within its discharge limit the whole way, given the predicted array output. When no
 * eclipse ends within the timeline the same holds up to the end of the look-ahead. It is a power
 * budget only: thermal limits are enforced by each Orin's own guard.
 *
 * <p>The budget is found to 0.01 W by bracketing root search on P over a solar profile in sub-steps of
 * at most 60 s (1 s in penumbra), cut at every shadow edge, with each sub-step's sunlit fraction taken at
 * its midpoint.
 */
public final class TileForecast {
  /** Longest sub-step of the forecast integration. */
  public static final Duration MAX_SUB_STEP = Duration.ofSeconds(60);
  /** Longest sub-step inside a penumbra crossing (the sunlit fraction ramps there). */
  public static final Duration PENUMBRA_SUB_STEP = Duration.ofSeconds(1);
  /** Default spacing of forecast points. */
  public static final Duration DEFAULT_POINT_INTERVAL = Duration.ofMinutes(5);

  /** Resolution of the compute budget, W. */
  static final double BUDGET_TOLERANCE_WATTS = 0.01;
  private static final double UNBOUNDED_MARGIN = 1e12;

  private TileForecast() {}

  /**
   * @param computeBudgetWattsNow compute budget at the forecast's start, W (see the class comment)
   * @param points forecast points from the start, one per point interval
   */
  public record Forecast(double computeBudgetWattsNow, List<BudgetForecastPoint> points) {}

  /**
   * Forecast points every {@code pointInterval} from {@code now} to {@code now + horizon} (or the end of
   * the timeline, whichever comes first), integrating the full power and thermal physics on a copy of
   * {@code state} with the present Orin draws held. Each point carries the predicted array output at
   * its instant, the predicted stored energy, and the compute budget from that instant with that
   * energy. The integration runs half a horizon further than the points so the budgets of the last
   * points can see the eclipse after them.
   *
   * @param spec the TILE
   * @param state present state (not modified)
   * @param timeline eclipse timeline covering {@code now}
   * @param now forecast start (simulated UTC)
   * @param orinDrawWatts present draw of each Orin slot, W
   * @param horizon how far ahead the points go (two orbits is the usual choice), &gt; 0
   * @param pointInterval spacing of the points, &gt; 0
   */
  public static Forecast forecast(TileSpec spec, TilePhysics.State state, EclipseTimeline timeline, Instant now,
      double[] orinDrawWatts, Duration horizon, Duration pointInterval) {
    requireArgs(timeline, now, horizon);
    if (pointInterval == null || pointInterval.isZero() || pointInterval.isNegative()) {
      throw new IllegalArgumentException("pointInterval must be > 0, got: " + pointInterval);
    }
    Instant pointsEnd = min(now.plus(horizon), timeline.until());
    Instant profileEnd = min(now.plus(horizon).plus(horizon.dividedBy(2)), timeline.until());

    TilePhysics.State s = state.copy();
    Profile profile = new Profile();
    List<Instant> pointTimes = new ArrayList<>();
    List<Integer> pointIndex = new ArrayList<>();
    List<Double> pointEnergy = new ArrayList<>();
    List<Double> pointSolar = new ArrayList<>();

    Instant t = now;
    Instant nextPoint = now;
    while (true) {
      if (!nextPoint.isAfter(pointsEnd) && !t.isBefore(nextPoint)) {
        pointTimes.add(t);
        pointIndex.add(profile.size);
        pointEnergy.add(s.batteryEnergyWh());
        double fraction = timeline.covers(t) ? timeline.sunlitFractionAt(t) : 0.0;
        pointSolar.add(SolarArray.outputWatts(spec.solar(), fraction, spec.solar().cosIncidence(),
            Math.min(400.0, s.plateTempCelsius())));
        nextPoint = nextPoint.plus(pointInterval);
      }
      if (!t.isBefore(profileEnd)) break;
      Instant stepEnd = subStepEnd(timeline, t, profileEnd);
      if (!nextPoint.isAfter(pointsEnd)) stepEnd = min(stepEnd, nextPoint);
      double dt = seconds(t, stepEnd);
      double fraction = timeline.sunlitFractionAt(t.plusNanos(Duration.between(t, stepEnd).toNanos() / 2));
      TilePhysics.StepResult r = TilePhysics.step(spec, s, fraction, orinDrawWatts, dt);
      profile.add(seconds(now, t), dt, r.solarInputWatts());
      t = stepEnd;
    }

    List<BudgetForecastPoint> points = new ArrayList<>(pointTimes.size());
    for (int k = 0; k < pointTimes.size(); k++) {
      Instant at = pointTimes.get(k);
      int end = profile.indexAtOrAfter(seconds(now, budgetEnd(timeline, at, profileEnd)));
      double budget = budget(spec, pointEnergy.get(k), profile, pointIndex.get(k), end);
      points.add(new BudgetForecastPoint(at, pointSolar.get(k), budget, pointEnergy.get(k)));
    }
    double budgetNow = points.isEmpty() ? 0.0 : points.get(0).computeBudgetWatts();
    return new Forecast(budgetNow, List.copyOf(points));
  }

  /**
   * The compute budget at {@code now} (see the class comment), W. Cheaper than {@link #forecast}: the
   * array output ahead is predicted at the present plate temperature instead of integrating the
   * thermal model.
   *
   * @param horizon how far to look for the end of the next eclipse (one orbit or more)
   */
  public static double computeBudgetWattsNow(TileSpec spec, TilePhysics.State state, EclipseTimeline timeline,
      Instant now, Duration horizon) {
    requireArgs(timeline, now, horizon);
    Instant profileEnd = min(now.plus(horizon), timeline.until());
    Instant end = budgetEnd(timeline, now, profileEnd);
    double cellTemp = Math.min(400.0, state.plateTempCelsius());
    Profile profile = new Profile();
    Instant t = now;
    while (t.isBefore(end)) {
      Instant stepEnd = subStepEnd(timeline, t, end);
      double fraction = timeline.sunlitFractionAt(t.plusNanos(Duration.between(t, stepEnd).toNanos() / 2));
      profile.add(seconds(now, t), seconds(t, stepEnd),
          SolarArray.outputWatts(spec.solar(), fraction, spec.solar().cosIncidence(), cellTemp));
      t = stepEnd;
    }
    return budget(spec, state.batteryEnergyWh(), profile, 0, profile.size);
  }

  /**
   * Largest constant Orin draw over profile steps [from, to) that keeps the payload bus powered, W.
   *
   * <p>The lowest stored energy above the floor over the steps that draw on the battery, as a function
   * of the draw, is continuous and decreasing up to the discharge limit (piecewise linear), so its zero
   * is bracketed between 0 and that limit and found by the Illinois variant of regula falsi to
   * {@link #BUDGET_TOLERANCE_WATTS}, returning the feasible end of the bracket.
   */
  static double budget(TileSpec spec, double energyWh, Profile profile, int from, int to) {
    double max = spec.maxOrinDrawWatts();
    if (to <= from) return max;
    double minSolar = Double.POSITIVE_INFINITY;
    for (int i = from; i < to; i++) minSolar = Math.min(minSolar, profile.solarWatts[i]);
    double hi = Math.min(max, minSolar + spec.battery().maxDischargeWatts() - spec.housekeepingWatts());
    if (hi <= 0.0) return 0.0;
    double fb = margin(spec, energyWh, profile, from, to, hi);
    if (fb >= 0.0) return hi;
    double a = 0.0;
    double fa = margin(spec, energyWh, profile, from, to, Double.MIN_VALUE);
    if (fa < 0.0) return 0.0;
    double b = hi;
    int side = 0;
    for (int i = 0; i < 60 && b - a > BUDGET_TOLERANCE_WATTS; i++) {
      double c = fa >= UNBOUNDED_MARGIN ? 0.5 * (a + b) : b - fb * (b - a) / (fb - fa);
      if (!(c > a && c < b)) c = 0.5 * (a + b);
      double fc = margin(spec, energyWh, profile, from, to, c);
      if (fc >= 0.0) {
        a = c;
        fa = fc;
        if (side == -1) fb *= 0.5;
        side = -1;
      } else {
        b = c;
        fb = fc;
        if (side == 1 && fa < UNBOUNDED_MARGIN) fa *= 0.5;
        side = 1;
      }
    }
    return a;
  }

  /**
   * With a constant Orin draw of {@code orinWatts} over steps [from, to): the lowest stored energy above
   * the reserve floor at the end of any step that draws on the battery, Wh (negative: the payload bus
   * would be cut); {@link #UNBOUNDED_MARGIN} when no step draws on it. The battery arithmetic is that of
   * {@link org.soos.shared.power.Battery#step}, inlined without allocation.
   */
  private static double margin(TileSpec spec, double energyWh, Profile profile, int from, int to,
      double orinWatts) {
    BatterySpec b = spec.battery();
    double floor = b.reserveWh();
    double cap = b.capacityWh();
    double etaC = b.chargeEfficiency();
    double etaD = b.dischargeEfficiency();
    double maxCharge = b.maxChargeWatts();
    double e = energyWh;
    double load = spec.housekeepingWatts() + orinWatts;
    double lowest = UNBOUNDED_MARGIN;
    for (int i = from; i < to; i++) {
      double hours = profile.dtSeconds[i] / 3600.0;
      double surplus = profile.solarWatts[i] - load;
      if (surplus >= 0.0) {
        e = Math.min(cap, e + etaC * Math.min(surplus, maxCharge) * hours);
      } else {
        e += surplus / etaD * hours;
        lowest = Math.min(lowest, e - floor);
      }
    }
    return lowest;
  }

  /**
   * End of the integration sub-step starting at {@code t}: at most {@link #MAX_SUB_STEP}, cut at the next
   * shadow edge and at {@code limit}, and at most {@link #PENUMBRA_SUB_STEP} inside a penumbra so the
   * battery's lowest point in a penumbra ramp is resolved.
   */
  private static Instant subStepEnd(EclipseTimeline timeline, Instant t, Instant limit) {
    Instant end = min(t.plus(MAX_SUB_STEP), limit);
    Optional<Instant> edge = timeline.nextTransitionAfter(t);
    if (edge.isPresent()) end = min(end, edge.get());
    if (timeline.stateAt(t) == EclipseState.PENUMBRA) end = min(end, t.plus(PENUMBRA_SUB_STEP));
    return end;
  }

  /** End of the first eclipse window ending after {@code at}, clipped to {@code limit}; {@code limit} if none. */
  private static Instant budgetEnd(EclipseTimeline timeline, Instant at, Instant limit) {
    List<EclipseWindow> next = timeline.upcoming(at, 1);
    if (next.isEmpty() || next.get(0).end() == null) return limit;
    return min(next.get(0).end(), limit);
  }

  private static void requireArgs(EclipseTimeline timeline, Instant now, Duration horizon) {
    if (timeline == null) throw new IllegalArgumentException("timeline is required");
    if (now == null) throw new IllegalArgumentException("now is required");
    if (!timeline.covers(now)) {
      throw new IllegalArgumentException("now=" + now + " is outside the timeline span [" + timeline.from() + ", "
          + timeline.until() + ")");
    }
    if (horizon == null || horizon.isZero() || horizon.isNegative()) {
      throw new IllegalArgumentException("horizon must be > 0, got: " + horizon);
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toNanos() / 1e9;
  }

  /** Predicted array output in consecutive sub-steps. */
  static final class Profile {
    double[] startSeconds = new double[256];
    double[] dtSeconds = new double[256];
    double[] solarWatts = new double[256];
    int size;

    void add(double startSec, double dtSec, double solar) {
      if (size == dtSeconds.length) {
        startSeconds = Arrays.copyOf(startSeconds, size * 2);
        dtSeconds = Arrays.copyOf(dtSeconds, size * 2);
        solarWatts = Arrays.copyOf(solarWatts, size * 2);
      }
      startSeconds[size] = startSec;
      dtSeconds[size] = dtSec;
      solarWatts[size] = solar;
      size++;
    }

    /** Index of the first step starting at or after {@code sec} (size if none). */
    int indexAtOrAfter(double sec) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (startSeconds[mid] < sec - 1e-6) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  }
}
