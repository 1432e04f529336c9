package org.soos.shared.thermal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThermalModelTest {

  /**
   * Stefan-Boltzmann radiative equilibrium, T = (Q / (eps sigma A))^(1/4) with a 0 K sink. Published
   * values: a 1 m^2 black plate facing the Sun with an insulated back at 1 AU reaches 394 K; radiating
   * from both faces, 331 K (Gilmore, Spacecraft Thermal Control Handbook, ch. 2; Wertz &amp; Larson, SMAD
   * ch. 11). 400 W from 1 m^2 at eps 0.9: 297.5 K.
   */
  @ParameterizedTest(name = "{0} W, eps*A={1} m^2 -> {2} K")
  @CsvSource({
      "400, 0.9, 297.54",
      "1361, 1.0, 393.61",
      "1361, 2.0, 330.98",
      "100, 0.85, 213.42",
      "1000, 1.75, 316.84"
  })
  void equilibriumTemperatureMatchesStefanBoltzmann(double watts, double epsArea, double expectedKelvin) {
    assertEquals(expectedKelvin, ThermalModel.equilibriumTempKelvin(watts, epsArea, 0.0), 0.01);
  }

  @Test
  void plateStepLandsOnTheEquilibriumAfterManyTimeConstants() {
    ThermalSpec spec = ThermalSpec.defaults();
    double q = 800.0;
    double expected = ThermalModel.equilibriumPlateTempCelsius(spec, q);
    double t = -40.0;
    for (int i = 0; i < 6000; i++) t = ThermalModel.plateStep(spec, t, q, 10.0);
    assertEquals(expected, t, 1e-6);
    assertEquals(q, ThermalModel.radiatedWatts(spec, t), 1e-3);
  }

  /** The clamped exponential step never overshoots: one huge step lands between the start and the equilibrium. */
  @ParameterizedTest(name = "dt = {0} s")
  @ValueSource(doubles = {60, 600, 3600, 86_400, 1e7})
  void plateStepIsStableAndMonotoneForAnyStep(double dtSeconds) {
    ThermalSpec spec = ThermalSpec.defaults();
    double equilibriumHot = ThermalModel.equilibriumPlateTempCelsius(spec, 1300.0);
    double heated = ThermalModel.plateStep(spec, -100.0, 1300.0, dtSeconds);
    assertTrue(heated > -100.0 && heated <= equilibriumHot + 1e-9, "heating step " + heated);
    double equilibriumCold = ThermalModel.equilibriumPlateTempCelsius(spec, 50.0);
    double cooled = ThermalModel.plateStep(spec, 80.0, 50.0, dtSeconds);
    assertTrue(cooled < 80.0 && cooled >= equilibriumCold - 1e-9, "cooling step " + cooled);
  }

  @Test
  void plateStepOfOneMinuteTracksAFineReferenceWithinAQuarterKelvin() {
    ThermalSpec spec = ThermalSpec.defaults();
    double coarse = 20.0;
    double fine = 20.0;
    for (int minute = 0; minute < 120; minute++) {
      double q = minute < 60 ? 1300.0 : 60.0; // one hour of sun, one of shadow
      coarse = ThermalModel.plateStep(spec, coarse, q, 60.0);
      for (int k = 0; k < 600; k++) fine = rk4(spec, fine, q, 0.1);
      assertEquals(fine, coarse, 0.25, "minute " + minute);
    }
  }

  @ParameterizedTest(name = "plate {0} C, {1} W -> junction {2} C")
  @CsvSource({"20, 60, 44", "67, 60, 91", "67, 8, 70.2", "-30, 0, -30"})
  void junctionSettlesAtPlatePlusResistanceTimesPower(double plateC, double watts, double expectedC) {
    ThermalSpec spec = ThermalSpec.defaults();
    assertEquals(expectedC, ThermalModel.steadyJunctionTempCelsius(spec, plateC, watts), 1e-9);
    double tj = plateC;
    for (int i = 0; i < 400; i++) tj = ThermalModel.junctionStep(spec, tj, plateC, watts, 10.0);
    assertEquals(expectedC, tj, 1e-6);
  }

  @Test
  void junctionStepIsTheExactExponentialResponse() {
    ThermalSpec spec = ThermalSpec.defaults(); // tau = 0.4 * 300 = 120 s
    double tj = ThermalModel.junctionStep(spec, 20.0, 20.0, 60.0, 120.0);
    assertEquals(20.0 + 24.0 * (1.0 - Math.exp(-1.0)), tj, 1e-9);
    double huge = ThermalModel.junctionStep(spec, 20.0, 20.0, 60.0, 1e9);
    assertEquals(44.0, huge, 1e-9);
  }

  @Test
  void defaultSunlitPlateSitsNear67C() {
    ThermalSpec spec = ThermalSpec.defaults();
    double q = ThermalModel.environmentAbsorbedWatts(spec, 1361.0, 1.0, 1.0);
    // 0.92*1361 + 0.9*0.25*237 + 0.2*0.25*1361*0.3 = 1325.86 W
    assertEquals(1325.86, q, 0.01);
    assertEquals(66.8, ThermalModel.equilibriumPlateTempCelsius(spec, q), 0.1);
  }

  @Test
  void rejectsShutdownBelowThrottleNamingBothFields() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ThermalSpec(15000, 1, 0.92, 0.85, 1, 0.9, 0.2, 0.25, 237, 0.3, 3, 300, 0.4, 95, 90, 5));
    assertTrue(e.getMessage().contains("thermal.shutdown-temp-celsius"), e.getMessage());
    assertTrue(e.getMessage().contains("thermal.throttle-temp-celsius"), e.getMessage());
  }

  /** Classical RK4 on C dT/dt = Q - sigma epsA (T^4 - Ts^4), as an independent reference. */
  private static double rk4(ThermalSpec spec, double tempC, double q, double dt) {
    double k1 = rate(spec, tempC, q);
    double k2 = rate(spec, tempC + 0.5 * dt * k1, q);
    double k3 = rate(spec, tempC + 0.5 * dt * k2, q);
    double k4 = rate(spec, tempC + dt * k3, q);
    return tempC + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
  }

  private static double rate(ThermalSpec spec, double tempC, double q) {
    double t = tempC + 273.15;
    double ts = spec.sinkTempKelvin();
    double out = 5.670374419e-8 * spec.emissiveAreaM2() * (t * t * t * t - ts * ts * ts * ts);
    return (q - out) / spec.plateHeatCapacityJoulesPerKelvin();
  }
}
