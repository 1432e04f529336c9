package org.soos.shared.protocol;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.id.TileId;
import org.soos.shared.telemetry.TileReport;

/**
 * What tile-nodes send to a plane's SOOS coordinator (scheduler role, cluster-sharded by plane id).
 *
 * <p>The entity key lives here so that tile-node JVMs can start a sharding proxy for it without
 * depending on the scheduler module.
 */
public final class CoordinatorProtocol {
  /** Sharded entity type of the per-plane coordinator; the entity id is the plane id. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "SoosCoordinator");

  private CoordinatorProtocol() {}

  /** Everything a coordinator handles. */
  public interface Command extends CborSerializable {}

  /**
   * A TILE's telemetry, sent every report interval and at every shadow transition.
   *
   * @param report the telemetry
   * @param tile where commands for that TILE go
   */
  public record ReportTile(TileReport report, ActorRef<TileProtocol.Command> tile) implements Command {}

  /**
   * An Orin's account of what happened to a job, under the epoch it runs it with.
   *
   * @param tileId TILE of the Orin
   * @param slot Orin slot
   * @param jobId the job
   * @param epoch placement epoch the Orin ran it under
   * @param kind what happened
   * @param doneGpuSeconds work done, GPU-seconds (for CHECKPOINTED: covered by the checkpoint)
   * @param checkpointBytes size of the checkpoint written, bytes (0 when none)
   * @param reason why, for stops and suspensions (e.g. {@code thermal-shutdown}, {@code battery-floor})
   */
  public record JobUpdate(
      TileId tileId, int slot, JobId jobId, long epoch, JobUpdateKind kind, double doneGpuSeconds,
      long checkpointBytes, String reason)
      implements Command {}

  /** Kinds of {@link JobUpdate}. */
  public enum JobUpdateKind {
    STARTED,
    CHECKPOINTED,
    /** Stopped by the node to protect itself, after checkpointing; may be resumed from the checkpoint. */
    SUSPENDED,
    COMPLETED,
    STOPPED,
    FAILED
  }
}
