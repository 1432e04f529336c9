package org.soos.shared.tile;

import java.util.Arrays;
import org.soos.shared.power.Battery;
import org.soos.shared.power.BatterySpec;
import org.soos.shared.power.BatteryStep;
import org.soos.shared.power.PowerLedger;
import org.soos.shared.power.SolarArray;
import org.soos.shared.thermal.ThermalModel;
import org.soos.shared.thermal.ThermalSpec;

/**
 * The one step function of a TILE's power and thermal physics, shared by the TILE actor (live
 * emulation) and the deterministic simulator. Pure and allocation-light: time enters only as the step
 * length; the caller chooses the sunlit fraction for the step (the value at its midpoint is the
 * usual choice) and the Orins' draws. Cut steps at the shadow edges
 * ({@code EclipseTimeline.nextTransitionAfter}): a step that straddles an edge averages sunlight and
 * shadow, and the battery then books a sunlit surplus against a shadow deficit.
 *
 * <p>Order within a step (operator splitting, every part stable for any step length):
 * <ol>
 *   <li>array output from the sunlit fraction and the plate (cell) temperature at the start
 *       ({@link SolarArray#outputWatts});
 *   <li>bus and battery: housekeeping on the essential bus, Orins on the payload bus
 *       ({@link Battery#step}); if the payload bus is cut at the reserve floor, each Orin gets the served
 *       fraction of its draw;
 *   <li>junctions: exact first-order response with the plate held ({@link ThermalModel#junctionStep});
 *       the heat each junction passes to the plate over the step is its served power minus the energy
 *       it stored, divided by dt;
 *   <li>plate: clamped exponential step ({@link ThermalModel#plateStep}) with heat input = absorbed sunlight, Earth
 *       infrared and albedo - electrical power extracted by the cells + housekeeping served + battery
 *       conversion losses + junction heat.
 * </ol>
 * All electrical energy ends up as heat in the plate except what the battery stores.
 */
public final class TilePhysics {
  private TilePhysics() {}

  /**
   * A TILE's evolving physical state. Mutable, owned by one caller (one actor or one simulator loop).
   */
  public static final class State {
    private double batteryEnergyWh;
    private double plateTempCelsius;
    private final double[] junctionTempCelsius;

    /**
     * @param batteryEnergyWh stored energy, Wh, &gt;= 0
     * @param plateTempCelsius plate temperature, degrees C, above absolute zero
     * @param junctionTempCelsius one junction temperature per Orin slot, degrees C (copied)
     */
    public State(double batteryEnergyWh, double plateTempCelsius, double[] junctionTempCelsius) {
      if (!(batteryEnergyWh >= 0.0) || Double.isInfinite(batteryEnergyWh)) {
        throw new IllegalArgumentException("batteryEnergyWh must be a finite number >= 0, got: " + batteryEnergyWh);
      }
      requireTemp("plateTempCelsius", plateTempCelsius);
      if (junctionTempCelsius == null || junctionTempCelsius.length == 0) {
        throw new IllegalArgumentException("junctionTempCelsius must have one entry per Orin slot");
      }
      for (int i = 0; i < junctionTempCelsius.length; i++) {
        requireTemp("junctionTempCelsius[" + i + "]", junctionTempCelsius[i]);
      }
      this.batteryEnergyWh = batteryEnergyWh;
      this.plateTempCelsius = plateTempCelsius;
      this.junctionTempCelsius = junctionTempCelsius.clone();
    }

    /** The state a TILE of {@code spec} starts in: battery at the given charge, junctions at plate temperature. */
    public static State initial(TileSpec spec, TileInitialConditions initial) {
      double[] junctions = new double[spec.orinCount()];
      Arrays.fill(junctions, initial.plateTempCelsius());
      return new State(spec.battery().capacityWh() * initial.batteryStateOfChargePercent() / 100.0,
          initial.plateTempCelsius(), junctions);
    }

    /** Stored battery energy, Wh. */
    public double batteryEnergyWh() {
      return batteryEnergyWh;
    }

    /** Plate temperature, degrees C. */
    public double plateTempCelsius() {
      return plateTempCelsius;
    }

    /** Junction temperature of the Orin in {@code slot}, degrees C. */
    public double junctionTempCelsius(int slot) {
      return junctionTempCelsius[slot];
    }

    /** Junction temperatures by slot, degrees C (a copy). */
    public double[] junctionTempsCelsius() {
      return junctionTempCelsius.clone();
    }

    /** Number of Orin slots. */
    public int orinCount() {
      return junctionTempCelsius.length;
    }

