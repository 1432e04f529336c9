package org.soos.shared.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The one source of "now" for scheduling and physics. Actors read it; physics and policy never do
 * (they take time as a parameter).
 *
 * <p>Simulated time runs at {@code warpFactor} times wall time from an anchor: at wall instant
 * {@code wallAnchor} simulated time was {@code simAnchor}. Every JVM of a constellation given the
 * same anchors and factor agrees on simulated time (to the precision of host clock sync), which is
 * how one scheduler JVM and many tile-node JVMs share one orbit timeline.
 */
public final class SimClock {
  private final Instant simAnchor;
  private final Instant wallAnchor;
  private final double warpFactor;
  private final InstantSource wall;

  public SimClock(Instant simAnchor, Instant wallAnchor, double warpFactor, InstantSource wall) {
    if (!(warpFactor > 0) || Double.isInfinite(warpFactor)) {
      throw new IllegalArgumentException("warpFactor must be a finite number > 0, got " + warpFactor);
    }
    this.simAnchor = simAnchor;
    this.wallAnchor = wallAnchor;
    this.warpFactor = warpFactor;
    this.wall = wall;
  }

  /** Wall time: simulated time equals the system clock. What Jetson nodes run on. */
  public static SimClock wallClock() {
    Instant now = Instant.now();
    return new SimClock(now, now, 1.0, InstantSource.system());
  }

  /** Warped time starting now at {@code simStart}, running {@code warpFactor} times faster than the wall. */
  public static SimClock warped(Instant simStart, double warpFactor) {
    return new SimClock(simStart, Instant.now(), warpFactor, InstantSource.system());
  }

  /** Warped time from explicit anchors, so several JVMs can share one timeline. */
  public static SimClock warped(Instant simAnchor, Instant wallAnchor, double warpFactor) {
    return new SimClock(simAnchor, wallAnchor, warpFactor, InstantSource.system());
  }

  /** The current simulated instant. */
  public Instant now() {
    return toSim(wall.instant());
  }

  /** The simulated instant that corresponds to a wall instant. */
  public Instant toSim(Instant wallInstant) {
    long wallNanos = Duration.between(wallAnchor, wallInstant).toNanos();
    return simAnchor.plusNanos(Math.round(wallNanos * warpFactor));
  }

  /** The wall instant at which simulated time reaches {@code simInstant}. */
  public Instant toWall(Instant simInstant) {
    long simNanos = Duration.between(simAnchor, simInstant).toNanos();
    return wallAnchor.plusNanos(Math.round(simNanos / warpFactor));
  }

  /** How long a wall-clock timer must wait for {@code simDuration} of simulated time to pass. */
  public Duration wallDurationOf(Duration simDuration) {
    return Duration.ofNanos(Math.round(simDuration.toNanos() / warpFactor));
  }

  /** How much simulated time passes during {@code wallDuration}. */
  public Duration simDurationOf(Duration wallDuration) {
    return Duration.ofNanos(Math.round(wallDuration.toNanos() * warpFactor));
  }

  public double warpFactor() {
    return warpFactor;
  }

  public Instant simAnchor() {
    return simAnchor;
  }

  public Instant wallAnchor() {
    return wallAnchor;
  }

  @Override
  public String toString() {
    return "SimClock[sim " + simAnchor + " at wall " + wallAnchor + ", x" + warpFactor + "]";
  }
}
