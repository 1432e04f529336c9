package org.soos.shared.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SolarArrayTest {

  /**
   * P = S A eta packing cos f (1 + k (T - 28)); S = 1361 W/m^2 (Kopp &amp; Lean 2011). 1 m^2 at 30% and 0.9
   * packing: 367.47 W at beginning of life, sun-pointing, 28 C.
   */
  @ParameterizedTest(name = "f={0} cos={1} T={2}C -> {3} W")
  @CsvSource({
      "1.0, 1.0, 28, 367.47",
      "0.0, 1.0, 28, 0.0",
      "0.5, 1.0, 28, 183.735",
      "1.0, 0.5, 28, 183.735",
      "1.0, 1.0, 68, 330.723",
      "1.0, 1.0, -12, 404.217",
      "1.0, 0.8660254, 28, 318.238",
      "1.0, -0.3, 28, 0.0"
  })
  void outputFollowsTheArrayEquation(double fraction, double cos, double tempC, double expectedWatts) {
    double watts = SolarArray.outputWatts(SolarArraySpec.defaults(), fraction, cos, tempC);
    assertEquals(expectedWatts, watts, 0.01);
  }

  @Test
  void defaultArrayDeliversAbout367WattsSunPointingAtBeginningOfLife() {
    assertEquals(367.47, SolarArraySpec.defaults().ratedOutputWatts(), 0.01);
  }

  @Test
  void hotterCellsDeliverLessByTheTemperatureCoefficient() {
    SolarArraySpec spec = SolarArraySpec.defaults();
    double cold = SolarArray.outputWatts(spec, 1.0, 1.0, 0.0);
    double hot = SolarArray.outputWatts(spec, 1.0, 1.0, 80.0);
    // (1 - 0.0025 * (80 - 28)) / (1 - 0.0025 * (0 - 28)) = 0.87 / 1.07
    assertEquals(0.87 / 1.07, hot / cold, 1e-12);
  }

  @Test
  void rejectsSunlitFractionOutsideZeroToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SolarArray.outputWatts(SolarArraySpec.defaults(), 1.2, 1.0, 28.0));
    assertTrue(e.getMessage().contains("sunlitFraction"), e.getMessage());
  }

  @Test
  void rejectsEfficiencyAboveOneNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SolarArraySpec(1.0, 1.3, 0.9, -0.0025, 28, 1361, 1.0, 1.0));
    assertTrue(e.getMessage().contains("solar.cell-efficiency"), e.getMessage());
  }
}