    /** An independent copy (for forecasting without disturbing this state). */
    public State copy() {
      return new State(batteryEnergyWh, plateTempCelsius, junctionTempCelsius);
    }

    /** Overwrites this state with {@code other}'s values (same slot count). */
    public void setFrom(State other) {
      if (other.junctionTempCelsius.length != junctionTempCelsius.length) {
        throw new IllegalArgumentException("slot counts differ: " + other.junctionTempCelsius.length
            + " vs " + junctionTempCelsius.length);
      }
      batteryEnergyWh = other.batteryEnergyWh;
      plateTempCelsius = other.plateTempCelsius;
      System.arraycopy(other.junctionTempCelsius, 0, junctionTempCelsius, 0, junctionTempCelsius.length);
    }

    @Override
    public String toString() {
      return String.format("TilePhysics.State[battery=%.2f Wh, plate=%.2f C, junctions=%s C]",
          batteryEnergyWh, plateTempCelsius, Arrays.toString(junctionTempCelsius));
    }

    private static void requireTemp(String field, double celsius) {
      if (!(celsius > -ThermalModel.ZERO_CELSIUS_KELVIN) || Double.isInfinite(celsius)) {
        throw new IllegalArgumentException(field + " must be a finite temperature above -273.15 C, got: " + celsius);
      }
    }
  }

  /**
   * One step's outcome; powers are step averages, W.
   *
   * @param dtSeconds step length, s
   * @param sunlitFraction visible solar-disk fraction used for the step, 0..1
   * @param solarInputWatts array output available, W
   * @param loadWatts load demanded: housekeeping plus Orins, W
   * @param servedLoadWatts load actually served, W
   * @param orinServedFraction fraction of the Orins' draw the payload bus delivered, 0..1 (below 1: payload brownout)
   * @param batteryChargeWatts bus power into the battery, W
   * @param batteryDischargeWatts bus power out of the battery, W
   * @param batteryFlowWatts rate of change of stored energy, W (positive charging, negative discharging)
   * @param curtailedWatts array output left unused, W
   * @param lossWatts battery conversion losses, W
   * @param unmetEssentialWatts housekeeping load not served, W
   * @param unmetPayloadWatts Orin load not served, W
   * @param batteryEnergyWh stored energy at the end of the step, Wh
   * @param plateTempCelsius plate temperature at the end of the step, degrees C
   */
  public record StepResult(
      double dtSeconds,
      double sunlitFraction,
      double solarInputWatts,
      double loadWatts,
      double servedLoadWatts,
      double orinServedFraction,
      double batteryChargeWatts,
      double batteryDischargeWatts,
      double batteryFlowWatts,
      double curtailedWatts,
      double lossWatts,
      double unmetEssentialWatts,
      double unmetPayloadWatts,
      double batteryEnergyWh,
      double plateTempCelsius) {

    /** Load not served, W. */
    public double unmetWatts() {
      return unmetEssentialWatts + unmetPayloadWatts;
    }

    /** True when any load went unserved during the step. */
    public boolean brownout() {
      return unmetWatts() > 1e-9;
    }

    /** True when the payload bus (the Orins) was cut during the step. */
    public boolean payloadBrownout() {
      return unmetPayloadWatts > 1e-9;
    }
  }

  /** {@link #step(TileSpec, State, double, double[], double, PowerLedger)} without a ledger. */
  public static StepResult step(TileSpec spec, State state, double sunlitFraction, double[] orinDrawWatts,
      double dtSeconds) {
    return step(spec, state, sunlitFraction, orinDrawWatts, dtSeconds, null);
  }

