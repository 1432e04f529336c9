package org.soos.shared.telemetry;

import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;

/**
 * A job as its Orin sees it.
 *
 * @param jobId the job
 * @param epoch the placement epoch the Orin runs it under (fencing token)
 * @param state what the Orin is doing with it
 * @param doneGpuSeconds work done so far, GPU-seconds at full speed
 * @param workGpuSeconds total work of the job, GPU-seconds at full speed
 * @param checkpointedGpuSeconds work covered by the last checkpoint written on this Orin
 */
public record JobProgress(
    JobId jobId, long epoch, JobRunState state, double doneGpuSeconds, double workGpuSeconds,
    double checkpointedGpuSeconds)
    implements CborSerializable {

  /** Lifecycle of a job on one Orin. */
  public enum JobRunState {
    RUNNING,
    CHECKPOINTING,
    /** Stopped by the Orin or the TILE to protect itself (thermal or battery); resumable from its checkpoint. */
    SUSPENDED,
    COMPLETED,
    STOPPED
  }

  /** Fraction complete, 0..1. */
  public double fractionDone() {
    return workGpuSeconds <= 0 ? 1.0 : Math.min(1.0, doneGpuSeconds / workGpuSeconds);
  }
}
