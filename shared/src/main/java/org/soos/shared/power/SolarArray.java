package org.soos.shared.power;

/**
 * Electrical output of a planar photovoltaic array in orbit.
 *
 * <p>P = S * A * eta * packing * degradation * cos(theta) * f * (1 + k * (T - T_ref)), the standard
 * array sizing equation (Wertz &amp; Larson, "Space Mission Analysis and Design", 3rd ed., sec. 11.4,
 * with the linear temperature coefficient of triple-junction cell data sheets). {@code f} is the
 * visible fraction of the solar disk: 1 in sunlight, 0 in umbra, in between in penumbra.
 */
public final class SolarArray {
  private SolarArray() {}

  /**
   * Array output at the maximum power point, watts.
   *
   * @param spec the array
   * @param sunlitFraction visible fraction of the solar disk, 0..1
   * @param cosIncidence cosine of the angle between the Sun and the array normal, 0..1 (negative values,
   *     Sun behind the array, are treated as 0)
   * @param cellTempCelsius cell temperature, degrees C; valid -150..150 (the linear model holds within
   *     roughly -100..130 C; the derating factor is floored at 0)
   */
  public static double outputWatts(SolarArraySpec spec, double sunlitFraction, double cosIncidence,
      double cellTempCelsius) {
    Checks.fraction("sunlitFraction", sunlitFraction);
    if (Double.isNaN(cosIncidence)) {
      throw new IllegalArgumentException("cosIncidence must be a number, got: NaN");
    }
    Checks.range("cellTempCelsius", cellTempCelsius, -273.15, 400.0);
    double cos = Math.min(1.0, Math.max(0.0, cosIncidence));
    return spec.solarConstantWattsPerM2() * spec.areaM2() * spec.cellEfficiency() * spec.packingFactor()
        * spec.degradationFactor() * cos * sunlitFraction
        * temperatureFactor(spec, cellTempCelsius);
  }

  /** Output relative to the reference temperature: 1 + k (T - T_ref), floored at 0. Dimensionless. */
  public static double temperatureFactor(SolarArraySpec spec, double cellTempCelsius) {
    return Math.max(0.0, 1.0 + spec.tempCoefficientPerKelvin() * (cellTempCelsius - spec.referenceTempCelsius()));
  }
}
