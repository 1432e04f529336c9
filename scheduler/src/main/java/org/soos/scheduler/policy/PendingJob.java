package org.soos.scheduler.policy;

import java.time.Instant;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;

/**
 * A job waiting for an Orin.
 *
 * @param jobId the job
 * @param spec what it needs
 * @param committedGpuSeconds work already committed by its last checkpoint, GPU-seconds
 * @param submittedAt when it was accepted (simulated time)
 */
public record PendingJob(JobId jobId, JobSpec spec, double committedGpuSeconds, Instant submittedAt) {
  /** Work left, GPU-seconds at full speed. */
  public double remainingGpuSeconds() {
    return Math.max(0.0, spec.workGpuSeconds() - committedGpuSeconds);
  }
}
