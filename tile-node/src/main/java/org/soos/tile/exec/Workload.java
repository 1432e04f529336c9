package org.soos.tile.exec;

import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;

/**
 * One job's work on one Orin, as its Orin server drives it. The Orin decides how fast the work runs
 * (its power mode's speed, shared between its jobs) and calls {@link #run} in pieces no longer than
 * {@link #secondsToNextEvent}, so a checkpoint or the completion falls exactly at the end of a piece.
 * Not thread-safe: owned by one Orin server actor.
 */
public interface Workload {

  /** What ended a piece of work. */
  enum Event {
    /** Nothing: the piece ended before the next checkpoint or the completion. */
    NONE,
    /** A periodic checkpoint was written at the end of the piece. */
    CHECKPOINTED,
    /** The work is done. */
    COMPLETED,
    /** The work failed (a process exited with an error, its checkpoint could not be had): see {@link #failureReason()}. */
    FAILED
  }

  JobId jobId();

  /** The placement epoch the Orin runs this job under. */
  long epoch();

  JobSpec spec();

  /** Work done, GPU-seconds at full speed. */
  double doneGpuSeconds();

  /** Work covered by the last checkpoint written on this Orin (or the resume point), GPU-seconds. */
  double checkpointedGpuSeconds();

  /** True once all the work is done. */
  boolean completed();

  /**
   * Simulated seconds of running at {@code rateGpuSecondsPerSecond} until the next periodic checkpoint
   * or the completion, whichever comes first; infinite when neither will come (rate 0 and no checkpoint).
   */
  double secondsToNextEvent(double rateGpuSecondsPerSecond);

  /**
   * Runs for {@code seconds} of simulated time at {@code rateGpuSecondsPerSecond}.
   *
   * @param seconds simulated seconds, &gt;= 0, at most {@link #secondsToNextEvent} for that rate
   * @return what happened at the end of the piece
   */
  Event run(double seconds, double rateGpuSecondsPerSecond);

  /** Writes a checkpoint of the work done so far, now; returns its size, bytes (0 when the job cannot checkpoint). */
  long checkpoint();

  /** True when the job writes checkpoints. */
  boolean checkpointable();

  /** Why the work failed, once it has ({@link Event#FAILED}, or a checkpoint that could not be written); else null. */
  default String failureReason() {
    return null;
  }

  /** Releases what the work holds (a process, files). The workload is not used afterwards. */
  void release();
}
