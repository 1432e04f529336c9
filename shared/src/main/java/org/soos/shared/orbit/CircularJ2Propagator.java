package org.soos.shared.orbit;

import org.orekit.attitudes.FrameAlignedProvider;
import org.orekit.frames.Frame;
import org.orekit.orbits.CircularOrbit;
import org.orekit.orbits.Orbit;
import org.orekit.orbits.PositionAngleType;
import org.orekit.propagation.SpacecraftState;
import org.orekit.propagation.analytical.AbstractAnalyticalPropagator;
import org.orekit.time.AbsoluteDate;

/**
 * Analytic propagator of a circular orbit under the secular effect of J2: the ascending node regresses
 * and the argument of latitude advances at the constant rates of {@link OrbitMath#nodalPrecessionRadPerSecond}
 * and {@link OrbitMath#argumentOfLatitudeRateRadPerSecond}; the radius and inclination stay fixed. It
 * keeps a sun-synchronous orbit sun-synchronous and a Walker shell's planes precessing together, which a
 * pure Keplerian propagator would not. Short-period J2 terms (~10 km along-track) are left out.
 * Not thread-safe (no Orekit propagator is): build one per prediction.
 */
final class CircularJ2Propagator extends AbstractAnalyticalPropagator {
  private final Frame frame;
  private final AbsoluteDate epoch;
  private final double semiMajorAxisMeters;
  private final double inclinationRad;
  private final double raanAtEpochRad;
  private final double argumentOfLatitudeAtEpochRad;
  private final double raanRateRadPerSecond;
  private final double argumentOfLatitudeRateRadPerSecond;

  CircularJ2Propagator(OrbitSpec.Circular orbit, Frame inertialFrame) {
    super(new FrameAlignedProvider(inertialFrame));
    this.frame = inertialFrame;
    this.epoch = OrekitSupport.toDate(orbit.epoch());
    this.semiMajorAxisMeters = OrbitMath.semiMajorAxisMeters(orbit.altitudeKm());
    this.inclinationRad = Math.toRadians(orbit.inclinationDeg());
    this.raanAtEpochRad = Math.toRadians(orbit.raanDeg());
    this.argumentOfLatitudeAtEpochRad = Math.toRadians(orbit.argumentOfLatitudeDeg());
    this.raanRateRadPerSecond = OrbitMath.nodalPrecessionRadPerSecond(orbit.altitudeKm(), orbit.inclinationDeg());
    this.argumentOfLatitudeRateRadPerSecond =
        OrbitMath.argumentOfLatitudeRateRadPerSecond(orbit.altitudeKm(), orbit.inclinationDeg());
    super.resetInitialState(new SpacecraftState(propagateOrbit(epoch)));
  }

  @Override
  public Orbit propagateOrbit(AbsoluteDate date) {
    double dt = date.durationFrom(epoch);
    double raan = normalize(raanAtEpochRad + raanRateRadPerSecond * dt);
    double u = normalize(argumentOfLatitudeAtEpochRad + argumentOfLatitudeRateRadPerSecond * dt);
    return new CircularOrbit(
        semiMajorAxisMeters, 0.0, 0.0, inclinationRad, raan, u, PositionAngleType.MEAN,
        frame, date, OrbitMath.MU_EARTH_M3_PER_S2);
  }

  @Override
  protected double getMass(AbsoluteDate date) {
    return SpacecraftState.DEFAULT_MASS;
  }

  @Override
  protected void resetIntermediateState(SpacecraftState state, boolean forward) {
    throw new UnsupportedOperationException("event handlers must not reset the state of a circular J2 propagator");
  }

  private static double normalize(double angleRad) {
    double twoPi = 2.0 * Math.PI;
    double r = angleRad % twoPi;
    return r < 0 ? r + twoPi : r;
  }
}
