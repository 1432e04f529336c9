package org.soos.shared.orin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrinPowerModelTest {

  /** draw = min(budget, idle + job power x speed(mode)/speed(top mode)). */
  @ParameterizedTest(name = "{0} {1}: {2} W job x{3} -> {4} W")
  @CsvSource({
      "AGX_ORIN_64GB, 0, 50, 1, 58",
      "AGX_ORIN_64GB, 3, 50, 1, 40",
      "AGX_ORIN_64GB, 2, 50, 1, 30",
      "AGX_ORIN_64GB, 1, 50, 1, 15",
      "AGX_ORIN_64GB, 0, 0, 0, 8",
      "AGX_ORIN_64GB, 0, 80, 1, 60",
      "AGX_ORIN_64GB, 2, 10, 1, 12.8",
      "ORIN_NX_16GB, 0, 30, 1, 25",
      "ORIN_NX_16GB, 1, 10, 1, 9.4444444",
      "ORIN_NANO_8GB, 1, 10, 2, 7"
  })
  void drawIsIdlePlusScaledJobPowerCappedAtTheModeBudget(OrinModule module, int modeId, double jobWatts,
      int jobs, double expectedWatts) {
    PowerMode mode = module.mode(modeId).orElseThrow();
    assertEquals(expectedWatts, OrinPowerModel.drawWatts(module, mode, jobWatts, jobs), 1e-6);
  }

  @Test
  void jobsShareTheModeSpeed() {
    PowerMode maxn = OrinModule.AGX_ORIN_64GB.maxMode();
    assertEquals(1.0, OrinPowerModel.jobProgressRate(maxn, 1), 1e-12);
    assertEquals(0.5, OrinPowerModel.jobProgressRate(maxn, 2), 1e-12);
    PowerMode w30 = OrinModule.AGX_ORIN_64GB.mode(2).orElseThrow();
    assertEquals(0.48, OrinPowerModel.jobProgressRate(w30, 1), 1e-12);
    assertEquals(0.0, OrinPowerModel.jobProgressRate(w30, 0), 1e-12);
  }

  @Test
  void maxDrawIsTheTopModeBudget() {
    assertEquals(60.0, OrinPowerModel.maxDrawWatts(OrinModule.AGX_ORIN_64GB), 1e-12);
    assertEquals(25.0, OrinPowerModel.maxDrawWatts(OrinModule.ORIN_NX_16GB), 1e-12);
  }
}
