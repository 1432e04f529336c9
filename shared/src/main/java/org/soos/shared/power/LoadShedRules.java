package org.soos.shared.power;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.soos.shared.id.JobId;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.orin.PowerMode;

/**
 * How a TILE sheds Orin load at its battery reserve floor (pure; no actor, no clock): one set of rules
 * for the tile-node's {@code TileActor} and the scheduler's simulator.
 *
 * <p>When: the battery would reach its reserve floor within the lead time at the present net drain
 * (or is at it), unless the shadow pass ends first. Until when: the battery is back {@code releasePercent} of capacity above the floor and
 * no longer draining towards it within twice the lead time.
 *
 * <p>What: bring the Orins' estimated draw ({@link OrinPowerModel}) down to the target (the array
 * output left after housekeeping, so the payload takes nothing from the battery): first lower the power
 * mode of the hungriest Orins running jobs, one mode at a time, while that suffices; otherwise also
 * checkpoint and suspend jobs, lowest priority first (then highest power first), until the load fits or
 * no job is left. Idle Orins cannot be shed further; at the floor the payload bus cuts them.
 */
public final class LoadShedRules {
  private LoadShedRules() {}

  /** A running job's load. */
  public record JobLoad(JobId jobId, int priority, double powerWatts) {}

  /**
   * One Orin's load.
   *
   * @param slot the slot
   * @param module module type
   * @param mode mode in force
   * @param poweredOn false when its thermal guard has shut it down (it draws nothing)
   * @param jobs running jobs
   */
  public record OrinLoad(int slot, OrinModule module, PowerMode mode, boolean poweredOn, List<JobLoad> jobs) {}

  /** Checkpoint and suspend {@code jobId} on {@code slot}. */
  public record Suspension(int slot, JobId jobId) {}

  /**
   * @param modeCaps new power-mode ceilings by slot
   * @param suspensions jobs to checkpoint and suspend
   * @param estimatedPayloadWatts Orin draw once the plan is carried out, W
   */
  public record Plan(Map<Integer, PowerMode> modeCaps, List<Suspension> suspensions, double estimatedPayloadWatts) {
    /** True when nothing needs doing. */
    public boolean isEmpty() {
      return modeCaps.isEmpty() && suspensions.isEmpty();
    }
  }

  /**
   * True when the battery reaches its reserve floor within {@code leadSeconds} at the present drain, or is
   * at or below it while draining; with no knowledge of when the sun returns.
   *
   * @param energyWh stored energy, Wh
   * @param solarWatts array output now, W
   * @param loadWatts load now (housekeeping plus Orins), W
   * @param leadSeconds the lead time, s
   */
  public static boolean shouldShed(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      double leadSeconds) {
    return shouldShed(battery, energyWh, solarWatts, loadWatts, leadSeconds, Double.POSITIVE_INFINITY);
  }

  /**
   * True when the battery would reach its reserve floor at the present drain within {@code leadSeconds} and
   * before the sun returns, or is at or below it while draining. A TILE whose shadow pass ends before its
   * battery reaches the floor keeps its load: its orbit says the drain stops first (the policy plans the
   * same way, to the reserve plus a margin), and shedding there would only stop work that the battery
   * carries.
   *
   * @param energyWh stored energy, Wh
   * @param solarWatts array output now, W
   * @param loadWatts load now (housekeeping plus Orins), W
   * @param leadSeconds the lead time, s
   * @param secondsToSun time until the array carries the load again (the end of the present shadow pass), s;
   *     {@code +infinity} when not known, or when the sunlit array would not carry the load
   */
  public static boolean shouldShed(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      double leadSeconds, double secondsToSun) {
    double deficit = loadWatts - solarWatts;
    if (deficit <= 0.0) return false;
    double aboveFloorWh = energyWh - battery.reserveWh();
    if (aboveFloorWh <= 0.0) return true;
    double secondsToFloor = aboveFloorWh * battery.dischargeEfficiency() / deficit * 3600.0;
    return secondsToFloor <= leadSeconds && !(secondsToSun < secondsToFloor);
  }

  /**
   * The {@code secondsToSun} of {@link #shouldShed(BatterySpec, double, double, double, double, double)}: the time
   * to the end of the present shadow pass when the sunlit array would carry the load, else +infinity.
   *
   * @param sunlitArrayWatts the array's output in full sun at the present cell temperature, W
   * @param loadWatts load now, W
   * @param secondsToPassEnd time to the end of the present shadow pass, s (0 in sunlight; +infinity if unknown)
   */
  public static double secondsToSun(double sunlitArrayWatts, double loadWatts, double secondsToPassEnd) {
    return sunlitArrayWatts > loadWatts ? secondsToPassEnd : Double.POSITIVE_INFINITY;
  }

