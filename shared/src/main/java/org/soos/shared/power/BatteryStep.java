package org.soos.shared.power;

/**
 * What happened on the power bus during one step, as step-average powers (W) and the end energy (Wh).
 * The bus balance holds exactly: harvested = served load + charge + curtailed - discharge, and
 * energy: stored change = (charge * eta_c - discharge / eta_d) * dt.
 *
 * @param energyWh battery energy at the end of the step, Wh
 * @param chargeWatts bus power put into the battery, W (&gt;= 0)
 * @param dischargeWatts bus power taken from the battery, W (&gt;= 0)
 * @param curtailedWatts solar power left unused (battery full or at its charge limit), W
 * @param unmetEssentialWatts housekeeping load not served (battery empty or at its discharge limit), W
 * @param unmetPayloadWatts payload (Orin) load not served (battery at its reserve floor or discharge limit), W
 * @param lossWatts conversion losses in charging and discharging, W (heat)
 */
public record BatteryStep(
    double energyWh,
    double chargeWatts,
    double dischargeWatts,
    double curtailedWatts,
    double unmetEssentialWatts,
    double unmetPayloadWatts,
    double lossWatts) {

  /** Total load not served, W. */
  public double unmetWatts() {
    return unmetEssentialWatts + unmetPayloadWatts;
  }

  /** True when any load went unserved during the step. */
  public boolean brownout() {
    return unmetEssentialWatts + unmetPayloadWatts > 1e-9;
  }
}
