package org.soos.tile.tile;

import java.time.Duration;
import java.time.Instant;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.OrbitSpec;

/**
 * Predicts a TILE's shadow passes and beta angle over a span. Called off the actor, on the prediction
 * dispatcher: implementations must be thread-safe. The default is Orekit ({@link #orekit()}).
 */
@FunctionalInterface
public interface EclipseSource {

  /**
   * @param timeline shadow passes over the span
   * @param betaAngleDegAtFrom beta angle at the span's start, degrees
   * @param betaAngleDegAtUntil beta angle at the span's end, degrees
   */
  record Prediction(EclipseTimeline timeline, double betaAngleDegAtFrom, double betaAngleDegAtUntil) {

    /** Beta angle at {@code t}, degrees, interpolated linearly over the span (it drifts ~1 deg a day). */
    public double betaAngleDegAt(Instant t) {
      double span = Duration.between(timeline.from(), timeline.until()).toNanos();
      double x = Math.max(0.0, Math.min(1.0, Duration.between(timeline.from(), t).toNanos() / span));
      return betaAngleDegAtFrom + x * (betaAngleDegAtUntil - betaAngleDegAtFrom);
    }
  }

  /** Shadow passes and beta angle of {@code orbit} over [from, until). */
  Prediction predict(OrbitSpec orbit, Instant from, Instant until);

  /** Orekit: {@link EclipsePredictor} (conical shadow, analytic Sun), a fresh propagator per call. */
  static EclipseSource orekit() {
    return (orbit, from, until) -> new Prediction(EclipsePredictor.timeline(orbit, from, until),
        EclipsePredictor.betaAngleDeg(orbit, from), EclipsePredictor.betaAngleDeg(orbit, until));
  }

  /** No shadow ever, beta 0: a TILE on the ground (board mode with {@code orbit = ground}). */
  static EclipseSource alwaysSunlit() {
    return (orbit, from, until) -> new Prediction(new EclipseTimeline(from, until, java.util.List.of()), 0.0, 0.0);
  }

  /** Orbital period of {@code orbit}, s: Kepler for circular orbits, the mean motion of a TLE. */
  static double periodSeconds(OrbitSpec orbit) {
    if (orbit instanceof OrbitSpec.Circular c) return c.periodSeconds();
    if (orbit instanceof OrbitSpec.Tle t) return 86_400.0 / t.meanMotionRevPerDay();
    throw new IllegalArgumentException("unknown orbit kind: " + orbit);
  }
}
