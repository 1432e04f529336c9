package org.soos.tile.exec;

import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

/** Starts workloads for an Orin server. Implementations are thread-safe and stateless per job. */
public interface WorkloadExecutor {

  /** True when this executor can run jobs of {@code kind}. */
  boolean supports(JobKind kind);

  /**
   * Starts (or resumes from {@code resumeFromGpuSeconds}) the work of a job.
   *
   * @throws IllegalArgumentException when the spec cannot run here (the message says why)
   */
  Workload start(JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds);
}
