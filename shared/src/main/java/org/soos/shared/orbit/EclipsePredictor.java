package org.soos.shared.orbit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hipparchus.CalculusFieldElement;
import org.hipparchus.geometry.euclidean.threed.FieldVector3D;
import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.hipparchus.ode.events.Action;
import org.orekit.bodies.AnalyticalSolarPositionProvider;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.data.DataContext;
import org.orekit.errors.OrekitException;
import org.orekit.frames.Frame;
import org.orekit.propagation.SpacecraftState;
import org.orekit.propagation.analytical.AbstractAnalyticalPropagator;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.propagation.events.EclipseDetector;
import org.orekit.propagation.events.intervals.AdaptableInterval;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.FieldAbsoluteDate;
import org.orekit.utils.Constants;
import org.orekit.utils.ExtendedPositionProvider;
import org.orekit.utils.OccultationEngine;
import org.orekit.utils.PVCoordinates;

/**
 * Predicts when a TILE is in Earth's shadow, with Orekit.
 *
 * <p>Model: conical umbra and penumbra of the Sun (radius 695,700 km, position from Orekit's analytic
 * solar model, Vallado's low-precision Sun, ~0.01 deg) occulted by the WGS84 ellipsoid, from Orekit's
 * {@link EclipseDetector}. The ellipsoid is placed in the orbit's inertial frame (EME2000 for
 * {@link OrbitSpec.Circular}, TEME for {@link OrbitSpec.Tle}): an axisymmetric body does not care about
 * Earth's rotation, and the J2000-to-date tilt of the pole (~0.4 deg) moves a shadow edge by well under a
 * second. Circular orbits are propagated with their J2 secular drift ({@code CircularJ2Propagator}),
 * TLEs with SGP4/SDP4. Edges are located to 1 ms.
 *
 * <p>Speed (~3 ms of CPU per TILE-day after warm-up): the Sun is tabulated hourly ({@code TabulatedSun})
 * and the shadow functions are sampled at a step that adapts to their distance from zero. Each function
 * is an angle (Sun-Earth separation seen from the TILE minus the limb radius and the solar radius,
 * radians) that cannot change faster than the TILE's angular rate about Earth's centre plus the rate of
 * the limb radius. The step is a cheap lower estimate of |g| (spherical Earth, Sun direction from Earth's
 * centre, less {@value #ESTIMATE_MARGIN_RAD} rad covering both approximations) divided by that rate
 * bound times {@value #RATE_SAFETY}, so it cannot jump over a shadow edge. For near-circular orbits,
 * when g is moving away from zero the step also counts the time g needs to reach its extreme over the
 * orbit (where the separation is pi - |beta| or |beta|) and come back. Steps range from
 * {@value #MIN_CHECK_SECONDS} s (at an edge) to {@value #MAX_CHECK_SECONDS} s; only a grazing pass
 * shorter than the minimum step can be missed. A test checks the result against dense 2 s sampling.
 *
 * <p>Pure: no clock is read; every call builds its own propagator (Orekit propagators are not
 * thread-safe), so calls may run concurrently.
 */
public final class EclipsePredictor {
  /** Longest sampling step of the shadow functions, s. */
  static final double MAX_CHECK_SECONDS = 600.0;
  /** Shortest sampling step of the shadow functions, s. */
  static final double MIN_CHECK_SECONDS = 5.0;
  /** Safety factor on the bound of the shadow functions' rate of change. */
  static final double RATE_SAFETY = 1.25;
  /**
   * Bound of the error of the cheap shadow-function estimate, rad: the WGS84 limb seen from LEO differs
   * from the spherical one by at most ~0.009 rad (flattening 1/298 over the limb's cos), the Sun seen
   * from the TILE and from Earth's centre by 5e-5 rad.
   */
  static final double ESTIMATE_MARGIN_RAD = 0.015;
  /** Edge location accuracy, s. */
  static final double THRESHOLD_SECONDS = 1.0e-3;

