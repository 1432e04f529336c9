package org.soos.shared.thermal;

/**
 * Lumped-node thermal model of a TILE: a radiating plate and one junction node per Orin.
 *
 * <p>Plate (lumped capacitance, both faces radiating to deep space; Gilmore, "Spacecraft Thermal
 * Control Handbook" vol. 1, ch. 2 and 5):
 * <pre>
 *   C dT/dt = Q_in - sum_faces eps * sigma * A * (T^4 - T_sink^4)
 * </pre>
 * where Q_in is sunlight absorbed by the cell face minus the electrical power the cells extract, Earth
 * infrared and albedo absorbed by the radiator face, and every watt dissipated inside (loads, battery
 * losses, heat from the junctions).
 *
 * <p>Junction (one first-order node per Orin): {@code C_j dT_j/dt = P_orin - (T_j - T_plate) / R_jp};
 * at steady state {@code T_j = T_plate + R_jp * P_orin}.
 *
 * <p>Both integrators are stable for any step: the junction step is the exact solution with the
 * plate held for the step; the plate step is an exponential (Rosenbrock-Euler) step on the radiation
 * law linearized at the step's start, clamped so it never passes the equilibrium. The plate time
 * constant is ~15 min with the defaults, so steps of 10-60 s are accurate to a few hundredths of a
 * kelvin and steps of hours still land on the right equilibrium. Temperatures in degrees C unless named Kelvin.
 */
public final class ThermalModel {
  /** Stefan-Boltzmann constant, W/(m^2 K^4) (CODATA 2018, exact in the 2019 SI). */
  public static final double STEFAN_BOLTZMANN = 5.670374419e-8;
  /** 0 degrees C in kelvin. */
  public static final double ZERO_CELSIUS_KELVIN = 273.15;

  private ThermalModel() {}

  /**
   * Radiative equilibrium temperature of a body, K: the T where heat in equals
   * eps*A * sigma * (T^4 - T_sink^4), i.e. T = (Q / (sigma * epsA) + T_sink^4)^(1/4).
   * 400 W from a 1 m^2 face of emissivity 0.9 (sink 0 K): 297.5 K.
   *
   * @param heatInputWatts heat absorbed and dissipated, W (below -sigma*epsA*T_sink^4 there is no
   *     equilibrium above 0 K and 0 K is returned)
   * @param emissiveAreaM2 sum of emissivity x area of the radiating faces, m^2, &gt; 0
   * @param sinkTempKelvin radiative sink temperature, K, &gt;= 0
   */
  public static double equilibriumTempKelvin(double heatInputWatts, double emissiveAreaM2, double sinkTempKelvin) {
    if (!(emissiveAreaM2 > 0.0)) {
      throw new IllegalArgumentException("emissiveAreaM2 must be > 0, got: " + emissiveAreaM2);
    }
    if (Double.isNaN(heatInputWatts)) {
      throw new IllegalArgumentException("heatInputWatts must be a number, got: NaN");
    }
    double t4 = heatInputWatts / (STEFAN_BOLTZMANN * emissiveAreaM2) + pow4(sinkTempKelvin);
    return t4 <= 0.0 ? 0.0 : Math.sqrt(Math.sqrt(t4));
  }

  /**
   * Plate temperature at which the plate radiates exactly {@code heatInputWatts} from both faces,
   * degrees C (closed form of {@link #equilibriumTempKelvin}).
   */
  public static double equilibriumPlateTempCelsius(ThermalSpec spec, double heatInputWatts) {
    return equilibriumTempKelvin(heatInputWatts, spec.emissiveAreaM2(), spec.sinkTempKelvin()) - ZERO_CELSIUS_KELVIN;
  }

  /**
   * Heat the plate absorbs from its surroundings, W: sunlight on the cell face
   * (alpha_s * A_s * S * cos * f), Earth infrared on the radiator face (eps_r * F * A_r * IR), and Earth
   * albedo on the radiator face (alpha_r * F * A_r * S * albedo * f; albedo is taken to follow the
   * TILE's own illumination, a first-order approximation). Excludes the electrical power the cells
   * extract: subtract it to get the plate's heat input.
   *
   * @param spec the plate
   * @param solarConstantWattsPerM2 solar irradiance at 1 AU, W/m^2
   * @param cosIncidence cosine of the Sun angle on the cell face, 0..1
   * @param sunlitFraction visible fraction of the solar disk, 0..1
   */
  public static double environmentAbsorbedWatts(ThermalSpec spec, double solarConstantWattsPerM2,
      double cosIncidence, double sunlitFraction) {
    double sun = solarConstantWattsPerM2 * sunlitFraction;
    double earth = spec.earthViewFactor() * spec.radiatorAreaM2();
    return spec.solarFaceAbsorptance() * spec.solarFaceAreaM2() * sun * Math.max(0.0, cosIncidence)
        + spec.radiatorEmissivity() * earth * spec.earthIrWattsPerM2()
        + spec.radiatorSolarAbsorptance() * earth * sun * spec.albedo();
  }

