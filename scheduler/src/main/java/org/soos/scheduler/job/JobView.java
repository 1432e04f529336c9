package org.soos.scheduler.job;

import java.time.Instant;
import java.util.List;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;

/** A job as the API shows it; built only from the job entity's state. */
public record JobView(
    JobId id, JobStatus state, JobSpec spec, long epoch, JobEntity.Placement placement, JobEntity.Target migratingTo,
    double committedGpuSeconds, double progressGpuSeconds, double progressFraction, double lostGpuSeconds,
    int migrations, Instant submittedAt, Instant updatedAt, List<JobEntity.HistoryEntry> history)
    implements CborSerializable {

  static JobView of(JobEntity.State s) {
    double work = s.spec().workGpuSeconds();
    double progress = Math.max(s.committedGpuSeconds(), s.reportedGpuSeconds());
    return new JobView(s.jobId(), s.status(), s.spec(), s.epoch(), s.placement(), s.target(), s.committedGpuSeconds(),
        progress, work <= 0 ? 1.0 : Math.min(1.0, progress / work), s.lostGpuSeconds(), s.migrations(),
        s.submittedAt(), s.updatedAt(), s.history());
  }
}
