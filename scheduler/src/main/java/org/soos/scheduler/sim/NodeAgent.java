package org.soos.scheduler.sim;

/**
 * What runs on each simulated TILE beside its Orins, and so how the TILE protects itself when a policy does
 * not. The Orins' own thermal throttling (a Jetson lowers its clocks when hot) and the power system's
 * payload-bus cut at the battery's reserve floor are hardware and act under every agent.
 */
public enum NodeAgent {
  /**
   * The SOOS tile-node: sheds load ahead of the reserve floor (lower modes, then checkpoint and suspend jobs,
   * lowest priority first) and checkpoints a job before its Orin's thermal shutdown, so work is lost only
   * when a job cannot checkpoint.
   */
  SOOS,
  /**
   * A power-unaware node agent, as a cluster scheduler's node agent (a kubelet) is today: jobs run until
   * the payload bus is cut at the reserve floor (a brownout) or their Orin reaches its shutdown temperature,
   * and are then killed, losing the work since their last checkpoint; after a brownout the bus stays off
   * (the TILE takes no work) until the battery is {@code shedReleasePercent} above the floor again.
   */
  PLAIN
}