  private EclipsePredictor() {}

  /**
   * The shadow passes overlapping [from, until), chronological. A pass that straddles {@code from} or
   * {@code until} is returned whole: its edges outside the span are found by propagating up to half an
   * orbit (plus two minutes) beyond it, longer than any LEO shadow pass lasts, so the windows' own
   * {@link EclipseWindow#stateAt} and {@link EclipseWindow#sunlitFractionAt} hold for every instant of the
   * span. Only a pass longer than that (impossible for a circular LEO orbit) would keep a null edge, as
   * {@link EclipseWindow} describes.
   *
   * @param orbit the TILE's orbit
   * @param from start of the span (inclusive)
   * @param until end of the span (exclusive), after {@code from}
   * @throws IllegalArgumentException on a null argument or an empty span
   * @throws IllegalStateException when SGP4 cannot propagate the TLE over the span (e.g. decayed orbit)
   */
  public static List<EclipseWindow> predict(OrbitSpec orbit, Instant from, Instant until) {
    return predict(orbit, from, until, 0.0);
  }

  /**
   * As {@link #predict(OrbitSpec, Instant, Instant)}, sampling the shadow functions every
   * {@code fixedStepSeconds} instead of adaptively when it is &gt; 0 (the dense reference for tests).
   */
  static List<EclipseWindow> predict(OrbitSpec orbit, Instant from, Instant until, double fixedStepSeconds) {
    requireSpan(orbit, from, until);
    Model model = Model.of(orbit);
    AbsoluteDate fromDate = OrekitSupport.toDate(from);
    AbsoluteDate untilDate = OrekitSupport.toDate(until);
    EclipseDetector probe = new EclipseDetector(model.occultation).withPenumbra();
    double lookBeyondSeconds = 0.5 * model.periodSeconds + 120.0;
    AbsoluteDate start = probe.g(model.stateAt(fromDate)) < 0 ? fromDate.shiftedBy(-lookBeyondSeconds) : fromDate;
    AbsoluteDate end = probe.g(model.stateAt(untilDate)) < 0 ? untilDate.shiftedBy(lookBeyondSeconds) : untilDate;
    TabulatedSun sun = new TabulatedSun(model.sun, model.frame, start, end);
    EclipseDetector penumbra = model.detector(false, sun, fixedStepSeconds);
    EclipseDetector umbra = model.detector(true, sun, fixedStepSeconds);
    SpacecraftState first = model.stateAt(start);
    boolean inPenumbraAtStart = penumbra.g(first) < 0;
    boolean inUmbraAtStart = umbra.g(first) < 0;

    List<Edge> edges = new ArrayList<>();
    model.propagator.addEventDetector(penumbra.withHandler((s, d, increasing) -> {
      edges.add(new Edge(s.getDate(), false, increasing));
      return Action.CONTINUE;
    }));
    model.propagator.addEventDetector(umbra.withHandler((s, d, increasing) -> {
      edges.add(new Edge(s.getDate(), true, increasing));
      return Action.CONTINUE;
    }));
    try {
      model.propagator.propagate(start, end);
    } catch (OrekitException e) {
      throw new IllegalStateException("cannot propagate " + orbit + " over [" + from + ", " + until + "): "
          + e.getMessage(), e);
    }
    List<EclipseWindow> windows = assemble(edges, inPenumbraAtStart || inUmbraAtStart, inUmbraAtStart);
    List<EclipseWindow> overlapping = new ArrayList<>(windows.size());
    for (EclipseWindow w : windows) {
      boolean endsAfterFrom = w.penumbraEnd() == null || w.penumbraEnd().isAfter(from);
      boolean startsBeforeUntil = w.penumbraStart() == null || w.penumbraStart().isBefore(until);
      if (endsAfterFrom && startsBeforeUntil) {
        overlapping.add(w);
      }
    }
    return List.copyOf(overlapping);
  }

