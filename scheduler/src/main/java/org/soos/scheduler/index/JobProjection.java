package org.soos.scheduler.index;

import java.util.Optional;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

/**
 * Folds one job's tagged events into its {@link JobSummary} and names the change as a
 * {@link LifecycleEvent}. Pure: the same events give the same summaries on every scheduler node.
 *
 * <p>The state transitions mirror {@link JobEntity}'s event handler: submitted -> PENDING, placed ->
 * PLACED, started -> RUNNING, migration or release started -> CHECKPOINTING, source released ->
 * MIGRATING (or PENDING when no target was chosen), requeued -> PENDING, completed -> SUCCEEDED,
 * failed -> FAILED, cancelled -> CANCELLED; a committed checkpoint and a plane assignment (queued)
 * change no state. The plane of a job waiting in a plane's queue is that plane; of a placed job, the
 * plane of its TILE.
 */
public final class JobProjection {
  private JobProjection() {}

  /** The summary after an event, and the change as the event stream reports it. */
  public record Step(JobSummary summary, LifecycleEvent event) {}

  /**
   * Applies {@code event} of job {@code jobId}, read at journal ordering {@code offset}, to
   * {@code previous} (null when it is the first event seen of the job).
   *
   * @return the new summary and its lifecycle event; empty for an event type this read side does not
   *     know (a newer node's event: the summary is left as it was)
   */
  public static Optional<Step> apply(JobSummary previous, JobId jobId, JobEntity.Event event, long offset) {
    JobSummary s = previous != null ? previous : unseen(jobId, event);
    if (event instanceof JobEntity.JobSubmitted e) {
      JobSummary next = new JobSummary(jobId, e.spec().name(), e.spec().kind(), e.spec().priority(),
          e.spec().migratable(), JobStatus.PENDING, 0, null, null, null, -1, null, e.at(), e.at(), offset);
      return step(next, "submitted", null, null, null);
    }
    if (event instanceof JobEntity.PlaneAssigned e) {
      JobSummary queued = new JobSummary(s.id(), s.name(), s.kind(), s.priority(), s.migratable(), s.state(), s.epoch(),
          s.planeId(), e.planeId(), s.tileId(), s.slot(), s.migratingToTileId(), s.submittedAt(), s.updatedAt(), s.offset());
      JobSummary next = with(queued, s.state(), s.epoch(), s.planeId(), s.tileId(), s.slot(), s.migratingToTileId(),
          event, offset);
      return step(next, "queued", null, e.planeId(), e.reason());
    }
    if (event instanceof JobEntity.JobPlaced e) {
      JobSummary next = with(s, JobStatus.PLACED, e.epoch(), e.planeId(), e.tileId(), e.slot(), null, event, offset);
      return step(next, "placed", e.tileId(), e.planeId(), e.reason());
    }
    if (event instanceof JobEntity.JobStarted e) {
      JobSummary next = with(s, JobStatus.RUNNING, e.epoch(), s.planeId(), s.tileId(), s.slot(), null, event, offset);
      return step(next, "running", next.tileId(), next.planeId(), null);
    }
    if (event instanceof JobEntity.CheckpointCommitted e) {
      JobSummary next = with(s, s.state(), s.epoch(), s.planeId(), s.tileId(), s.slot(), s.migratingToTileId(), event,
          offset);
      return step(next, "checkpoint", next.tileId(), next.planeId(), null);
    }
    if (event instanceof JobEntity.MigrationStarted e) {
      JobSummary next = with(s, JobStatus.CHECKPOINTING, s.epoch(), s.planeId(), s.tileId(), s.slot(), e.toTile(),
          event, offset);
      return step(next, "migration-started", e.toTile(), e.toPlane(), e.reason());
    }
    if (event instanceof JobEntity.ReleaseStarted e) {
      JobSummary next = with(s, JobStatus.CHECKPOINTING, s.epoch(), s.planeId(), s.tileId(), s.slot(), null, event, offset);
      return step(next, "release-started", next.tileId(), next.planeId(), e.reason());
    }
    if (event instanceof JobEntity.SourceReleased e) {
      boolean moving = s.migratingToTileId() != null;
      JobSummary next = with(s, moving ? JobStatus.MIGRATING : JobStatus.PENDING, s.epoch(), null, null, -1,
          s.migratingToTileId(), event, offset);
      return step(next, "source-released", s.tileId(), s.planeId(), null);
    }
    if (event instanceof JobEntity.JobRequeued e) {
      JobSummary next = with(s, JobStatus.PENDING, s.epoch(), null, null, -1, null, event, offset);
      return step(next, "requeued", s.tileId(), s.planeId(), e.reason());
    }
    if (event instanceof JobEntity.JobCompleted e) {
      JobSummary next = with(s, JobStatus.SUCCEEDED, s.epoch(), s.planeId(), s.tileId(), s.slot(), null, event, offset);
      return step(next, "succeeded", next.tileId(), next.planeId(), null);
    }
    if (event instanceof JobEntity.JobFailed e) {
      JobSummary next = with(s, JobStatus.FAILED, s.epoch(), s.planeId(), s.tileId(), s.slot(), null, event, offset);
      return step(next, "failed", next.tileId(), next.planeId(), e.reason());
    }
    if (event instanceof JobEntity.JobCancelled e) {
      JobSummary next = with(s, JobStatus.CANCELLED, s.epoch(), s.planeId(), s.tileId(), s.slot(), null, event, offset);
      return step(next, "cancelled", next.tileId(), next.planeId(), e.reason());
    }
    return Optional.empty();
  }

  /** A job whose submission was not seen (never the case when reading the tag from the start). */
  private static JobSummary unseen(JobId jobId, JobEntity.Event event) {
    return new JobSummary(jobId, null, null, 0, false, JobStatus.PENDING, 0, null, null, null, -1, null, event.at(),
        event.at(), 0);
  }

  /** The summary after an event; a job not on a TILE is listed under the plane that queues it. */
  private static JobSummary with(JobSummary s, JobStatus state, long epoch, PlaneId plane, TileId tile, int slot,
      TileId migratingTo, JobEntity.Event event, long offset) {
    PlaneId listedPlane = tile == null ? s.queuePlaneId() : plane;
    return new JobSummary(s.id(), s.name(), s.kind(), s.priority(), s.migratable(), state, epoch, listedPlane,
        s.queuePlaneId(), tile, slot, migratingTo, s.submittedAt(), event.at(), offset);
  }

  private static Optional<Step> step(JobSummary next, String type, TileId tile, PlaneId plane, String reason) {
    LifecycleEvent change = new LifecycleEvent(type, next.id(), next.state(), next.epoch(), tile, plane,
        reason == null || reason.isEmpty() ? null : reason, next.updatedAt(), next.offset());
    return Optional.of(new Step(next, change));
  }
}
