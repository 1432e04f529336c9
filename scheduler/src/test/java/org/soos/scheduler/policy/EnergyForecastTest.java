package org.soos.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.scheduler.policy.PolicyFixtures.NOW;
import static org.soos.scheduler.policy.PolicyFixtures.tile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.telemetry.TileReport;

class EnergyForecastTest {
  private final PolicySettings settings = PolicySettings.defaults();

  @Test
  void theShortfallStartsFromTheExactShadowEdgeNotFromTheNextForecastPoint() {
    // Points every 5 minutes; the shadow starts 2 minutes from now, between two points.
    TileReport r = tile("a", "p0").battery(100).load(280).eclipseIn(2).report();
    double floorWh = r.batteryReserveWh() + settings.batteryMarginWh();
    double atEdgeWh = 100 + (360 - 280) * settings.chargeEfficiency() * 2 / 60.0;
    double hoursToFloor = (atEdgeWh - floorWh) / (280 / settings.dischargeEfficiency());
    Instant expected = NOW.plusSeconds(120).plusMillis(Math.round(hoursToFloor * 3.6e6));

    Optional<Instant> shortfall = EnergyForecast.shortfall(r, 0.0, settings, NOW);
    assertTrue(shortfall.isPresent());
    assertTrue(Duration.between(expected, shortfall.get()).abs().toMillis() <= 1000,
        "expected " + expected + ", got " + shortfall.get());
  }

  @Test
  void sunAfterTheShadowChargesAgain() {
    // 150 W through a 36-minute shadow is 95 Wh: carried from 190 Wh (140 above reserve), and the next pass
    // starts full again, so no shortfall over the horizon.
    TileReport r = tile("a", "p0").battery(190).load(150).eclipseIn(10).report();
    assertEquals(Optional.empty(), EnergyForecast.shortfall(r, 0.0, settings, NOW));
    // 260 W is not carried: the floor comes inside the first pass.
    Instant at = EnergyForecast.shortfall(r, 110.0, settings, NOW).orElseThrow();
    assertTrue(at.isAfter(NOW.plusSeconds(600)) && at.isBefore(NOW.plusSeconds(600 + 36 * 60)), at.toString());
  }

  @Test
  void aTileInShadowSeesTheSunFromTheExactExitNotFromTheNextForecastPoint() {
    // In umbra since 5.5 minutes: the pass ends 30.5 minutes from now, 30 s after the point at 30 minutes (which,
    // inside the pass, says 0 W). 265 W from 200 Wh leaves 58.2 Wh at the exit, above the 55 Wh floor; holding
    // the dark point until the next one, 4.5 minutes into the sunlight, would take it to 37 Wh and call a
    // shortfall inside this pass (as a live TILE's report did, moving jobs that did not need to move). The
    // battery only runs short in the next pass.
    TileReport r = tile("a", "p0").battery(200).load(265).eclipseIn(-5.5).report();
    Instant shortfall = EnergyForecast.shortfall(r, 0.0, settings, NOW).orElseThrow();
    Instant firstExit = r.nextEclipses().get(0).end();
    assertTrue(shortfall.isAfter(r.nextEclipses().get(1).start()), "shortfall " + shortfall + " in the pass ending "
        + firstExit);
    assertWithinASecond(reference(r, 0.0).orElseThrow(), shortfall);
  }

  /**
   * Wherever the forecast points fall around the shadow edges, the replay's shortfall is the one a 1-second
   * integration of the same sunlight finds.
   */
  @ParameterizedTest(name = "in shadow since {0} min, {1} W")
  @CsvSource({"0.5, 240", "1.0, 265", "2.5, 265", "4.5, 250", "5.5, 265", "7.0, 270", "9.5, 280", "12.0, 300",
      "-3.0, 240", "-4.5, 265"})
  void theShortfallDoesNotDependOnWhereThePointsFall(double inShadowSinceMinutes, double loadWatts) {
    TileReport r = tile("a", "p0").battery(200).load(loadWatts).eclipseIn(-inShadowSinceMinutes).report();
    Optional<Instant> expected = reference(r, 0.0);
    Optional<Instant> actual = EnergyForecast.shortfall(r, 0.0, settings, NOW);
    assertEquals(expected.isPresent(), actual.isPresent(), "expected " + expected + ", got " + actual);
    expected.ifPresent(e -> assertWithinASecond(e, actual.get()));
  }

  /**
   * The first instant the battery falls below reserve + margin, from 1-second steps of the fixture's sunlight
   * (360 W outside the report's shadow passes, 0 inside), with the same efficiencies and cap.
   */
  private Optional<Instant> reference(TileReport r, double loadDeltaWatts) {
    double load = r.loadWatts() + loadDeltaWatts;
    double e = r.batteryEnergyWh();
    double floor = r.batteryReserveWh() + settings.batteryMarginWh();
    long horizon = settings.forecastHorizon().toSeconds();
    for (long s = 0; s < horizon; s++) {
      Instant t = NOW.plusSeconds(s);
      boolean dark = false;
      for (EclipseWindow w : r.nextEclipses()) {
        if (!t.isBefore(w.start()) && t.isBefore(w.end())) dark = true;
      }
      double net = (dark ? 0.0 : 360.0) - load;
      double next = net >= 0 ? Math.min(r.batteryCapacityWh(), e + net * settings.chargeEfficiency() / 3600.0)
          : e + net / settings.dischargeEfficiency() / 3600.0;
      if (next < floor) {
        double fraction = (e - floor) / (e - next);
        return Optional.of(t.plusMillis(Math.round(fraction * 1000)));
      }
      e = next;
    }
    return Optional.empty();
  }

  private static void assertWithinASecond(Instant expected, Instant actual) {
    assertTrue(Duration.between(expected, actual).abs().toMillis() <= 1000, "expected " + expected + ", got " + actual);
  }
}
