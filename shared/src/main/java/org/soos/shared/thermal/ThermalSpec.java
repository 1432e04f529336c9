package org.soos.shared.thermal;

import com.typesafe.config.Config;
import org.soos.shared.power.Checks;

/**
 * Thermal model parameters of a TILE: one plate node (the 1 m^2 structure with its two faces) and one
 * junction node per Orin, bolted to the plate through its thermal transfer plate.
 *
 * <p>Defaults and sources:
 * <ul>
 *   <li>plate heat capacity 15 kJ/K: ~17 kg of aluminium-equivalent structure, cells and Orins
 *       (c_p of aluminium 0.90 J/(g K));
 *   <li>sun face: triple-junction cells, solar absorptance 0.92, infrared emissivity 0.85
 *       (Gilmore, "Spacecraft Thermal Control Handbook" vol. 1, appendix: solar cell surface properties);
 *   <li>radiator face: white paint / silvered film, solar absorptance 0.20, emissivity 0.90 (same source);
 *   <li>Earth: infrared 237 W/m^2 and albedo 0.30 (Earth radiation budget means, Gilmore ch. 2), seen by
 *       the radiator face with an orbit-averaged view factor of 0.25 for a sun-pointing TILE
 *       (the nadir-facing limit at 550 km is (Re/(Re+h))^2 = 0.85); deep-space sink 3 K;
 *   <li>junction node 300 J/K (module and heat spreader), junction-to-plate 0.4 K/W: at MAXN (60 W) the
 *       junction runs 24 K above the plate, so with the sunlit plate at its ~67 C equilibrium it stays a
 *       few kelvin under the throttle point;
 *   <li>throttle 95 C, shutdown 104.5 C: the Jetson AGX Orin software throttle and thermal shutdown
 *       trip points (Jetson AGX Orin thermal design guide); the guard raises the power mode again only
 *       once the junction is {@code throttleHysteresisKelvin} below the throttle point.
 * </ul>
 *
 * @param plateHeatCapacityJoulesPerKelvin plate node heat capacity, J/K, &gt; 0
 * @param solarFaceAreaM2 area of the sun face (cells), m^2
 * @param solarFaceAbsorptance solar absorptance of the sun face, 0..1
 * @param solarFaceEmissivity infrared emissivity of the sun face, 0..1
 * @param radiatorAreaM2 area of the radiator face, m^2
 * @param radiatorEmissivity infrared emissivity of the radiator face, 0..1 (also its Earth-IR absorptance)
 * @param radiatorSolarAbsorptance solar absorptance of the radiator face (for Earth albedo), 0..1
 * @param earthViewFactor view factor from the radiator face to Earth, 0..1
 * @param earthIrWattsPerM2 Earth's outgoing long-wave radiation at the orbit, W/m^2
 * @param albedo fraction of sunlight Earth reflects, 0..1
 * @param sinkTempKelvin deep-space sink temperature, K
 * @param junctionHeatCapacityJoulesPerKelvin heat capacity of one Orin junction node, J/K, &gt; 0
 * @param junctionToPlateKelvinPerWatt thermal resistance from an Orin junction to the plate, K/W, &gt; 0
 * @param throttleTempCelsius junction temperature at which an Orin drops a power mode, degrees C
 * @param shutdownTempCelsius junction temperature at which an Orin checkpoints and stops its jobs, degrees C
 * @param throttleHysteresisKelvin how far below the throttle point the junction must fall before the
 *     power mode is raised again (and a shut down Orin comes back), K
 */
