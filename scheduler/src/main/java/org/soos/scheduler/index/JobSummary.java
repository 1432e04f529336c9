package org.soos.scheduler.index;

import java.time.Instant;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;

/**
 * One job as the read side knows it: an entry of {@code GET /v1/jobs}. Built from the job's tagged
 * events only, so it trails the job entity by the read journal's refresh interval; the entity
 * ({@code GET /v1/jobs/{id}}) is the truth.
 *
 * @param id the job
 * @param name the spec's name
 * @param kind simulated or process
 * @param priority 0 (lowest) .. 9
 * @param migratable whether the job's checkpoints may resume on another Orin
 * @param state lifecycle state after the last event seen
 * @param epoch epoch of the current (or last) placement; 0 before the first
 * @param planeId plane of the current placement; while not placed, the plane whose coordinator
 *     queues the job (null until one is assigned)
 * @param queuePlaneId the plane whose coordinator queues the job; null until one is assigned
 * @param tileId TILE of the current placement; null while not placed
 * @param slot Orin slot of the current placement; -1 while not placed
 * @param migratingToTileId target TILE of a migration in progress; null otherwise
 * @param submittedAt when the job was accepted (the scheduler's simulated time)
 * @param updatedAt time of the last event seen (simulated)
 * @param offset journal ordering of the last event seen
 */
public record JobSummary(
    JobId id,
    String name,
    JobKind kind,
    int priority,
    boolean migratable,
    JobStatus state,
    long epoch,
    PlaneId planeId,
    PlaneId queuePlaneId,
    TileId tileId,
    int slot,
    TileId migratingToTileId,
    Instant submittedAt,
    Instant updatedAt,
    long offset) {}
