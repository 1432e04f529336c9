package org.soos.tile.cluster;

import java.time.Duration;

/**
 * When a tile-node has been cut off from every scheduler for too long: it has seen at least one
 * scheduler member up and reachable in its cluster (so a node still joining, or started before the
 * schedulers, never counts as cut off), and then none for {@code limit} in a row. Such a node is in a
 * cluster that no longer has the schedulers (they downed each other and formed a new cluster, or a
 * flapping link left it as the last member of the old one): no coordinator will ever place work on it or
 * hear its reports, and Akka never merges two clusters, so it must leave and join again through its seeds.
 *
 * <p>Pure: the caller passes the time (monotonic milliseconds) and what it sees.
 */
public final class SchedulerAbsence {
  private final long limitMillis;
  private boolean seenOne;
  private long absentSinceMillis = -1;

  /** @param limit how long without a reachable scheduler counts as cut off; > 0 */
  public SchedulerAbsence(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("soos.tile-node.lost-schedulers-after must be > 0, got: " + limit);
    }
    this.limitMillis = limit.toMillis();
  }

  /**
   * Records one observation.
   *
   * @param schedulerReachable whether any member with role {@code scheduler} is up and reachable
   * @param nowMillis monotonic time of the observation
   * @return true when the node has been cut off from every scheduler for at least the limit
   */
  public boolean observe(boolean schedulerReachable, long nowMillis) {
    if (schedulerReachable) {
      seenOne = true;
      absentSinceMillis = -1;
      return false;
    }
    if (!seenOne) return false;
    if (absentSinceMillis < 0) absentSinceMillis = nowMillis;
    return nowMillis - absentSinceMillis >= limitMillis;
  }

  /** Milliseconds without a reachable scheduler so far (0 while one is reachable or none was ever seen). */
  public long absentMillis(long nowMillis) {
    return absentSinceMillis < 0 ? 0 : nowMillis - absentSinceMillis;
  }
}