public record ThermalSpec(
    double plateHeatCapacityJoulesPerKelvin,
    double solarFaceAreaM2,
    double solarFaceAbsorptance,
    double solarFaceEmissivity,
    double radiatorAreaM2,
    double radiatorEmissivity,
    double radiatorSolarAbsorptance,
    double earthViewFactor,
    double earthIrWattsPerM2,
    double albedo,
    double sinkTempKelvin,
    double junctionHeatCapacityJoulesPerKelvin,
    double junctionToPlateKelvinPerWatt,
    double throttleTempCelsius,
    double shutdownTempCelsius,
    double throttleHysteresisKelvin) {

  public ThermalSpec {
    Checks.positive("thermal.plate-heat-capacity-j-per-k", plateHeatCapacityJoulesPerKelvin);
    Checks.nonNegative("thermal.solar-face-area-m2", solarFaceAreaM2);
    Checks.fraction("thermal.solar-face-absorptance", solarFaceAbsorptance);
    Checks.fraction("thermal.solar-face-emissivity", solarFaceEmissivity);
    Checks.nonNegative("thermal.radiator-area-m2", radiatorAreaM2);
    Checks.fraction("thermal.radiator-emissivity", radiatorEmissivity);
    Checks.fraction("thermal.radiator-solar-absorptance", radiatorSolarAbsorptance);
    Checks.fraction("thermal.earth-view-factor", earthViewFactor);
    Checks.nonNegative("thermal.earth-ir-w-per-m2", earthIrWattsPerM2);
    Checks.fraction("thermal.albedo", albedo);
    Checks.range("thermal.sink-temp-kelvin", sinkTempKelvin, 0.0, 400.0);
    Checks.positive("thermal.junction-heat-capacity-j-per-k", junctionHeatCapacityJoulesPerKelvin);
    Checks.positive("thermal.junction-to-plate-k-per-w", junctionToPlateKelvinPerWatt);
    Checks.range("thermal.throttle-temp-celsius", throttleTempCelsius, -50.0, 200.0);
    Checks.range("thermal.shutdown-temp-celsius", shutdownTempCelsius, -50.0, 200.0);
    Checks.nonNegative("thermal.throttle-hysteresis-kelvin", throttleHysteresisKelvin);
    if (!(shutdownTempCelsius > throttleTempCelsius)) {
      throw new IllegalArgumentException("thermal.shutdown-temp-celsius (" + shutdownTempCelsius
          + ") must be above thermal.throttle-temp-celsius (" + throttleTempCelsius + ")");
    }
    if (solarFaceAreaM2 * solarFaceEmissivity + radiatorAreaM2 * radiatorEmissivity <= 0.0) {
      throw new IllegalArgumentException(
          "thermal: the plate must radiate: solar-face-area-m2 * solar-face-emissivity"
              + " + radiator-area-m2 * radiator-emissivity must be > 0");
    }
  }

  /** The defaults listed in the class comment. */
  public static ThermalSpec defaults() {
    return new ThermalSpec(15_000.0, 1.0, 0.92, 0.85, 1.0, 0.90, 0.20, 0.25, 237.0, 0.30, 3.0,
        300.0, 0.4, 95.0, 104.5, 5.0);
  }

  /** Reads a {@code thermal} block (keys as in {@code soos.tile.thermal} of reference.conf). */
  public static ThermalSpec fromConfig(Config c) {
    return new ThermalSpec(
        c.getDouble("plate-heat-capacity-j-per-k"),
        c.getDouble("solar-face-area-m2"),
        c.getDouble("solar-face-absorptance"),
        c.getDouble("solar-face-emissivity"),
        c.getDouble("radiator-area-m2"),
        c.getDouble("radiator-emissivity"),
        c.getDouble("radiator-solar-absorptance"),
        c.getDouble("earth-view-factor"),
        c.getDouble("earth-ir-w-per-m2"),
        c.getDouble("albedo"),
        c.getDouble("sink-temp-kelvin"),
        c.getDouble("junction-heat-capacity-j-per-k"),
        c.getDouble("junction-to-plate-k-per-w"),
        c.getDouble("throttle-temp-celsius"),
        c.getDouble("shutdown-temp-celsius"),
        c.getDouble("throttle-hysteresis-kelvin"));
  }

  /** Sum of emissivity x area over both faces, m^2: what multiplies sigma (T^4 - T_sink^4). */
  public double emissiveAreaM2() {
    return solarFaceAreaM2 * solarFaceEmissivity + radiatorAreaM2 * radiatorEmissivity;
  }

  /** Time constant of a junction node, s: R_jp * C_j. */
  public double junctionTimeConstantSeconds() {
    return junctionToPlateKelvinPerWatt * junctionHeatCapacityJoulesPerKelvin;
  }
}