  /** {@link #shouldShed(BatterySpec, double, double, double, double)} with the lead time as a duration. */
  public static boolean shouldShed(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      Duration leadTime) {
    return shouldShed(battery, energyWh, solarWatts, loadWatts, seconds(leadTime));
  }

  /**
   * True when shedding may stop: {@code releasePercent} of capacity above the floor and not draining to
   * it within twice the lead time ({@code leadSeconds}, s).
   */
  public static boolean mayRelease(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      double leadSeconds, double releasePercent) {
    return mayRelease(battery, energyWh, solarWatts, loadWatts, leadSeconds, releasePercent,
        Double.POSITIVE_INFINITY);
  }

  /**
   * As {@link #mayRelease(BatterySpec, double, double, double, double, double)}, the drain judged as in
   * {@link #shouldShed(BatterySpec, double, double, double, double, double)} with {@code secondsToSun}.
   */
  public static boolean mayRelease(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      double leadSeconds, double releasePercent, double secondsToSun) {
    return energyWh >= battery.reserveWh() + battery.capacityWh() * releasePercent / 100.0
        && !shouldShed(battery, energyWh, solarWatts, loadWatts, 2 * leadSeconds, secondsToSun);
  }

  /** {@link #mayRelease(BatterySpec, double, double, double, double, double)} with the lead time as a duration. */
  public static boolean mayRelease(BatterySpec battery, double energyWh, double solarWatts, double loadWatts,
      Duration leadTime, double releasePercent) {
    return mayRelease(battery, energyWh, solarWatts, loadWatts, seconds(leadTime), releasePercent);
  }

  /** A duration in seconds, to the nanosecond (doubling the result is exact, so twice the lead time is too). */
  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  /** The actions that bring the Orins' estimated draw to {@code targetPayloadWatts} or as close as possible. */
  public static Plan plan(double targetPayloadWatts, List<OrinLoad> orins) {
    int n = orins.size();
    PowerMode[] modes = new PowerMode[n];
    List<List<JobLoad>> jobs = new ArrayList<>(n);
    double[] est = new double[n];
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      OrinLoad o = orins.get(i);
      modes[i] = o.mode();
      jobs.add(new ArrayList<>(o.jobs()));
      est[i] = estimate(o, modes[i], jobs.get(i));
      total += est[i];
    }
    Map<Integer, PowerMode> caps = new LinkedHashMap<>();
    List<Suspension> suspensions = new ArrayList<>();
    if (total <= targetPayloadWatts) return new Plan(Map.of(), List.of(), total);

    // 1. Lower power modes, hungriest Orin with jobs first, one mode at a time.
    while (total > targetPayloadWatts) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        OrinLoad o = orins.get(i);
        if (!o.poweredOn() || jobs.get(i).isEmpty() || o.module().nextLower(modes[i]).isEmpty()) continue;
        if (best < 0 || est[i] > est[best]) best = i;
      }
      if (best < 0) break;
      OrinLoad o = orins.get(best);
      modes[best] = o.module().nextLower(modes[best]).orElseThrow();
      caps.put(o.slot(), modes[best]);
      double e = estimate(o, modes[best], jobs.get(best));
      total += e - est[best];
      est[best] = e;
    }

    // 2. Suspend jobs, lowest priority first, highest power first among equals.
    if (total > targetPayloadWatts) {
      List<int[]> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < jobs.get(i).size(); j++) order.add(new int[] {i, j});
      }
      List<JobLoad> all = new ArrayList<>();
      for (int[] ij : order) all.add(jobs.get(ij[0]).get(ij[1]));
      List<Integer> idx = new ArrayList<>();
      for (int k = 0; k < order.size(); k++) idx.add(k);
      idx.sort(Comparator.<Integer>comparingInt(k -> all.get(k).priority())
          .thenComparing(k -> -all.get(k).powerWatts()));
      for (int k : idx) {
        if (total <= targetPayloadWatts) break;
        int i = order.get(k)[0];
        JobLoad job = all.get(k);
        OrinLoad o = orins.get(i);
        if (!o.poweredOn()) continue;
        jobs.get(i).remove(job);
        suspensions.add(new Suspension(o.slot(), job.jobId()));
        double e = estimate(o, modes[i], jobs.get(i));
        total += e - est[i];
        est[i] = e;
      }
    }
    return new Plan(caps, suspensions, total);
  }

  private static double estimate(OrinLoad o, PowerMode mode, List<JobLoad> jobs) {
    if (!o.poweredOn()) return 0.0;
    double sum = 0.0;
    for (JobLoad j : jobs) sum += j.powerWatts();
    int k = jobs.size();
    return OrinPowerModel.drawWatts(o.module(), mode, k == 0 ? 0.0 : Math.max(0.0, sum / k), k);
  }
}
