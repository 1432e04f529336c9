package org.soos.scheduler.job;

/** Lifecycle of a job as its entity records it. */
public enum JobStatus {
  /** Accepted, waiting for an Orin. */
  PENDING,
  /** Assigned to an Orin under a new epoch; the start command is on its way. */
  PLACED,
  /** The Orin confirmed it runs the job under the current epoch. */
  RUNNING,
  /** A checkpoint on the source was requested as the first step of a migration or preemption. */
  CHECKPOINTING,
  /** The checkpoint is committed and travelling to the target Orin. */
  MIGRATING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** States in which some Orin may be executing the job under the current epoch. */
  public boolean onAnOrin() {
    return this == PLACED || this == RUNNING || this == CHECKPOINTING;
  }
}
