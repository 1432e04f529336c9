package org.soos.shared.orin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.orin.ThermalGuardRules.Action;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;

/** Throttle at 95 C, shut down at 104.5 C, release 5 K below the throttle point (the defaults). */
class ThermalGuardRulesTest {
  private static final OrinModule AGX = OrinModule.AGX_ORIN_64GB;

  private static ThermalGuardRules rules() {
    return new ThermalGuardRules(AGX, ThermalSpec.defaults());
  }

  @ParameterizedTest(name = "{0} C -> {1}")
  @CsvSource({"20, NONE", "94.9, NONE", "95.0, NONE", "95.1, THROTTLE", "104.4, THROTTLE", "104.5, SHUTDOWN",
      "130, SHUTDOWN"})
  void reactsToTheJunctionTemperatureFromNominal(double tempC, Action expected) {
    assertEquals(expected, rules().evaluate(tempC, AGX.maxMode(), true));
  }

  @Test
  void throttlesAndReleasesOnlyOnceTheDwellHasPassed() {
    ThermalGuardRules r = rules();
    assertEquals(Action.THROTTLE, r.evaluate(97, AGX.maxMode(), true));
    PowerMode ceiling = r.ceiling().orElseThrow();
    assertEquals("MODE_50W", ceiling.name());
    assertEquals(OrinHealth.THROTTLED, r.health());
    assertEquals(Action.NONE, r.evaluate(97, ceiling, false));
    assertEquals(Action.THROTTLE, r.evaluate(96, ceiling, true));
    assertEquals("MODE_30W", r.ceiling().orElseThrow().name());
    // Between release (90 C) and throttle (95 C): hold, dwelt or not.
    assertEquals(Action.NONE, r.evaluate(92, r.ceiling().orElseThrow(), true));
    assertEquals(Action.NONE, r.evaluate(89, r.ceiling().orElseThrow(), false));
    assertEquals(Action.RELEASE, r.evaluate(89, r.ceiling().orElseThrow(), true));
    assertEquals("MODE_50W", r.ceiling().orElseThrow().name());
  }

  @Test
  void throttlesAtTheSlowestModeOnceThenHolds() {
    ThermalGuardRules r = rules();
    assertEquals(Action.THROTTLE, r.evaluate(97, AGX.minMode(), true));
    assertEquals(AGX.minMode(), r.ceiling().orElseThrow());
    assertEquals(Action.NONE, r.evaluate(97, AGX.minMode(), true));
    assertEquals(OrinHealth.THROTTLED, r.health());
  }

  @Test
  void staysShutDownUntilCooledBelowTheReleaseTemperature() {
    ThermalGuardRules r = rules();
    assertEquals(Action.SHUTDOWN, r.evaluate(105, AGX.maxMode(), true));
    assertTrue(r.shutDown());
    assertEquals(Action.NONE, r.evaluate(93, AGX.minMode(), true));
    assertTrue(r.shutDown());
    // Recovery does not wait for the dwell.
    assertEquals(Action.RECOVER, r.evaluate(90, AGX.minMode(), false));
    assertEquals(OrinHealth.THROTTLED, r.health());
    assertEquals(AGX.minMode(), r.ceiling().orElseThrow());
  }
}
