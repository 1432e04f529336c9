package org.soos.shared.power;

import com.typesafe.config.Config;

/**
 * A TILE's battery (lithium-ion cells behind a battery charge/discharge regulator).
 *
 * <p>Defaults: 200 Wh, reserve floor 25% (a 75% depth of discharge, as LEO missions allow for a few
 * thousand cycles), 95% charge and discharge efficiency each (~90% round trip for Li-ion with its
 * regulators), charge limited to 1C (200 W) and discharge to 2C (400 W). The 150 Wh above the floor
 * carry only part of a full load through a 36-minute eclipse: 4 Orins at 60 W plus 20 W of housekeeping
 * need 156 Wh at the bus and ~164 Wh from the cells. That is on purpose: the scheduler has to plan.
 *
 * @param capacityWh energy stored when full, Wh, &gt; 0
 * @param reserveFloorPercent depth-of-discharge floor, % of capacity, 0..100: below it the payload bus is
 *     cut (the TILE sheds its Orins before that); only housekeeping may draw from the reserve
 * @param chargeEfficiency stored energy per unit of bus energy put in, 0..1
 * @param dischargeEfficiency bus energy delivered per unit of stored energy taken out, 0..1
 * @param maxChargeWatts highest charging power at the bus, W, &gt; 0
 * @param maxDischargeWatts highest discharge power at the bus, W, &gt; 0
 */
public record BatterySpec(
    double capacityWh,
    double reserveFloorPercent,
    double chargeEfficiency,
    double dischargeEfficiency,
    double maxChargeWatts,
    double maxDischargeWatts) {

  public BatterySpec {
    Checks.positive("battery.capacity-wh", capacityWh);
    Checks.range("battery.reserve-floor-percent", reserveFloorPercent, 0.0, 100.0);
    Checks.positive("battery.charge-efficiency", chargeEfficiency);
    Checks.fraction("battery.charge-efficiency", chargeEfficiency);
    Checks.positive("battery.discharge-efficiency", dischargeEfficiency);
    Checks.fraction("battery.discharge-efficiency", dischargeEfficiency);
    Checks.positive("battery.max-charge-watts", maxChargeWatts);
    Checks.positive("battery.max-discharge-watts", maxDischargeWatts);
  }

  /** 200 Wh, 25% floor, 95%/95%, 200 W charge, 400 W discharge. */
  public static BatterySpec defaults() {
    return new BatterySpec(200.0, 25.0, 0.95, 0.95, 200.0, 400.0);
  }

  /** Reads a {@code battery} block (keys as in {@code soos.tile.battery} of reference.conf). */
  public static BatterySpec fromConfig(Config c) {
    return new BatterySpec(
        c.getDouble("capacity-wh"),
        c.getDouble("reserve-floor-percent"),
        c.getDouble("charge-efficiency"),
        c.getDouble("discharge-efficiency"),
        c.getDouble("max-charge-watts"),
        c.getDouble("max-discharge-watts"));
  }

  /** Stored energy at the reserve floor, Wh. */
  public double reserveWh() {
    return capacityWh * reserveFloorPercent / 100.0;
  }

  /** Stored energy between the floor and full, Wh. */
  public double usableWh() {
    return capacityWh - reserveWh();
  }

  /** State of charge of {@code energyWh}, % of capacity. */
  public double stateOfChargePercent(double energyWh) {
    return 100.0 * energyWh / capacityWh;
  }
}
