package org.soos.tile.orin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.orin.ThermalGuardRules.Action;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;

/**
 * The Orin server's guard: the dwell between changes on simulated instants. The temperature rules
 * themselves are {@code org.soos.shared.orin.ThermalGuardRulesTest}.
 */
class ThermalGuardTest {
  private static final OrinModule AGX = OrinModule.AGX_ORIN_64GB;
  private static final Instant T0 = Instant.parse("2026-03-20T00:00:00Z");

  private static ThermalGuard guard() {
    return new ThermalGuard(AGX, ThermalSpec.defaults(), Duration.ofSeconds(30));
  }

  @Test
  void dropsOneModePerDwellWhileHotAndRaisesAfterHysteresis() {
    ThermalGuard g = guard();
    assertEquals(Action.THROTTLE, g.evaluate(T0, 97, AGX.maxMode()));
    PowerMode ceiling = g.ceiling().orElseThrow();
    assertEquals("MODE_50W", ceiling.name());
    assertEquals(OrinHealth.THROTTLED, g.health());
    // Still hot within the dwell: nothing more.
    assertEquals(Action.NONE, g.evaluate(T0.plusSeconds(10), 97, ceiling));
    // Still hot after the dwell: one more mode down.
    assertEquals(Action.THROTTLE, g.evaluate(T0.plusSeconds(40), 96, ceiling));
    assertEquals("MODE_30W", g.ceiling().orElseThrow().name());
    // Between release (90 C) and throttle (95 C): hold.
    assertEquals(Action.NONE, g.evaluate(T0.plusSeconds(100), 92, g.ceiling().orElseThrow()));
    // Below throttle - hysteresis: raise one mode per dwell back to no ceiling.
    assertEquals(Action.RELEASE, g.evaluate(T0.plusSeconds(140), 89, g.ceiling().orElseThrow()));
    assertEquals("MODE_50W", g.ceiling().orElseThrow().name());
    assertEquals(Action.NONE, g.evaluate(T0.plusSeconds(150), 89, g.ceiling().orElseThrow()));
    assertEquals(Action.RELEASE, g.evaluate(T0.plusSeconds(180), 85, g.ceiling().orElseThrow()));
    assertEquals("MAXN", g.ceiling().orElseThrow().name());
    assertEquals(Action.RELEASE, g.evaluate(T0.plusSeconds(220), 85, AGX.maxMode()));
    assertTrue(g.ceiling().isEmpty());
    assertEquals(OrinHealth.NOMINAL, g.health());
  }
}
