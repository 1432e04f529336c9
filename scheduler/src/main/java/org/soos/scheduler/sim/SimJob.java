package org.soos.scheduler.sim;

import java.time.Instant;
import org.soos.scheduler.policy.PendingJob;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;

/**
 * One job's state in one simulated run: the durable part the job entity would keep (committed progress,
 * placement, epoch) and the running instance's part an Orin would keep (progress since the last checkpoint).
 * Mutable; owned by one {@link Simulation}.
 */
final class SimJob {
  enum State { PENDING, RUNNING, MIGRATING, COMPLETED }

  final JobId id;
  final JobSpec spec;
  final double submitSeconds;
  final Instant submittedAt;
  final boolean checkpointable;
  final boolean migratable;
  final double checkpointIntervalSeconds;
  final long checkpointBytes;

  State state = State.PENDING;
  /** Work covered by the last checkpoint (where a restart resumes), GPU-s. */
  double committedGpuSeconds;
  /** Work done by the current instance, GPU-s (equals committed while not running). */
  double doneGpuSeconds;
  /** Running time since the last checkpoint, s. */
  double runSinceCheckpointSeconds;
  /** Orin energy spent on the current instance since its last checkpoint, Wh. */
  double energySinceCheckpointWh;
  long epoch;
  int tile = -1;
  int slot = -1;
  double placedAtSeconds;
  /** When the instance starts running on its Orin (after a checkpoint transfer), s from the start. */
  double runFromSeconds;

  double usefulEnergyWh;
  double wastedEnergyWh;
  double lostGpuSeconds;
  double executedGpuSeconds;
  int migrations;
  boolean lost;
  double completedSeconds = Double.NaN;

  private PendingJob pendingView;

  SimJob(JobId id, JobSpec spec, double submitSeconds, Instant submittedAt) {
    this.id = id;
    this.spec = spec;
    this.submitSeconds = submitSeconds;
    this.submittedAt = submittedAt;
    this.checkpointable = spec.checkpoint() != null;
    this.migratable = spec.migratable();
    this.checkpointIntervalSeconds = checkpointable ? spec.checkpoint().intervalSeconds() : Double.POSITIVE_INFINITY;
    this.checkpointBytes = checkpointable ? spec.checkpoint().sizeBytes() : 0L;
  }

  /** The policy's view of this job while it waits. */
  PendingJob pendingView() {
    if (pendingView == null || pendingView.committedGpuSeconds() != committedGpuSeconds) {
      pendingView = new PendingJob(id, spec, committedGpuSeconds, submittedAt);
    }
    return pendingView;
  }

  /** Writes a checkpoint now: the work done so far becomes the resume point. No-op for a job that cannot checkpoint. */
  void checkpoint() {
    if (!checkpointable) return;
    committedGpuSeconds = doneGpuSeconds;
    runSinceCheckpointSeconds = 0;
    usefulEnergyWh += energySinceCheckpointWh;
    energySinceCheckpointWh = 0;
  }

  /** The instance stops; work since the last checkpoint is lost. Returns the GPU-s lost. */
  double dropInstance() {
    double lostNow = Math.max(0.0, doneGpuSeconds - committedGpuSeconds);
    if (lostNow > 0) {
      lostGpuSeconds += lostNow;
      lost = true;
    }
    wastedEnergyWh += energySinceCheckpointWh;
    energySinceCheckpointWh = 0;
    doneGpuSeconds = committedGpuSeconds;
    runSinceCheckpointSeconds = 0;
    return lostNow;
  }

  double remainingGpuSeconds() {
    return Math.max(0.0, spec.workGpuSeconds() - doneGpuSeconds);
  }
}
