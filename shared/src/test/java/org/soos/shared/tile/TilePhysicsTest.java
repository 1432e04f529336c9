package org.soos.shared.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.power.PowerLedger;

class TilePhysicsTest {
  private static final TileSpec SPEC = TileSpec.defaults();

  /**
   * Over two orbits with eclipses the books close: harvested = consumed + stored + losses + curtailed
   * to 0.1%, and "stored" is the battery's actual energy change. Cases cover full load (battery hits
   * the floor: payload cut), light load (battery full: curtailment) and a half-charged start.
   */
  @ParameterizedTest(name = "{0} W per Orin, start {1}% SoC, dt {2} s")
  @CsvSource({"60, 100, 10", "60, 100, 60", "10, 100, 10", "10, 50, 60", "40, 30, 30"})
  void energyBookkeepingClosesOverAnOrbitWithEclipse(double orinWatts, double socPercent, double dtSeconds) {
    EclipseTimeline timeline = SyntheticOrbit.timeline(3);
    TilePhysics.State state = TilePhysics.State.initial(SPEC, new TileInitialConditions(socPercent, 20.0));
    double startWh = state.batteryEnergyWh();
    PowerLedger ledger = new PowerLedger();
    double[] draws = new double[4];
    Arrays.fill(draws, orinWatts);
    double total = 2 * SyntheticOrbit.PERIOD_SECONDS;
    for (double t = 0; t < total; t += dtSeconds) {
      Instant mid = SyntheticOrbit.at(t + dtSeconds / 2);
      TilePhysics.step(SPEC, state, timeline.sunlitFractionAt(mid), draws, dtSeconds, ledger);
    }
    double error = Math.abs(ledger.closureErrorWh());
    assertTrue(error <= 0.001 * ledger.harvestedWh(), "closure error " + error + " Wh in " + ledger);
    assertEquals(state.batteryEnergyWh() - startWh, ledger.storedWh(), 1e-6);
    assertTrue(ledger.harvestedWh() > 0.0);
    if (orinWatts == 60) {
      assertTrue(ledger.unmetWh() > 0.0, "full load must run the battery to its floor: " + ledger);
    }
    if (orinWatts == 10 && socPercent == 100) {
      assertTrue(ledger.curtailedWh() > 0.0, "light load with a full battery must curtail: " + ledger);
    }
  }

  @Test
  void plateSettlesAtTheClosedFormEquilibriumAndJunctionsAtPlatePlusRP() {
    TilePhysics.State state = TilePhysics.State.initial(SPEC, TileInitialConditions.defaults());
    double[] draws = {60.0, 30.0, 15.0, 8.0};
    for (int i = 0; i < 36 * 360; i++) {
      TilePhysics.step(SPEC, state, 1.0, draws, 10.0);
    }
    double expectedPlate = TilePhysics.equilibriumPlateTempCelsius(SPEC, 1.0);
    assertEquals(66.8, expectedPlate, 0.1);
    assertEquals(expectedPlate, state.plateTempCelsius(), 0.01);
    for (int slot = 0; slot < 4; slot++) {
      assertEquals(state.plateTempCelsius() + 0.4 * draws[slot], state.junctionTempCelsius(slot), 0.01,
          "slot " + slot);
    }
  }

  /**
   * Steps of one to thirty minutes (cut at the shadow edges) stay bounded and close to one-second
   * steps; what remains is the explicit cell temperature of the array over the step.
   */
  @ParameterizedTest(name = "dt {0} s: within {1} K and {2} Wh")
  @CsvSource({"60, 0.2, 0.8", "120, 0.3, 1.5", "600, 2.5, 6.5", "1800, 8.0, 15.0"})
  void largeStepsStayStableAndCloseToSmallSteps(double dt, double plateToleranceK, double energyToleranceWh) {
    EclipseTimeline timeline = SyntheticOrbit.timeline(3);
    double[] draws = {50.0, 50.0, 50.0, 50.0};
    TilePhysics.State fine = TilePhysics.State.initial(SPEC, TileInitialConditions.defaults());
    TilePhysics.State coarse = fine.copy();
    double total = 2 * SyntheticOrbit.PERIOD_SECONDS;
    for (double t = 0; t < total; t += 1.0) {
      TilePhysics.step(SPEC, fine, timeline.sunlitFractionAt(SyntheticOrbit.at(t + 0.5)), draws, 1.0);
    }
    // Long steps, cut at the shadow edges as the TILE actor and the simulator do.
    double t = 0;
    while (t < total) {
      double step = Math.min(dt, total - t);
      double edge = java.time.Duration.between(SyntheticOrbit.START,
          timeline.nextTransitionAfter(SyntheticOrbit.at(t)).orElseThrow()).toNanos() / 1e9;
      step = Math.min(step, edge - t);
      TilePhysics.step(SPEC, coarse, meanSunlit(timeline, t, step), draws, step);
      assertTrue(Double.isFinite(coarse.plateTempCelsius()) && coarse.plateTempCelsius() < 120
          && coarse.plateTempCelsius() > -150, "plate " + coarse.plateTempCelsius());
      t += step;
    }
    assertEquals(fine.plateTempCelsius(), coarse.plateTempCelsius(), plateToleranceK);
    assertEquals(fine.batteryEnergyWh(), coarse.batteryEnergyWh(), energyToleranceWh);
  }

  @Test
  void umbraDrainsTheBatteryAndCoolsThePlate() {
    TilePhysics.State state = TilePhysics.State.initial(SPEC, new TileInitialConditions(100, 60));
    double[] draws = {30, 30, 30, 30};
    TilePhysics.StepResult r = null;
    for (int i = 0; i < 60; i++) r = TilePhysics.step(SPEC, state, 0.0, draws, 10.0);
    assertEquals(0.0, r.solarInputWatts(), 0.0);
    assertEquals(140.0, r.loadWatts(), 1e-9);
    assertEquals(-140.0 / 0.95, r.batteryFlowWatts(), 1e-6);
    assertEquals(200.0 - 140.0 / 0.95 * 600 / 3600, state.batteryEnergyWh(), 1e-6);
    assertTrue(state.plateTempCelsius() < 60.0);
  }

  @Test
  void payloadBrownoutCutsTheOrinsHeat() {
    TilePhysics.State state = new TilePhysics.State(50.0, 20.0, new double[] {20, 20, 20, 20});
    TilePhysics.StepResult r = TilePhysics.step(SPEC, state, 0.0, new double[] {60, 60, 60, 60}, 10.0);
    assertTrue(r.payloadBrownout());
    assertEquals(0.0, r.orinServedFraction(), 1e-12);
    assertTrue(state.junctionTempCelsius(0) <= 20.0, "an unpowered Orin cannot heat up");
  }

  @Test
  void rejectsDrawArrayOfTheWrongLength() {
    TilePhysics.State state = TilePhysics.State.initial(SPEC, TileInitialConditions.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TilePhysics.step(SPEC, state, 1.0, new double[] {1, 2}, 10.0));
    assertTrue(e.getMessage().contains("orinDrawWatts"), e.getMessage());
  }

  private static double meanSunlit(EclipseTimeline timeline, double t, double step) {
    double sum = 0;
    int n = 600;
    for (int i = 0; i < n; i++) sum += timeline.sunlitFractionAt(SyntheticOrbit.at(t + (i + 0.5) * step / n));
    return sum / n;
  }
}