  /** The shadow passes over [from, until) as a queryable timeline (see {@link #predict}). */
  public static EclipseTimeline timeline(OrbitSpec orbit, Instant from, Instant until) {
    return new EclipseTimeline(from, until, predict(orbit, from, until));
  }

  /**
   * Beta angle at {@code at}, degrees in [-90, 90]: the elevation of the Sun (analytic solar model) above
   * the orbit plane, positive on the side of the orbit normal r x v. |beta| above
   * {@link OrbitMath#betaStarDeg} means no eclipse.
   */
  public static double betaAngleDeg(OrbitSpec orbit, Instant at) {
    Objects.requireNonNull(orbit, "orbit");
    Objects.requireNonNull(at, "at");
    Model model = Model.of(orbit);
    AbsoluteDate date = OrekitSupport.toDate(at);
    PVCoordinates pv = model.stateAt(date).getPVCoordinates();
    Vector3D normal = pv.getMomentum().normalize();
    Vector3D sun = model.sun.getPosition(date, model.frame).normalize();
    return Math.toDegrees(Math.asin(Math.max(-1.0, Math.min(1.0, normal.dotProduct(sun)))));
  }

  /** Turns the chronological edge list into windows; the flags give the state at the first instant. */
  static List<EclipseWindow> assemble(List<Edge> edges, boolean inShadowAtStart, boolean inUmbraAtStart) {
    List<EclipseWindow> out = new ArrayList<>();
    boolean open = inShadowAtStart;
    boolean inUmbra = inUmbraAtStart;
    Instant penumbraStart = null;
    Instant umbraStart = null;
    Instant umbraEnd = null;
    for (Edge e : edges) {
      Instant t = OrekitSupport.toInstant(e.date);
      if (!e.umbra && !e.increasing) {
        // penumbra entry
        if (!open) {
          open = true;
          penumbraStart = t;
          umbraStart = null;
          umbraEnd = null;
          inUmbra = false;
        }
      } else if (e.umbra && !e.increasing) {
        // umbra entry (the penumbra entry precedes it; tolerate an out-of-order tie at a grazing edge)
        if (!open) {
          open = true;
          penumbraStart = t;
        }
        umbraStart = t;
        umbraEnd = null;
        inUmbra = true;
      } else if (e.umbra) {
        // umbra exit
        if (open && inUmbra) {
          umbraEnd = t;
          inUmbra = false;
        }
      } else if (open) {
        // penumbra exit
        if (inUmbra) {
          umbraEnd = t;
        }
        out.add(new EclipseWindow(penumbraStart, umbraStart, umbraEnd, t));
        open = false;
        inUmbra = false;
        penumbraStart = null;
        umbraStart = null;
        umbraEnd = null;
      }
    }
    if (open) {
      out.add(new EclipseWindow(penumbraStart, umbraStart, inUmbra ? null : umbraEnd, null));
    }
    return out;
  }

