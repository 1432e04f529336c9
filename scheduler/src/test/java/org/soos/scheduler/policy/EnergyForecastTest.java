package org.soos.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.scheduler.policy.PolicyFixtures.NOW;
import static org.soos.scheduler.policy.PolicyFixtures.tile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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
}
