package org.soos.shared.orbit;

/**
 * Closed-form circular-orbit relations around a spherical Earth (plus the J2 secular rates).
 * Pure static functions; altitudes are above the WGS84 equatorial radius.
 *
 * <p>Sources: two-body period and the secular J2 rates of circular orbits as in Vallado, "Fundamentals
 * of Astrodynamics and Applications" (Kepler's third law; secular J2 perturbations); the cylindrical-shadow
 * eclipse fraction and beta* as in Wertz &amp; Larson, "Space Mission Analysis and Design" (orbit and
 * constellation design: eclipse geometry).
 */
public final class OrbitMath {
  /** Earth gravitational parameter (WGS84 / EGM96), m^3/s^2. */
  public static final double MU_EARTH_M3_PER_S2 = 3.986004418e14;
  /** Earth equatorial radius (WGS84), m. */
  public static final double EARTH_RADIUS_M = 6378137.0;
  /** Earth's second zonal harmonic, unnormalized (EGM2008), dimensionless. */
  public static final double J2 = 1.08262668e-3;
  /** Mean tropical year, s (365.24219 days): the period of the mean Sun's right ascension. */
  public static final double TROPICAL_YEAR_SECONDS = 365.24219 * 86400.0;

  private OrbitMath() {}

  /** Semi-major axis of a circular orbit at {@code altitudeKm}, m: a = Re + h. Valid for h &gt; 0. */
  public static double semiMajorAxisMeters(double altitudeKm) {
    requireAltitude(altitudeKm);
    return EARTH_RADIUS_M + altitudeKm * 1000.0;
  }

  /**
   * Two-body orbital period, s: T = 2 pi sqrt(a^3 / mu) (Kepler's third law). 550 km gives 5738 s
   * (95.6 min). Valid for any h &gt; 0; J2 changes the draconic period by ~0.1% in LEO.
   */
  public static double periodSeconds(double altitudeKm) {
    double a = semiMajorAxisMeters(altitudeKm);
    return 2.0 * Math.PI * Math.sqrt(a * a * a / MU_EARTH_M3_PER_S2);
  }

  /** Mean motion n = sqrt(mu / a^3), rad/s. */
  public static double meanMotionRadPerSecond(double altitudeKm) {
    double a = semiMajorAxisMeters(altitudeKm);
    return Math.sqrt(MU_EARTH_M3_PER_S2 / (a * a * a));
  }

  /**
   * The beta angle above which a circular orbit sees no eclipse, degrees: beta* = asin(Re / a)
   * (cylindrical shadow). 67.0 deg at 550 km.
   */
  public static double betaStarDeg(double altitudeKm) {
    return Math.toDegrees(Math.asin(EARTH_RADIUS_M / semiMajorAxisMeters(altitudeKm)));
  }

  /**
   * Fraction of a circular orbit spent in a cylindrical Earth shadow, in [0, 0.5):
   * f = (1/pi) acos( sqrt(h^2 + 2 Re h) / (a cos beta) ) for |beta| &lt; beta*, else 0.
   * 0.372 at 550 km and beta = 0 (35.6 of 95.6 min). The conical umbra is a few seconds per pass shorter,
   * and the penumbra a few seconds longer, than this cylinder.
   *
   * @param altitudeKm altitude, km, &gt; 0
   * @param betaDeg Sun elevation above the orbit plane, degrees, -90..90
   */
  public static double cylindricalEclipseFraction(double altitudeKm, double betaDeg) {
    if (!(betaDeg >= -90.0 && betaDeg <= 90.0)) {
      throw new IllegalArgumentException("betaDeg must be in -90..90, got: " + betaDeg);
    }
    double h = altitudeKm * 1000.0;
    double a = semiMajorAxisMeters(altitudeKm);
    if (Math.abs(betaDeg) >= betaStarDeg(altitudeKm)) {
      return 0.0;
    }
    double ratio = Math.sqrt(h * h + 2.0 * EARTH_RADIUS_M * h) / (a * Math.cos(Math.toRadians(betaDeg)));
    return ratio >= 1.0 ? 0.0 : Math.acos(ratio) / Math.PI;
  }

  /**
   * Secular J2 regression of the ascending node of a circular orbit, rad/s:
   * dRAAN/dt = -3/2 n J2 (Re/a)^2 cos i (negative: westward for prograde orbits).
   * About -5.0 deg/day at 550 km, 53 deg.
   */
  public static double nodalPrecessionRadPerSecond(double altitudeKm, double inclinationDeg) {
    double a = semiMajorAxisMeters(altitudeKm);
    double k = EARTH_RADIUS_M / a;
    return -1.5 * meanMotionRadPerSecond(altitudeKm) * J2 * k * k * Math.cos(Math.toRadians(inclinationDeg));
  }

  /**
   * Secular rate of the argument of latitude of a circular orbit under J2, rad/s:
   * du/dt = n [1 + 3/4 J2 (Re/a)^2 (8 cos^2 i - 2)] (the sum of the J2 rates of the argument of perigee
   * and of the mean anomaly at e = 0).
   */
  public static double argumentOfLatitudeRateRadPerSecond(double altitudeKm, double inclinationDeg) {
    double a = semiMajorAxisMeters(altitudeKm);
    double k = EARTH_RADIUS_M / a;
    double c = Math.cos(Math.toRadians(inclinationDeg));
    return meanMotionRadPerSecond(altitudeKm) * (1.0 + 0.75 * J2 * k * k * (8.0 * c * c - 2.0));
  }

  /**
   * Inclination of a circular sun-synchronous orbit, degrees: the J2 nodal precession equals the mean
   * Sun's motion, 360 deg per tropical year: cos i = -(2 pi / year) / (3/2 n J2 (Re/a)^2).
   * 97.6 deg at 550 km, 98.0 deg at 650 km. Valid up to ~5900 km altitude (above that no SSO exists).
   */
  public static double sunSynchronousInclinationDeg(double altitudeKm) {
    double a = semiMajorAxisMeters(altitudeKm);
    double k = EARTH_RADIUS_M / a;
    double required = 2.0 * Math.PI / TROPICAL_YEAR_SECONDS;
    double cosI = -required / (1.5 * meanMotionRadPerSecond(altitudeKm) * J2 * k * k);
    if (cosI < -1.0) {
      throw new IllegalArgumentException(
          "altitudeKm " + altitudeKm + " is too high for a sun-synchronous circular orbit");
    }
    return Math.toDegrees(Math.acos(cosI));
  }

  private static void requireAltitude(double altitudeKm) {
    if (!(altitudeKm > 0.0) || Double.isInfinite(altitudeKm)) {
      throw new IllegalArgumentException("altitudeKm must be a finite number > 0, got: " + altitudeKm);
    }
  }
}
