package org.soos.scheduler.sim;

import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.power.BatterySpec;

/**
 * How a TILE sheds Orin load at its battery reserve floor, in the simulator: the rules of the tile-node's
 * {@code org.soos.tile.tile.LoadShedPlanner}, on the simulator's arrays (one job per Orin).
 *
 * <p>When: the battery would reach its reserve floor within the lead time at the present net drain (or is
 * at it). Until when: it is back {@code releasePercent} of capacity above the floor and not draining to it
 * within twice the lead time. What: bring the Orins' draw down to the array output left after
 * housekeeping: first lower the mode of the hungriest Orin running a job, one mode at a time, until none can
 * go lower; then checkpoint and suspend jobs, lowest priority first (highest power first among equals),
 * until the load fits or no job is left.
 */
final class ShedRules {
  private ShedRules() {}

  static boolean shouldShed(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      double leadSeconds) {
    double deficit = loadWatts - solarWatts;
    if (deficit <= 0.0) return false;
    double aboveFloorWh = energyWh - battery.reserveWh();
    if (aboveFloorWh <= 0.0) return true;
    return aboveFloorWh * battery.dischargeEfficiency() / deficit * 3600.0 <= leadSeconds;
  }

  static boolean mayRelease(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      double leadSeconds, double releasePercent) {
    return energyWh >= battery.reserveWh() + battery.capacityWh() * releasePercent / 100.0
        && !shouldShed(battery, energyWh, solarWatts, loadWatts, 2 * leadSeconds);
  }

  /**
   * Plans the shedding of one TILE.
   *
   * @param target payload draw to reach, W
   * @param modules module per slot
   * @param modes mode in force per slot (updated in place with the new ceilings)
   * @param on whether each Orin is powered (not shut down by its guard)
   * @param jobPower top-mode power of each slot's job, W, or -1 when the slot runs none
   * @param priority priority of each slot's job
   * @param capped out: true where a new mode ceiling was set
   * @param suspend out: true where the job is to be checkpointed and suspended
   */
  static void plan(double target, OrinModule[] modules, PowerMode[] modes, boolean[] on, double[] jobPower,
      int[] priority, boolean[] capped, boolean[] suspend) {
    int n = modules.length;
    double[] est = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      est[i] = estimate(modules[i], modes[i], on[i], jobPower[i] >= 0 && !suspend[i], jobPower[i]);
      total += est[i];
    }
    if (total <= target) return;
    while (total > target) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!on[i] || jobPower[i] < 0 || modules[i].nextLower(modes[i]).isEmpty()) continue;
        if (best < 0 || est[i] > est[best]) best = i;
      }
      if (best < 0) break;
      modes[best] = modules[best].nextLower(modes[best]).orElseThrow();
      capped[best] = true;
      double e = estimate(modules[best], modes[best], on[best], true, jobPower[best]);
      total += e - est[best];
      est[best] = e;
    }
    while (total > target) {
      int pick = -1;
      for (int i = 0; i < n; i++) {
        if (!on[i] || jobPower[i] < 0 || suspend[i]) continue;
        if (pick < 0 || priority[i] < priority[pick]
            || (priority[i] == priority[pick] && jobPower[i] > jobPower[pick])) {
          pick = i;
        }
      }
      if (pick < 0) break;
      suspend[pick] = true;
      double e = estimate(modules[pick], modes[pick], on[pick], false, 0);
      total += e - est[pick];
      est[pick] = e;
    }
  }

  private static double estimate(OrinModule m, PowerMode mode, boolean on, boolean running, double power) {
    if (!on) return 0.0;
    return running ? OrinPowerModel.drawWatts(m, mode, power, 1) : OrinPowerModel.drawWatts(m, mode, 0.0, 0);
  }
}
