package org.soos.shared.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.power.BatterySpec;
import org.soos.shared.power.SolarArraySpec;
import org.soos.shared.telemetry.BudgetForecastPoint;

class TileForecastTest {
  private static final Duration TWO_ORBITS = Duration.ofSeconds((long) (2 * SyntheticOrbit.PERIOD_SECONDS));
  /** The default TILE with a temperature-independent array, so the budget check below is exact. */
  private static final TileSpec FLAT = new TileSpec(
      new SolarArraySpec(1.0, 0.30, 0.9, 0.0, 28, 1361, 1.0, 1.0),
      BatterySpec.defaults(), TileSpec.defaults().thermal(), TileSpec.defaults().orins(), 20.0);

  /**
   * The budget is the largest Orin draw that keeps the battery at or above its floor to the end of the
   * next eclipse: held 0.05 W below it the payload bus never drops; 0.05 W above it, it does.
   */
  @ParameterizedTest(name = "{0} s after start, {1}% SoC")
  @CsvSource({"1000, 60", "0, 100", "2500, 40", "4000, 50", "3004, 70"})
  void budgetNowKeepsTheBatteryAtItsFloorThroughTheNextEclipse(double startSeconds, double socPercent) {
    EclipseTimeline timeline = SyntheticOrbit.timeline(4);
    Instant now = SyntheticOrbit.at(startSeconds);
    TilePhysics.State state = TilePhysics.State.initial(FLAT, new TileInitialConditions(socPercent, 40.0));
    double budget = TileForecast.computeBudgetWattsNow(FLAT, state, timeline, now, TWO_ORBITS);
    assertTrue(budget > 0.0 && budget < FLAT.maxOrinDrawWatts(), "budget " + budget);
    Instant eclipseEnd = timeline.upcoming(now, 1).get(0).end();
    assertFalse(payloadCutBefore(FLAT, state.copy(), timeline, now, eclipseEnd, budget - 0.05));
    assertTrue(payloadCutBefore(FLAT, state.copy(), timeline, now, eclipseEnd, budget + 0.05));
  }

  @Test
  void forecastBudgetNowAgreesWithTheQuickBudgetOnAFlatArray() {
    EclipseTimeline timeline = SyntheticOrbit.timeline(4);
    Instant now = SyntheticOrbit.at(1000);
    TilePhysics.State state = TilePhysics.State.initial(FLAT, new TileInitialConditions(60, 40.0));
    double quick = TileForecast.computeBudgetWattsNow(FLAT, state, timeline, now, TWO_ORBITS);
    TileForecast.Forecast f = TileForecast.forecast(FLAT, state, timeline, now, new double[] {8, 8, 8, 8},
        TWO_ORBITS, Duration.ofMinutes(5));
    assertEquals(quick, f.computeBudgetWattsNow(), 0.05);
  }

  @Test
  void bigBatteryGivesTheOrinsTheirFullBudget() {
    TileSpec big = new TileSpec(SolarArraySpec.defaults(), new BatterySpec(5000, 25, 0.95, 0.95, 200, 400),
        TileSpec.defaults().thermal(), TileSpec.defaults().orins(), 20.0);
    TilePhysics.State state = TilePhysics.State.initial(big, TileInitialConditions.defaults());
    double budget = TileForecast.computeBudgetWattsNow(big, state, SyntheticOrbit.timeline(4),
        SyntheticOrbit.at(1000), TWO_ORBITS);
    assertEquals(240.0, budget, 1e-9);
  }

  @Test
  void budgetIsZeroInUmbraAtTheReserveFloor() {
    TileSpec spec = TileSpec.defaults();
    TilePhysics.State state = new TilePhysics.State(spec.battery().reserveWh(), 10.0, new double[] {10, 10, 10, 10});
    Instant inUmbra = SyntheticOrbit.at(SyntheticOrbit.FIRST_ENTRY_SECONDS + 600);
    assertEquals(0.0, TileForecast.computeBudgetWattsNow(spec, state, SyntheticOrbit.timeline(4), inUmbra,
        TWO_ORBITS), 0.0);
  }

