package org.soos.shared.orin;

/**
 * Electrical draw and job speed of an Orin module in a power mode.
 *
 * <p>Model (first order, from the nvpmodel tables: a mode caps the module's power budget and sets GPU
 * and CPU clocks; dynamic power scales roughly with clock at the fixed voltage floor of the lower
 * modes):
 * <ul>
 *   <li>draw = idle + dynamic, capped at the mode's budget; zero when the module is powered off;
 *   <li>dynamic = the running jobs' mean {@code JobSpec.powerWatts} (their draw at the module's top mode)
 *       x (mode speed factor / top-mode speed factor). Jobs on one Orin time-share its GPU, so the
 *       dynamic power is the mean, not the sum, of their powers;
 *   <li>progress: the mode's speed factor in GPU-seconds per second for the whole module, shared
 *       equally by the running jobs (each gets speedFactor / n).
 * </ul>
 * Valid for the modes of {@link OrinModule}; units W and GPU-s/s.
 */
public final class OrinPowerModel {
  private OrinPowerModel() {}

  /** Dynamic-power scale of {@code mode} relative to the module's top mode, 0..1. */
  public static double modeScale(OrinModule module, PowerMode mode) {
    return mode.speedFactor() / module.maxMode().speedFactor();
  }

  /**
   * Module draw, W.
   *
   * @param module the module
   * @param mode its current power mode
   * @param meanJobPowerWatts mean top-mode dynamic power of the running jobs, W (0 when none run)
   * @param runningJobs number of running jobs (0: the module idles)
   */
  public static double drawWatts(OrinModule module, PowerMode mode, double meanJobPowerWatts, int runningJobs) {
    if (runningJobs < 0) throw new IllegalArgumentException("runningJobs must be >= 0, got: " + runningJobs);
    if (!(meanJobPowerWatts >= 0.0)) {
      throw new IllegalArgumentException("meanJobPowerWatts must be >= 0, got: " + meanJobPowerWatts);
    }
    double dynamic = runningJobs == 0 ? 0.0 : meanJobPowerWatts * modeScale(module, mode);
    return Math.min(mode.budgetWatts(), module.idleWatts() + dynamic);
  }

  /** Draw with one job of top-mode dynamic power {@code jobPowerWatts} running, W. */
  public static double drawWatts(OrinModule module, PowerMode mode, double jobPowerWatts) {
    return drawWatts(module, mode, jobPowerWatts, 1);
  }

  /** Highest draw of the module in its top mode, W (its top mode's budget). */
  public static double maxDrawWatts(OrinModule module) {
    return module.modes().stream().mapToDouble(PowerMode::budgetWatts).max().orElse(0.0);
  }

  /**
   * Progress of each running job, GPU-seconds of full-speed work per second:
   * mode speed factor / number of running jobs.
   */
  public static double jobProgressRate(PowerMode mode, int runningJobs) {
    if (runningJobs <= 0) return 0.0;
    return mode.speedFactor() / runningJobs;
  }
}
