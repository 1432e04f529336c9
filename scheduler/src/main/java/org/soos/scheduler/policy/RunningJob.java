package org.soos.scheduler.policy;

import java.time.Instant;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;

/**
 * A job the scheduler has placed on an Orin (starting, running or checkpointing there).
 *
 * @param jobId the job
 * @param spec what it needs
 * @param tileId the TILE it runs on
 * @param planeId that TILE's plane
 * @param slot the Orin slot
 * @param epoch the placement epoch
 * @param doneGpuSeconds work done as last reported, GPU-seconds
 * @param placedAt when this placement was made (simulated time), for hysteresis
 * @param moving true while a migration or preemption of it is already under way
 */
public record RunningJob(
    JobId jobId, JobSpec spec, TileId tileId, PlaneId planeId, int slot, long epoch,
    double doneGpuSeconds, Instant placedAt, boolean moving) {
  /** Work left, GPU-seconds at full speed. */
  public double remainingGpuSeconds() {
    return Math.max(0.0, spec.workGpuSeconds() - doneGpuSeconds);
  }
}
