package org.soos.shared.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatteryTest {
  private static final BatterySpec SPEC = BatterySpec.defaults(); // 200 Wh, floor 50 Wh, 95%/95%, 200/400 W

  @Test
  void defaultBatteryHolds150WhAboveItsFloor() {
    assertEquals(50.0, SPEC.reserveWh(), 1e-12);
    assertEquals(150.0, SPEC.usableWh(), 1e-12);
  }

  @Test
  void curtailsSurplusWhenFull() {
    BatteryStep s = Battery.step(SPEC, 200.0, 367.0, 20.0, 240.0, 60.0);
    assertEquals(200.0, s.energyWh(), 1e-12);
    assertEquals(0.0, s.chargeWatts(), 1e-12);
    assertEquals(107.0, s.curtailedWatts(), 1e-9);
    assertTrue(!s.brownout());
  }

  @Test
  void fillsToCapacityMidStepAndCurtailsTheRest() {
    // 100 W surplus for one hour, 10 Wh of headroom: 10/0.95 Wh of bus energy charges, the rest is curtailed.
    BatteryStep s = Battery.step(SPEC, 190.0, 120.0, 20.0, 0.0, 3600.0);
    assertEquals(200.0, s.energyWh(), 1e-9);
    assertEquals(10.0 / 0.95, s.chargeWatts(), 1e-9);
    assertEquals(100.0 - 10.0 / 0.95, s.curtailedWatts(), 1e-9);
  }

  @Test
  void chargeIsLimitedToMaxChargeWatts() {
    BatteryStep s = Battery.step(SPEC, 60.0, 367.0, 20.0, 0.0, 60.0);
    assertEquals(200.0, s.chargeWatts(), 1e-9);
    assertEquals(147.0, s.curtailedWatts(), 1e-9);
    assertEquals(60.0 + 0.95 * 200.0 / 60.0, s.energyWh(), 1e-9);
  }

  /** Eclipse discharge: energy drops by load / eta_d until the floor; the Orins are cut there. */
  @ParameterizedTest(name = "start {0} Wh, {1} W payload for {2} s -> {3} Wh, payload unmet {4} W")
  @CsvSource({
      // 260 W for 10 min from full: 260/6/0.95 = 45.614 Wh out.
      "200, 240, 600, 154.3860, 0",
      // From 100 Wh: the 50 Wh above the floor last 50*0.95/260 h = 657.69 s of a 1000 s step,
      // then 20 W housekeeping alone for 342.31 s: 2.0016 Wh; payload unmet 240*(342.31/1000) = 82.15 W avg.
      "100, 240, 1000, 47.99820, 82.1538",
      // Already at the floor: payload cut at once, housekeeping draws the reserve.
      "50, 240, 360, 47.89474, 240",
  })
  void dischargeStopsServingThePayloadAtTheReserveFloor(double startWh, double payloadWatts, double dtSeconds,
      double expectedWh, double expectedUnmetPayloadWatts) {
    BatteryStep s = Battery.step(SPEC, startWh, 0.0, 20.0, payloadWatts, dtSeconds);
    assertEquals(expectedWh, s.energyWh(), 1e-4);
    assertEquals(expectedUnmetPayloadWatts, s.unmetPayloadWatts(), 1e-3);
    assertEquals(0.0, s.unmetEssentialWatts(), 1e-12);
  }

  @Test
  void housekeepingGoesUnmetOnlyWhenTheBatteryIsEmpty() {
    // 1 Wh left, 20 W housekeeping for one hour: 0.95 Wh of bus energy, 19.05 W unmet on average.
    BatteryStep s = Battery.step(SPEC, 1.0, 0.0, 20.0, 0.0, 3600.0);
    assertEquals(0.0, s.energyWh(), 1e-9);
    assertEquals(20.0 - 0.95, s.unmetEssentialWatts(), 1e-9);
    assertTrue(s.brownout());
  }

  @Test
  void dischargeAboveTheLimitLeavesPayloadUnmet() {
    BatterySpec small = new BatterySpec(200, 25, 0.95, 0.95, 200, 100);
    BatteryStep s = Battery.step(small, 200.0, 0.0, 20.0, 240.0, 60.0);
    assertEquals(100.0, s.dischargeWatts(), 1e-9);
    assertEquals(160.0, s.unmetPayloadWatts(), 1e-9);
  }

  @Test
  void busBalanceHoldsInEveryRegime() {
    double[][] cases = {{200, 367, 20, 240}, {120, 367, 20, 240}, {120, 0, 20, 240}, {52, 100, 20, 240},
        {0.5, 0, 20, 240}, {199.9, 300, 20, 0}};
    for (double[] c : cases) {
      double dt = 300.0;
      BatteryStep s = Battery.step(SPEC, c[0], c[1], c[2], c[3], dt);
      double served = c[2] + c[3] - s.unmetWatts();
      assertEquals(c[1] + s.dischargeWatts(), served + s.chargeWatts() + s.curtailedWatts(), 1e-9,
          "bus balance for " + java.util.Arrays.toString(c));
      double stored = s.energyWh() - c[0];
      double expectedStored = (0.95 * s.chargeWatts() - s.dischargeWatts() / 0.95) * dt / 3600.0;
      assertEquals(expectedStored, stored, 1e-9, "stored energy for " + java.util.Arrays.toString(c));
    }
  }

  @Test
  void rejectsReserveFloorAboveHundredPercentNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BatterySpec(200, 120, 0.95, 0.95, 200, 400));
    assertTrue(e.getMessage().contains("battery.reserve-floor-percent"), e.getMessage());
  }

  @Test
  void rejectsNonPositiveStep() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Battery.step(SPEC, 100, 0, 20, 0, 0));
    assertTrue(e.getMessage().contains("dtSeconds"), e.getMessage());
  }
}