  /**
   * Advances {@code state} by {@code dtSeconds} with constant sunlight and Orin draws.
   *
   * @param spec the TILE
   * @param state mutated in place
   * @param sunlitFraction visible fraction of the solar disk during the step, 0..1
   * @param orinDrawWatts each slot's electrical draw, W, &gt;= 0 (length = number of slots)
   * @param dtSeconds step length, s, &gt; 0 (any length is stable; accuracy is best at 10-60 s)
   * @param ledger energy account to add the step to, or null
   */
  public static StepResult step(TileSpec spec, State state, double sunlitFraction, double[] orinDrawWatts,
      double dtSeconds, PowerLedger ledger) {
    if (!(sunlitFraction >= 0.0 && sunlitFraction <= 1.0)) {
      throw new IllegalArgumentException("sunlitFraction must be in 0..1, got: " + sunlitFraction);
    }
    if (!(dtSeconds > 0.0) || Double.isInfinite(dtSeconds)) {
      throw new IllegalArgumentException("dtSeconds must be a finite number > 0, got: " + dtSeconds);
    }
    int n = state.junctionTempCelsius.length;
    if (orinDrawWatts == null || orinDrawWatts.length != n || spec.orinCount() != n) {
      throw new IllegalArgumentException("orinDrawWatts must have one entry per Orin slot (" + spec.orinCount()
          + "), got: " + (orinDrawWatts == null ? "null" : orinDrawWatts.length));
    }
    double payloadWatts = 0.0;
    for (int i = 0; i < n; i++) {
      double w = orinDrawWatts[i];
      if (!(w >= 0.0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("orinDrawWatts[" + i + "] must be a finite number >= 0, got: " + w);
      }
      payloadWatts += w;
    }
    ThermalSpec thermal = spec.thermal();
    BatterySpec batterySpec = spec.battery();
    double cos = spec.solar().cosIncidence();
    double plate0 = state.plateTempCelsius;

    // 1. Array.
    double solarWatts = SolarArray.outputWatts(spec.solar(), sunlitFraction, cos, Math.min(400.0, plate0));

    // 2. Bus and battery.
    double energy0 = state.batteryEnergyWh;
    double housekeeping = spec.housekeepingWatts();
    BatteryStep b = Battery.step(batterySpec, energy0, solarWatts, housekeeping, payloadWatts, dtSeconds);
    double orinServedFraction = payloadWatts <= 0.0 ? 1.0 : Math.max(0.0, 1.0 - b.unmetPayloadWatts() / payloadWatts);
    double housekeepingServed = housekeeping - b.unmetEssentialWatts();
    double loadWatts = housekeeping + payloadWatts;
    double servedLoadWatts = loadWatts - b.unmetWatts();
    double storedChangeWh = b.energyWh() - energy0;
    state.batteryEnergyWh = b.energyWh();

    // 3. Junctions.
    double junctionHeatWatts = 0.0;
    double cj = thermal.junctionHeatCapacityJoulesPerKelvin();
    for (int i = 0; i < n; i++) {
      double p = orinDrawWatts[i] * orinServedFraction;
      double tj0 = state.junctionTempCelsius[i];
      double tj1 = ThermalModel.junctionStep(thermal, tj0, plate0, p, dtSeconds);
      state.junctionTempCelsius[i] = tj1;
      junctionHeatWatts += p - cj * (tj1 - tj0) / dtSeconds;
    }

    // 4. Plate.
    double extractedWatts = solarWatts - b.curtailedWatts();
    double heatIn = ThermalModel.environmentAbsorbedWatts(thermal, spec.solar().solarConstantWattsPerM2(), cos,
        sunlitFraction)
        - extractedWatts + housekeepingServed + b.lossWatts() + junctionHeatWatts;
    state.plateTempCelsius = ThermalModel.plateStep(thermal, plate0, heatIn, dtSeconds);

    if (ledger != null) {
      ledger.record(solarWatts, servedLoadWatts, b, storedChangeWh, dtSeconds);
    }
    return new StepResult(dtSeconds, sunlitFraction, solarWatts, loadWatts, servedLoadWatts, orinServedFraction,
        b.chargeWatts(), b.dischargeWatts(), storedChangeWh * 3600.0 / dtSeconds, b.curtailedWatts(),
        b.lossWatts(), b.unmetEssentialWatts(), b.unmetPayloadWatts(), state.batteryEnergyWh,
        state.plateTempCelsius);
  }

  /**
   * Plate temperature the TILE settles at under constant sunlight when the battery neither charges
   * nor discharges (all electrical power is dissipated inside), degrees C. Closed form: every watt
   * absorbed from Sun and Earth is radiated by both faces (see
   * {@link ThermalModel#equilibriumPlateTempCelsius}); the Orins' load only moves heat through the
   * junctions. With the defaults, in full sun: ~67 C.
   *
   * @param sunlitFraction visible fraction of the solar disk, 0..1
   */
  public static double equilibriumPlateTempCelsius(TileSpec spec, double sunlitFraction) {
    return equilibriumPlateTempCelsius(spec, sunlitFraction, 0.0);
  }

  /**
   * Plate equilibrium temperature when the battery stores {@code storedWatts} (negative: supplies) of
   * the absorbed power, degrees C: T = ((Q_env - P_stored) / (sigma epsA) + T_sink^4)^(1/4).
   */
  public static double equilibriumPlateTempCelsius(TileSpec spec, double sunlitFraction, double storedWatts) {
    double q = ThermalModel.environmentAbsorbedWatts(spec.thermal(), spec.solar().solarConstantWattsPerM2(),
        spec.solar().cosIncidence(), sunlitFraction) - storedWatts;
    return ThermalModel.equilibriumPlateTempCelsius(spec.thermal(), q);
  }
}
