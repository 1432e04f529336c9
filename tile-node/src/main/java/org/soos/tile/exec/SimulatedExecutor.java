package org.soos.tile.exec;

import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

/** Runs {@link JobKind#SIMULATED} jobs as {@link SimulatedWorkload}s: what an emulated TILE runs. */
public final class SimulatedExecutor implements WorkloadExecutor {
  @Override
  public boolean supports(JobKind kind) {
    return kind == JobKind.SIMULATED;
  }

  @Override
  public Workload start(JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds) {
    if (spec == null) throw new IllegalArgumentException("spec is required");
    if (!supports(spec.kind())) {
      throw new IllegalArgumentException("spec.kind " + spec.kind() + " is not run by the simulated executor");
    }
    return new SimulatedWorkload(jobId, epoch, spec, resumeFromGpuSeconds);
  }
}
