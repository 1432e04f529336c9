package org.soos.tile.exec;

import java.util.List;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

/** Runs each job with the first of its executors that supports the job's kind (a board: simulated and process). */
public final class CompositeExecutor implements WorkloadExecutor {
  private final List<WorkloadExecutor> executors;

  public CompositeExecutor(List<WorkloadExecutor> executors) {
    this.executors = List.copyOf(executors);
  }

  @Override
  public boolean supports(JobKind kind) {
    return executors.stream().anyMatch(e -> e.supports(kind));
  }

  @Override
  public Workload start(JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds) {
    if (spec == null) throw new IllegalArgumentException("spec is required");
    for (WorkloadExecutor e : executors) {
      if (e.supports(spec.kind())) return e.start(jobId, epoch, spec, resumeFromGpuSeconds);
    }
    throw new IllegalArgumentException("spec.kind " + spec.kind() + " is not run on this node");
  }
}
