package org.soos.tile.exec;

import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;

/**
 * Emulated work: nothing runs; progress accrues at the rate the Orin gives it, and a checkpoint is
 * written every {@code checkpoint.intervalSeconds} of simulated running time (the checkpoint is the
 * progress number; its size is the spec's {@code checkpoint.sizeBytes}).
 */
public final class SimulatedWorkload implements Workload {
  private final JobId jobId;
  private final long epoch;
  private final JobSpec spec;
  private double doneGpuSeconds;
  private double checkpointedGpuSeconds;
  private double runSinceCheckpointSeconds;

  /**
   * @param resumeFromGpuSeconds work already committed by a checkpoint, GPU-s, 0..workGpuSeconds
   */
  public SimulatedWorkload(JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds) {
    if (spec == null) throw new IllegalArgumentException("spec is required");
    if (!(spec.workGpuSeconds() > 0.0) || Double.isInfinite(spec.workGpuSeconds())) {
      throw new IllegalArgumentException("spec.workGpuSeconds must be a finite number > 0, got: " + spec.workGpuSeconds());
    }
    if (!(resumeFromGpuSeconds >= 0.0)) {
      throw new IllegalArgumentException("resumeFromGpuSeconds must be >= 0, got: " + resumeFromGpuSeconds);
    }
    if (spec.checkpoint() != null && !(spec.checkpoint().intervalSeconds() > 0.0)) {
      throw new IllegalArgumentException(
          "spec.checkpoint.intervalSeconds must be > 0, got: " + spec.checkpoint().intervalSeconds());
    }
    this.jobId = jobId;
    this.epoch = epoch;
    this.spec = spec;
    this.doneGpuSeconds = Math.min(resumeFromGpuSeconds, spec.workGpuSeconds());
    this.checkpointedGpuSeconds = this.doneGpuSeconds;
  }

  @Override
  public JobId jobId() {
    return jobId;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public JobSpec spec() {
    return spec;
  }

  @Override
  public double doneGpuSeconds() {
    return doneGpuSeconds;
  }

  @Override
  public double checkpointedGpuSeconds() {
    return checkpointedGpuSeconds;
  }

  @Override
  public boolean completed() {
    return doneGpuSeconds >= spec.workGpuSeconds();
  }

  @Override
  public boolean checkpointable() {
    return spec.checkpoint() != null;
  }

  @Override
  public double secondsToNextEvent(double rate) {
    double toCheckpoint = checkpointable()
        ? Math.max(0.0, spec.checkpoint().intervalSeconds() - runSinceCheckpointSeconds)
        : Double.POSITIVE_INFINITY;
    double toCompletion = rate > 0.0 ? (spec.workGpuSeconds() - doneGpuSeconds) / rate : Double.POSITIVE_INFINITY;
    return Math.min(toCheckpoint, toCompletion);
  }

  @Override
  public Event run(double seconds, double rate) {
    if (!(seconds >= 0.0)) throw new IllegalArgumentException("seconds must be >= 0, got: " + seconds);
    if (completed()) return Event.COMPLETED;
    double toCompletion = rate > 0.0 ? (spec.workGpuSeconds() - doneGpuSeconds) / rate : Double.POSITIVE_INFINITY;
    if (seconds >= toCompletion - 1e-9) {
      doneGpuSeconds = spec.workGpuSeconds();
      runSinceCheckpointSeconds += seconds;
      return Event.COMPLETED;
    }
    doneGpuSeconds += rate * seconds;
    runSinceCheckpointSeconds += seconds;
    if (checkpointable() && runSinceCheckpointSeconds >= spec.checkpoint().intervalSeconds() - 1e-9) {
      checkpoint();
      return Event.CHECKPOINTED;
    }
    return Event.NONE;
  }

  @Override
  public long checkpoint() {
    if (!checkpointable()) return 0L;
    checkpointedGpuSeconds = doneGpuSeconds;
    runSinceCheckpointSeconds = 0.0;
    return spec.checkpoint().sizeBytes();
  }

  @Override
  public void release() {
    // Nothing is held.
  }
}