  @Test
  void forecastCoversTwoOrbitsInFiveMinuteStepsWithTheEclipseInIt() {
    TileSpec spec = TileSpec.defaults();
    EclipseTimeline timeline = SyntheticOrbit.timeline(4);
    Instant now = SyntheticOrbit.at(100);
    TilePhysics.State state = TilePhysics.State.initial(spec, TileInitialConditions.defaults());
    double[] draws = {30, 30, 30, 30};
    TileForecast.Forecast f = TileForecast.forecast(spec, state, timeline, now, draws, TWO_ORBITS,
        Duration.ofMinutes(5));
    List<BudgetForecastPoint> points = f.points();
    assertEquals(TWO_ORBITS.toSeconds() / 300 + 1, points.size());
    assertEquals(now, points.get(0).at());
    assertEquals(state.batteryEnergyWh(), points.get(0).batteryEnergyWh(), 1e-12);
    assertEquals(200.0, state.batteryEnergyWh(), 1e-12, "the forecast must not touch the state");
    for (int i = 1; i < points.size(); i++) {
      BudgetForecastPoint p = points.get(i);
      assertEquals(Duration.ofMinutes(5), Duration.between(points.get(i - 1).at(), p.at()));
      EclipseState s = timeline.stateAt(p.at());
      if (s == EclipseState.UMBRA) {
        assertEquals(0.0, p.solarInputWatts(), 0.0);
        assertTrue(p.batteryEnergyWh() < points.get(i - 1).batteryEnergyWh(), "battery drains in umbra at " + p);
      } else if (s == EclipseState.SUNLIT) {
        assertTrue(p.solarInputWatts() > 300.0, "sunlit output at " + p);
      }
      assertTrue(p.computeBudgetWatts() >= 0.0 && p.computeBudgetWatts() <= 240.0);
    }
    // Same draws through the physics directly: the point at the end of the first umbra matches it.
    TilePhysics.State direct = state.copy();
    Instant check = points.get(17).at();
    integrate(spec, direct, timeline, now, check, Arrays.stream(draws).sum());
    assertEquals(direct.batteryEnergyWh(), points.get(17).batteryEnergyWh(), 0.5);
  }

  @Test
  void forecastStopsAtTheEndOfTheTimeline() {
    EclipseTimeline timeline = SyntheticOrbit.timeline(1);
    TileForecast.Forecast f = TileForecast.forecast(TileSpec.defaults(),
        TilePhysics.State.initial(TileSpec.defaults(), TileInitialConditions.defaults()), timeline,
        SyntheticOrbit.at(0), new double[4], TWO_ORBITS, Duration.ofMinutes(5));
    BudgetForecastPoint last = f.points().get(f.points().size() - 1);
    assertTrue(last.at().isBefore(timeline.until()));
  }

  @Test
  void rejectsNowOutsideTheTimeline() {
    EclipseTimeline timeline = new EclipseTimeline(SyntheticOrbit.START, SyntheticOrbit.at(100),
        List.<EclipseWindow>of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TileForecast.computeBudgetWattsNow(TileSpec.defaults(),
            TilePhysics.State.initial(TileSpec.defaults(), TileInitialConditions.defaults()), timeline,
            SyntheticOrbit.at(200), TWO_ORBITS));
    assertTrue(e.getMessage().contains("outside the timeline"), e.getMessage());
  }

  /** True when the payload bus is cut somewhere in [from, until) with a constant total Orin draw. */
  private static boolean payloadCutBefore(TileSpec spec, TilePhysics.State state, EclipseTimeline timeline,
      Instant from, Instant until, double orinWatts) {
    double[] draws = new double[4];
    Arrays.fill(draws, orinWatts / 4);
    Instant t = from;
    while (t.isBefore(until)) {
      Instant end = t.plusSeconds(1);
      if (end.isAfter(until)) end = until;
      double dt = Duration.between(t, end).toNanos() / 1e9;
      double f = timeline.sunlitFractionAt(t.plusNanos(Duration.between(t, end).toNanos() / 2));
      if (TilePhysics.step(spec, state, f, draws, dt).payloadBrownout()) return true;
      t = end;
    }
    return false;
  }

  private static void integrate(TileSpec spec, TilePhysics.State state, EclipseTimeline timeline, Instant from,
      Instant until, double orinWatts) {
    double[] draws = new double[4];
    Arrays.fill(draws, orinWatts / 4);
    for (Instant t = from; t.isBefore(until); t = t.plusSeconds(1)) {
      TilePhysics.step(spec, state, timeline.sunlitFractionAt(t.plusMillis(500)), draws, 1.0);
    }
  }
}
