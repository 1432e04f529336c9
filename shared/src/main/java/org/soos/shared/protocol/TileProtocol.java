package org.soos.shared.protocol;

import akka.actor.typed.ActorRef;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;

/**
 * Commands a coordinator sends to a TILE (tile-node role). The TILE forwards job commands to the
 * Orin server in {@code slot}.
 */
public final class TileProtocol {
  private TileProtocol() {}

  /** Everything a TILE actor accepts from outside its JVM. */
  public interface Command extends CborSerializable {}

  /**
   * Start (or resume) a job on an Orin. The Orin accepts it only if {@code epoch} is newer than any
   * epoch it has seen for that job (epoch fencing).
   *
   * @param slot Orin slot
   * @param jobId the job
   * @param epoch placement epoch issued by the job entity
   * @param spec what to run
   * @param resumeFromGpuSeconds work already committed by the last checkpoint, GPU-seconds (0: fresh start)
   * @param replyTo gets a {@link JobAck}
   */
  public record StartJob(int slot, JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds,
      ActorRef<JobAck> replyTo) implements Command {}

  /**
   * Write a checkpoint of a job now; with {@code stopAfter}, stop it once the checkpoint is written
   * (the first step of a migration).
   */
  public record CheckpointJob(int slot, JobId jobId, long epoch, boolean stopAfter, ActorRef<JobAck> replyTo)
      implements Command {}

  /** Stop a job without checkpointing (cancellation, or a stale epoch found after a partition). */
  public record StopJob(int slot, JobId jobId, long epoch, String reason) implements Command {}

  /** Set an Orin's nvpmodel power mode by id. */
  public record SetPowerMode(int slot, int modeId, ActorRef<JobAck> replyTo) implements Command {}

  /**
   * Reply to job and mode commands.
   *
   * @param jobId the job (null for power-mode commands)
   * @param epoch the epoch the command carried
   * @param accepted whether the Orin took the command
   * @param reason why not, when rejected (e.g. {@code stale-epoch}, {@code no-memory}, {@code thermal-shutdown})
   */
  public record JobAck(JobId jobId, long epoch, boolean accepted, String reason) implements CborSerializable {}
}
