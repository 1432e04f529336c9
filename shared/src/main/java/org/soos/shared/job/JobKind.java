package org.soos.shared.job;

/** How a job's work is carried out on an Orin. */
public enum JobKind {
  /** Emulated work: progress accrues at the Orin power mode's speed; nothing runs. */
  SIMULATED,
  /** A real OS process (command, arguments, environment) run by the tile-node. */
  PROCESS
}
