package org.soos.scheduler.sim;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code workload} block of a scenario: either a generator (Poisson arrivals, lognormal sizes) or a
 * trace file of jobs. See {@link WorkloadGenerator} for how the numbers are drawn.
 *
 * @param oversubscription arrival rate as a multiple of what the constellation can harvest: the mean
 *     energy the arriving jobs need per hour (at their top power mode) over the TILEs' harvestable payload
 *     energy per hour; used when {@code arrivalsPerHour} is null
 * @param arrivalsPerHour fixed Poisson arrival rate, jobs per hour (null: derived from oversubscription)
 * @param medianGpuHours median job size, GPU-hours at full speed (lognormal)
 * @param sizeSigma standard deviation of the natural log of the size (lognormal shape)
 * @param maxGpuHours sizes above this are drawn again (truncated lognormal)
 * @param powerWatts job draw at full speed, W, uniform in [min, max]
 * @param memoryGb resident memory, GiB, uniform in [min, max]
 * @param checkpointGb checkpoint size, GB (10^9 bytes), log-uniform in [min, max]
 * @param checkpointIntervalMinutes simulated minutes between periodic checkpoints, uniform in [min, max]
 * @param checkpointableShare share of jobs that checkpoint (and may migrate), 0..1; the others cannot
 *     checkpoint and lose all their progress when stopped
 * @param deadlineShare share of jobs with a deadline, 0..1
 * @param deadlineSlack deadline = submission + slack x the job's run time at full speed, slack uniform in [min, max]
 * @param priorities priority levels (0..9) and their shares (normalised)
 * @param trace a JSON-lines trace of jobs to replay instead of generating (null: generate)
 */
public record WorkloadSpec(
    Double oversubscription,
    Double arrivalsPerHour,
    double medianGpuHours,
    double sizeSigma,
    double maxGpuHours,
    Range powerWatts,
    Range memoryGb,
    Range checkpointGb,
    Range checkpointIntervalMinutes,
    double checkpointableShare,
    double deadlineShare,
    Range deadlineSlack,
    List<PriorityShare> priorities,
    Path trace) {

  public WorkloadSpec {
    if (trace == null) {
      if (arrivalsPerHour == null && oversubscription == null) {
        throw new IllegalArgumentException("workload needs oversubscription, arrivalsPerHour or trace");
      }
      if (arrivalsPerHour != null && !(arrivalsPerHour > 0 && arrivalsPerHour < 1e9)) {
        throw new IllegalArgumentException("workload.arrivalsPerHour must be > 0, got: " + arrivalsPerHour);
      }
      if (oversubscription != null && !(oversubscription > 0 && oversubscription < 1e3)) {
        throw new IllegalArgumentException("workload.oversubscription must be > 0, got: " + oversubscription);
      }
      positive("workload.medianGpuHours", medianGpuHours);
      if (!(sizeSigma >= 0 && sizeSigma <= 5)) {
        throw new IllegalArgumentException("workload.sizeSigma must be in 0..5, got: " + sizeSigma);
      }
      if (!(maxGpuHours >= medianGpuHours)) {
        throw new IllegalArgumentException("workload.maxGpuHours must be >= workload.medianGpuHours, got: " + maxGpuHours);
      }
      require("workload.powerWatts", powerWatts, 0.0);
      require("workload.memoryGb", memoryGb, 0.0);
      require("workload.checkpointGb", checkpointGb, 1e-9);
      require("workload.checkpointIntervalMinutes", checkpointIntervalMinutes, 1e-9);
      require("workload.deadlineSlack", deadlineSlack, 1.0);
      fraction("workload.checkpointableShare", checkpointableShare);
      fraction("workload.deadlineShare", deadlineShare);
      if (priorities == null || priorities.isEmpty()) {
        throw new IllegalArgumentException("workload.priorities must list at least one priority");
      }
      double sum = 0;
      for (int i = 0; i < priorities.size(); i++) {
        PriorityShare p = priorities.get(i);
        if (p == null) throw new IllegalArgumentException("workload.priorities[" + i + "] is null");
        if (p.priority() < 0 || p.priority() > 9) {
          throw new IllegalArgumentException("workload.priorities[" + i + "].priority must be in 0..9, got: " + p.priority());
        }
        if (!(p.share() >= 0) || Double.isInfinite(p.share())) {
          throw new IllegalArgumentException("workload.priorities[" + i + "].share must be >= 0, got: " + p.share());
        }
        sum += p.share();
      }
      if (!(sum > 0)) throw new IllegalArgumentException("workload.priorities shares must add up to more than 0");
      priorities = List.copyOf(priorities);
    }
  }

  /** An interval [min, max]; min == max means a fixed value. */
  public record Range(double min, double max) {
    /** A value at {@code u} in [0, 1] of the interval. */
    public double at(double u) {
      return min + (max - min) * u;
    }

    /** Mean of the uniform distribution. */
    public double mean() {
      return 0.5 * (min + max);
    }
  }

  /** A priority level and the share of jobs that have it. */
  public record PriorityShare(int priority, double share) {}

  private static void positive(String field, double v) {
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(field + " must be > 0, got: " + v);
  }

  private static void fraction(String field, double v) {
    if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(field + " must be in 0..1, got: " + v);
  }

  private static void require(String field, Range r, double lowest) {
    if (r == null) throw new IllegalArgumentException(field + " is required ([min, max])");
    if (!(r.min() >= lowest) || Double.isInfinite(r.max()) || !(r.max() >= r.min())) {
      throw new IllegalArgumentException(field + " must be [min, max] with " + lowest + " <= min <= max, got: ["
          + r.min() + ", " + r.max() + "]");
    }
  }
}
