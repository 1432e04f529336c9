package org.soos.scheduler.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

/**
 * A change in a job's life as the read side saw it in the journal: the payload of one server-sent
 * event of {@code GET /v1/events}.
 *
 * @param type what happened: submitted, queued, placed, running, checkpoint, migration-started,
 *     release-started, source-released, requeued, succeeded, failed, cancelled (the names of a job's
 *     history)
 * @param jobId the job
 * @param state the job's state after the change
 * @param epoch the placement epoch the change belongs to
 * @param tileId TILE concerned (where it was placed, or the migration's target); null when none
 * @param planeId plane of that TILE; null when none
 * @param reason why (placement, migration and requeue reasons, failure or cancel reason); null when none
 * @param at when it happened (the scheduler's simulated time)
 * @param offset journal ordering of the event (increases along the stream)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleEvent(
    String type,
    JobId jobId,
    JobStatus state,
    long epoch,
    TileId tileId,
    PlaneId planeId,
    String reason,
    Instant at,
    long offset) {}
