package org.soos.shared.power;

import com.typesafe.config.Config;

/**
 * The solar array on a TILE's sun face.
 *
 * <p>Defaults: a 1 m^2 TILE face of triple-junction GaAs cells (beginning-of-life efficiency ~30% at
 * 28 C, AM0, as in Azur Space 3G30 and Spectrolab XTJ data sheets; temperature coefficient of power
 * about -0.2..-0.3 %/K), 90% packing, sun-pointing attitude: 1361 * 1.0 * 0.30 * 0.9 = 367 W.
 *
 * @param areaM2 face area covered by the array, m^2, &gt; 0
 * @param cellEfficiency cell conversion efficiency at {@code referenceTempCelsius}, AM0, 0..1
 * @param packingFactor fraction of the area covered by active cell area, 0..1
 * @param tempCoefficientPerKelvin relative change of output per kelvin above the reference temperature,
 *     1/K, usually negative (-0.0025 = -0.25 %/K)
 * @param referenceTempCelsius temperature at which {@code cellEfficiency} is rated, degrees C (28 for AM0 data sheets)
 * @param solarConstantWattsPerM2 solar irradiance at 1 AU above the atmosphere, W/m^2 (1361, Kopp &amp; Lean 2011)
 * @param cosIncidence cosine of the Sun's angle to the array normal for the attitude flown, 0..1
 *     (1.0: sun-pointing)
 * @param degradationFactor output remaining after radiation and ageing, 0..1 (1.0 at beginning of life)
 */
public record SolarArraySpec(
    double areaM2,
    double cellEfficiency,
    double packingFactor,
    double tempCoefficientPerKelvin,
    double referenceTempCelsius,
    double solarConstantWattsPerM2,
    double cosIncidence,
    double degradationFactor) {

  /** Solar irradiance at 1 AU, W/m^2 (total solar irradiance, Kopp &amp; Lean 2011, GRL 38 L01706). */
  public static final double SOLAR_CONSTANT_W_PER_M2 = 1361.0;

  public SolarArraySpec {
    Checks.positive("solar.area-m2", areaM2);
    Checks.fraction("solar.cell-efficiency", cellEfficiency);
    Checks.fraction("solar.packing-factor", packingFactor);
    Checks.range("solar.temp-coefficient-per-kelvin", tempCoefficientPerKelvin, -0.05, 0.05);
    Checks.range("solar.reference-temp-celsius", referenceTempCelsius, -100, 150);
    Checks.positive("solar.solar-constant-w-per-m2", solarConstantWattsPerM2);
    Checks.fraction("solar.cos-incidence", cosIncidence);
    Checks.fraction("solar.degradation-factor", degradationFactor);
  }

  /** 1 m^2, 30% triple junction, 0.9 packing, -0.25 %/K from 28 C, sun-pointing, beginning of life. */
  public static SolarArraySpec defaults() {
    return new SolarArraySpec(1.0, 0.30, 0.9, -0.0025, 28.0, SOLAR_CONSTANT_W_PER_M2, 1.0, 1.0);
  }

  /** Reads a {@code solar} block (keys as in {@code soos.tile.solar} of reference.conf). */
  public static SolarArraySpec fromConfig(Config c) {
    return new SolarArraySpec(
        c.getDouble("area-m2"),
        c.getDouble("cell-efficiency"),
        c.getDouble("packing-factor"),
        c.getDouble("temp-coefficient-per-kelvin"),
        c.getDouble("reference-temp-celsius"),
        c.getDouble("solar-constant-w-per-m2"),
        c.getDouble("cos-incidence"),
        c.getDouble("degradation-factor"));
  }

  /** Output in full sun at the reference temperature and the flown attitude, W. */
  public double ratedOutputWatts() {
    return SolarArray.outputWatts(this, 1.0, cosIncidence, referenceTempCelsius);
  }
}