  /** Net heat radiated by the plate at {@code plateTempCelsius} from both faces, W. */
  public static double radiatedWatts(ThermalSpec spec, double plateTempCelsius) {
    double t = plateTempCelsius + ZERO_CELSIUS_KELVIN;
    return STEFAN_BOLTZMANN * spec.emissiveAreaM2() * (pow4(t) - pow4(spec.sinkTempKelvin()));
  }

  /**
   * Plate temperature after {@code dtSeconds} with a constant heat input, degrees C.
   *
   * <p>Exponential Rosenbrock-Euler step: the radiation term is linearized at the start temperature,
   * f(T) ~ f(T0) + J (T - T0) with J = -4 sigma epsA T0^3 / C, and the linear equation is solved exactly:
   * T1 = T0 + f(T0) (exp(J dt) - 1) / J. Second-order accurate, exact for small excursions, and bounded
   * for any dt: the result is clamped to lie between T0 and the radiative equilibrium for the heat
   * input (the tangent of T^4 lies below the curve, so cooling never undershoots and heating is capped),
   * so a step of hours lands on the equilibrium.
   *
   * @param plateTempCelsius temperature at the start, degrees C (above absolute zero)
   * @param heatInputWatts heat in during the step, W
   * @param dtSeconds step, s, &gt;= 0
   */
  public static double plateStep(ThermalSpec spec, double plateTempCelsius, double heatInputWatts, double dtSeconds) {
    if (!(dtSeconds >= 0.0) || Double.isInfinite(dtSeconds)) {
      throw new IllegalArgumentException("dtSeconds must be a finite number >= 0, got: " + dtSeconds);
    }
    if (dtSeconds == 0.0) return plateTempCelsius;
    double t0 = plateTempCelsius + ZERO_CELSIUS_KELVIN;
    double k = STEFAN_BOLTZMANN * spec.emissiveAreaM2();
    double c = spec.plateHeatCapacityJoulesPerKelvin();
    double equilibrium = equilibriumTempKelvin(heatInputWatts, spec.emissiveAreaM2(), spec.sinkTempKelvin());
    double t03 = t0 * t0 * t0;
    double rate = (heatInputWatts - k * (t03 * t0 - pow4(spec.sinkTempKelvin()))) / c; // K/s
    double decay = 4.0 * k * t03 / c; // 1/s, = -J
    double t1;
    double x = decay * dtSeconds;
    if (x < 1e-8) {
      t1 = t0 + rate * dtSeconds;
    } else {
      t1 = t0 + rate * (-Math.expm1(-x)) / decay;
    }
    double lo = Math.min(t0, equilibrium);
    double hi = Math.max(t0, equilibrium);
    t1 = Math.min(hi, Math.max(lo, t1));
    return t1 - ZERO_CELSIUS_KELVIN;
  }

  /**
   * Junction temperature after {@code dtSeconds} with the plate held at {@code plateTempCelsius} and a
   * constant Orin power, degrees C. Exact solution of C_j dT/dt = P - (T - T_p)/R:
   * T(dt) = T_p + R P + (T0 - T_p - R P) exp(-dt / (R C_j)). Stable for any dt.
   */
  public static double junctionStep(ThermalSpec spec, double junctionTempCelsius, double plateTempCelsius,
      double orinWatts, double dtSeconds) {
    double steady = steadyJunctionTempCelsius(spec, plateTempCelsius, orinWatts);
    double decay = Math.exp(-dtSeconds / spec.junctionTimeConstantSeconds());
    return steady + (junctionTempCelsius - steady) * decay;
  }

  /** Junction temperature at steady state, degrees C: T_plate + R_jp * P_orin. */
  public static double steadyJunctionTempCelsius(ThermalSpec spec, double plateTempCelsius, double orinWatts) {
    return plateTempCelsius + spec.junctionToPlateKelvinPerWatt() * orinWatts;
  }

  private static double pow4(double x) {
    double x2 = x * x;
    return x2 * x2;
  }
}