  private static void requireSpan(OrbitSpec orbit, Instant from, Instant until) {
    if (orbit == null) throw new IllegalArgumentException("orbit is required");
    if (from == null) throw new IllegalArgumentException("from is required");
    if (until == null) throw new IllegalArgumentException("until is required");
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("until must be after from, got from=" + from + " until=" + until);
    }
  }

  /**
   * The analytic Sun tabulated hourly in one frame over a span and linearly interpolated: one analytic
   * evaluation and one frame transform per hour instead of per shadow-function call. Over an hour the Sun
   * moves 0.04 deg, so the chord error is ~10 km at 1 AU (7e-8 rad). Outside the span or in another frame it
   * defers to the analytic model.
   */
  static final class TabulatedSun implements ExtendedPositionProvider {
    private static final double STEP_SECONDS = 3600.0;
    private final ExtendedPositionProvider source;
    private final Frame frame;
    private final AbsoluteDate t0;
    private final Vector3D[] positions;

    TabulatedSun(ExtendedPositionProvider source, Frame frame, AbsoluteDate start, AbsoluteDate end) {
      this.source = source;
      this.frame = frame;
      this.t0 = start.shiftedBy(-STEP_SECONDS);
      int n = (int) Math.ceil(end.durationFrom(t0) / STEP_SECONDS) + 2;
      this.positions = new Vector3D[n];
      for (int i = 0; i < n; i++) {
        positions[i] = source.getPosition(t0.shiftedBy(i * STEP_SECONDS), frame);
      }
    }

    @Override
    public Vector3D getPosition(AbsoluteDate date, Frame requested) {
      double x = date.durationFrom(t0) / STEP_SECONDS;
      int i = (int) Math.floor(x);
      if (requested != frame || i < 0 || i >= positions.length - 1) {
        return source.getPosition(date, requested);
      }
      double f = x - i;
      return new Vector3D(1.0 - f, positions[i], f, positions[i + 1]);
    }

    @Override
    public <T extends CalculusFieldElement<T>> FieldVector3D<T> getPosition(FieldAbsoluteDate<T> date, Frame requested) {
      return source.getPosition(date, requested);
    }
  }

  /** One detected shadow edge: which boundary, and whether the TILE is leaving (increasing g) it. */
  record Edge(AbsoluteDate date, boolean umbra, boolean increasing) {}

  /** A fresh propagator with its frame, Sun and Earth for one orbit. */
  private static final class Model {
    final AbstractAnalyticalPropagator propagator;
    final Frame frame;
    final AnalyticalSolarPositionProvider sun;
    final OneAxisEllipsoid earth;
    final OccultationEngine occultation;
    final double periodSeconds;
    /** Eccentricity below 0.01: the shadow functions' extremes over an orbit follow from beta alone. */
    final boolean nearCircular;
    /** Upper bound of |d(shadow function)/dt|, rad/s. */
    final double shadowRateBoundRadPerSecond;

    private Model(
        AbstractAnalyticalPropagator propagator,
        Frame frame,
        double semiMajorAxisMeters,
        double eccentricity,
        DataContext context) {
      this.propagator = propagator;
      this.frame = frame;
      this.periodSeconds =
          2.0 * Math.PI * Math.sqrt(Math.pow(semiMajorAxisMeters, 3) / OrbitMath.MU_EARTH_M3_PER_S2);
      this.sun = new AnalyticalSolarPositionProvider(context);
      this.earth = new OneAxisEllipsoid(
          Constants.WGS84_EARTH_EQUATORIAL_RADIUS, Constants.WGS84_EARTH_FLATTENING, frame);
      this.occultation = new OccultationEngine(sun, Constants.SUN_RADIUS, earth);
      this.shadowRateBoundRadPerSecond = shadowRateBound(semiMajorAxisMeters, eccentricity);
      this.nearCircular = eccentricity < 0.01;
    }

    /**
     * Bound of the shadow functions' rate: the direction to Earth's centre turns at most at v/r (at
     * perigee), and the limb radius asin(R/r) changes at R |dr/dt| / (r sqrt(r^2 - R^2)) with
     * |dr/dt| at most e v; the Sun's own motion (2e-7 rad/s) is added.
     */
    private static double shadowRateBound(double a, double e) {
      double rMin = Math.max(a * (1.0 - e), Constants.WGS84_EARTH_EQUATORIAL_RADIUS + 100_000.0);
      double vMax = Math.sqrt(OrbitMath.MU_EARTH_M3_PER_S2 * (1.0 + e) / rMin);
      double re = Constants.WGS84_EARTH_EQUATORIAL_RADIUS;
      double limbRate = re * e * vMax / (rMin * Math.sqrt(rMin * rMin - re * re));
      return vMax / rMin + limbRate + 2.0e-7;
    }

    static Model of(OrbitSpec orbit) {
      DataContext context = OrekitSupport.context();
      if (orbit instanceof OrbitSpec.Circular c) {
        Frame eme2000 = context.getFrames().getEME2000();
        return new Model(
            new CircularJ2Propagator(c, eme2000), eme2000, OrbitMath.semiMajorAxisMeters(c.altitudeKm()), 0.0, context);
      }
      OrbitSpec.Tle t = (OrbitSpec.Tle) orbit;
      TLE tle = new TLE(t.line1(), t.line2(), context.getTimeScales().getUTC());
      Frame teme = context.getFrames().getTEME();
      TLEPropagator sgp4 = TLEPropagator.selectExtrapolator(tle, teme);
      return new Model(sgp4, teme, tle.computeSemiMajorAxis(), tle.getE(), context);
    }

    SpacecraftState stateAt(AbsoluteDate date) {
      return new SpacecraftState(propagator.propagateOrbit(date));
    }

    EclipseDetector detector(boolean umbra, TabulatedSun tabulatedSun, double fixedStepSeconds) {
      OccultationEngine engine = new OccultationEngine(tabulatedSun, Constants.SUN_RADIUS, earth);
      double sunRadiusRad = Constants.SUN_RADIUS / Constants.JPL_SSD_ASTRONOMICAL_UNIT;
      double signedSunRadius = umbra ? sunRadiusRad : -sunRadiusRad;
      double re = Constants.WGS84_EARTH_EQUATORIAL_RADIUS;
      double rate = RATE_SAFETY * shadowRateBoundRadPerSecond;
      AdaptableInterval step = fixedStepSeconds > 0 ? AdaptableInterval.of(fixedStepSeconds) : (state, forward) -> {
        Vector3D r = state.getPosition();
        double radius = r.getNorm();
        Vector3D rHat = r.scalarMultiply(1.0 / radius);
        Vector3D s = tabulatedSun.getPosition(state.getDate(), frame).normalize();
        double separation = Math.acos(Math.max(-1.0, Math.min(1.0, -s.dotProduct(rHat))));
        double limb = Math.asin(Math.min(1.0, re / radius));
        double g = separation - limb + signedSunRadius;
        // Time for g to reach zero at the bounded rate.
        double seconds = (Math.abs(g) - ESTIMATE_MARGIN_RAD) / rate;
        if (nearCircular) {
          // Moving away from the edge, g must first pass its extreme over this orbit (separation
          // pi - |beta| facing the Sun, |beta| at the shadow's axis) and come back: a longer safe step.
          Vector3D v = state.getPVCoordinates().getVelocity();
          double separationRate = (v.dotProduct(s) - v.dotProduct(rHat) * rHat.dotProduct(s)) / radius
              / Math.max(1e-9, Math.sin(separation));
          boolean clearlyMoving = Math.abs(separationRate) > 0.1 * shadowRateBoundRadPerSecond;
          if (clearlyMoving && (g > 0) == (separationRate > 0)) {
            double sinBeta = Vector3D.crossProduct(r, v).normalize().dotProduct(s);
            double absBeta = Math.asin(Math.min(1.0, Math.abs(sinBeta)));
            if (g > 0) {
              double maxG = Math.max(g, Math.PI - absBeta - limb + signedSunRadius - ESTIMATE_MARGIN_RAD);
              seconds = Math.max(seconds, (2.0 * maxG - g - ESTIMATE_MARGIN_RAD) / rate);
            } else {
              double minG = Math.min(g, absBeta - limb + signedSunRadius + ESTIMATE_MARGIN_RAD);
              if (minG < 0) {
                seconds = Math.max(seconds, (g - 2.0 * minG - ESTIMATE_MARGIN_RAD) / rate);
              }
            }
          }
        }
        return Math.max(MIN_CHECK_SECONDS, Math.min(MAX_CHECK_SECONDS, seconds));
      };
      EclipseDetector d = new EclipseDetector(engine).withMaxCheck(step).withThreshold(THRESHOLD_SECONDS);
      return umbra ? d.withUmbra() : d.withPenumbra();
    }
  }
}
