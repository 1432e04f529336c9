package org.soos.shared.power;

/**
 * Battery and power-bus balance for one step with constant solar input and loads.
 *
 * <p>Two buses, as on most small spacecraft: the essential bus (housekeeping: avionics, radio,
 * attitude control) may draw the battery down to empty; the payload bus (the Orins) is cut at the
 * reserve floor. Solar power serves the essential load first, then the payload; any surplus charges
 * the battery (bus power x charge efficiency is stored), up to the charge limit and full capacity; the
 * rest is curtailed (the array is driven off its maximum power point). A deficit is drawn from the
 * battery (stored energy / discharge efficiency leaves the cells), up to the discharge limit, essential
 * load first.
 *
 * <p>Within a step the powers are constant, so reaching full, the floor or empty mid-step is resolved
 * exactly in energy (the step reports average powers). Valid for any step length; units W, Wh, s.
 */
public final class Battery {
  private static final double SECONDS_PER_HOUR = 3600.0;

  private Battery() {}

  /**
   * Advances the battery by {@code dtSeconds}.
   *
   * @param spec the battery
   * @param energyWh stored energy at the start, Wh, 0..capacity
   * @param harvestWatts solar array output available, W, &gt;= 0
   * @param essentialWatts housekeeping load, W, &gt;= 0
   * @param payloadWatts payload (Orin) load, W, &gt;= 0
   * @param dtSeconds step length, s, &gt; 0
   */
  public static BatteryStep step(BatterySpec spec, double energyWh, double harvestWatts, double essentialWatts,
      double payloadWatts, double dtSeconds) {
    if (!(dtSeconds > 0.0) || Double.isInfinite(dtSeconds)) {
      throw new IllegalArgumentException("dtSeconds must be a finite number > 0, got: " + dtSeconds);
    }
    if (!(harvestWatts >= 0.0)) throw new IllegalArgumentException("harvestWatts must be >= 0, got: " + harvestWatts);
    if (!(essentialWatts >= 0.0)) {
      throw new IllegalArgumentException("essentialWatts must be >= 0, got: " + essentialWatts);
    }
    if (!(payloadWatts >= 0.0)) throw new IllegalArgumentException("payloadWatts must be >= 0, got: " + payloadWatts);
    double e0 = Math.min(spec.capacityWh(), Math.max(0.0, energyWh));
    double hours = dtSeconds / SECONDS_PER_HOUR;
    double surplus = harvestWatts - essentialWatts - payloadWatts;

    if (surplus >= 0.0) {
      double etaC = spec.chargeEfficiency();
      double headroomWatts = (spec.capacityWh() - e0) / (etaC * hours);
      double charge = Math.max(0.0, Math.min(surplus, Math.min(spec.maxChargeWatts(), headroomWatts)));
      double e1 = Math.min(spec.capacityWh(), e0 + etaC * charge * hours);
      return new BatteryStep(e1, charge, 0.0, surplus - charge, 0.0, 0.0, charge * (1.0 - etaC));
    }

    double etaD = spec.dischargeEfficiency();
    double essentialDeficit = Math.max(0.0, essentialWatts - harvestWatts);
    double payloadDeficit = -surplus - essentialDeficit;
    double essentialRate = Math.min(essentialDeficit, spec.maxDischargeWatts());
    double payloadRate = Math.min(payloadDeficit, spec.maxDischargeWatts() - essentialRate);
    double bothRate = essentialRate + payloadRate;

    // Phase 1: both buses draw until the reserve floor (or the end of the step).
    double aboveFloorWh = Math.max(0.0, e0 - spec.reserveWh());
    double phase1Hours = bothRate <= 0.0 ? hours : Math.min(hours, aboveFloorWh * etaD / bothRate);
    double e = e0 - bothRate * phase1Hours / etaD;
    // Phase 2: payload cut at the floor; the essential bus draws on until empty.
    double rest = hours - phase1Hours;
    double phase2Hours = essentialRate <= 0.0 ? rest : Math.min(rest, Math.max(0.0, e) * etaD / essentialRate);
    e -= essentialRate * phase2Hours / etaD;

    double payloadServedWh = payloadRate * phase1Hours;
    double essentialServedWh = essentialRate * (phase1Hours + phase2Hours);
    double dischargeWatts = (payloadServedWh + essentialServedWh) / hours;
    double unmetEssential = essentialDeficit - essentialServedWh / hours;
    double unmetPayload = payloadDeficit - payloadServedWh / hours;
    return new BatteryStep(
        Math.max(0.0, e), 0.0, dischargeWatts, 0.0,
        Math.max(0.0, unmetEssential), Math.max(0.0, unmetPayload),
        dischargeWatts * (1.0 / etaD - 1.0));
  }
}
