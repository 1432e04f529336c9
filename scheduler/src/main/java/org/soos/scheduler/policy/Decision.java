package org.soos.scheduler.policy;

import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

/** What a policy asks the coordinator (or the simulator) to do. */
public sealed interface Decision {

  JobId jobId();

  /** Start a pending job on an Orin. */
  record Place(JobId jobId, TileId tileId, PlaneId planeId, int slot, String reason) implements Decision {}

  /**
   * Move a running job: checkpoint on the source, new epoch, transfer, start on the target.
   *
   * @param transferSeconds checkpoint size / link bandwidth for this hop, simulated seconds
   */
  record Migrate(
      JobId jobId, TileId fromTile, int fromSlot, TileId toTile, PlaneId toPlane, int toSlot,
      String reason, double transferSeconds)
      implements Decision {}

  /** Checkpoint and stop a lower-priority job so that {@code forJob} can have its Orin; the victim goes back to pending. */
  record Preempt(JobId jobId, TileId tileId, int slot, JobId forJob, String reason) implements Decision {}

  /** Checkpoint (when it can) and stop a job, returning it to pending, because its TILE cannot carry it. */
  record Suspend(JobId jobId, TileId tileId, int slot, String reason) implements Decision {}

  /** Change an Orin's power mode (throttle a job rather than lose it). */
  record SetPowerMode(JobId jobId, TileId tileId, int slot, int modeId, String reason) implements Decision {}
}
