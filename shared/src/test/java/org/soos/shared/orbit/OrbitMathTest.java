package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrbitMathTest {

  /** Two-body periods of circular LEO orbits as tabulated in orbit-design references (e.g. SMAD). */
  @ParameterizedTest(name = "{0} km -> {1} min")
  @CsvSource({
    "400, 92.6",
    "550, 95.6",
    "650, 97.7",
    "800, 100.9",
  })
  void periodMatchesPublishedCircularOrbitPeriods(double altitudeKm, double publishedMinutes) {
    assertEquals(publishedMinutes, OrbitMath.periodSeconds(altitudeKm) / 60.0, 0.06);
  }

  @Test
  void semiMajorAxisIsEquatorialRadiusPlusAltitude() {
    assertEquals(6_928_137.0, OrbitMath.semiMajorAxisMeters(550), 1e-6);
  }

  /**
   * beta* = asin(Re / a): 70.2 deg at 400 km (the ISS never sees a shadow-free orbit below ~70 deg beta),
   * 67.0 deg at 550 km, 65.2 deg at 650 km.
   */
  @ParameterizedTest(name = "{0} km -> beta* {1} deg")
  @CsvSource({
    "400, 70.2",
    "550, 67.0",
    "650, 65.2",
    "800, 62.7",
  })
  void betaStarMatchesEarthAngularRadius(double altitudeKm, double betaStarDeg) {
    assertEquals(betaStarDeg, OrbitMath.betaStarDeg(altitudeKm), 0.05);
  }

  /**
   * Cylindrical shadow at beta = 0: ~36 min of a 92.6 min orbit at 400 km (the ISS's longest nights),
   * 0.372 at 550 km (the design's "~0.38"), shrinking with beta and vanishing at beta*.
   */
  @ParameterizedTest(name = "{0} km, beta {1} deg -> {2}")
  @CsvSource({
    "400, 0, 0.390",
    "550, 0, 0.372",
    "650, 0, 0.362",
    "550, 30, 0.351",
    "550, 60, 0.215",
    "550, -60, 0.215",
    "550, 67.5, 0.0",
    "550, 80, 0.0",
  })
  void cylindricalEclipseFractionFollowsShadowGeometry(double altitudeKm, double betaDeg, double fraction) {
    assertEquals(fraction, OrbitMath.cylindricalEclipseFraction(altitudeKm, betaDeg), 0.0015);
  }

  @Test
  void eclipseFractionFallsMonotonicallyToZeroAtBetaStar() {
    double previous = 1.0;
    for (double beta = 0; beta <= 70; beta += 0.5) {
      double f = OrbitMath.cylindricalEclipseFraction(550, beta);
      assertTrue(f <= previous, "fraction rose at beta " + beta);
      previous = f;
    }
    assertEquals(0.0, OrbitMath.cylindricalEclipseFraction(550, OrbitMath.betaStarDeg(550) + 1e-9));
  }

  /**
   * Sun-synchronous inclinations. 550 and 650 km: the figures quoted for rideshare SSO shells
   * (97.6 deg; 97.9-98.0 deg). Mission values: Sentinel-1 (ESA, 693 km, 98.18 deg), Landsat 8 (USGS,
   * 705 km, 98.2 deg), Sentinel-2 (ESA, 786 km, 98.62 deg; its mean semi-major axis is ~3 km above
   * 786 km plus Re and it flies a frozen eccentricity, hence the wider tolerance).
   */
  @ParameterizedTest(name = "{0} km -> {1} deg")
  @CsvSource({
    "550, 97.60, 0.05",
    "650, 97.95, 0.05",
    "693, 98.18, 0.05",
    "705, 98.20, 0.05",
    "786, 98.62, 0.10",
  })
  void sunSynchronousInclinationMatchesPublishedValues(double altitudeKm, double inclinationDeg, double tolerance) {
    assertEquals(inclinationDeg, OrbitMath.sunSynchronousInclinationDeg(altitudeKm), tolerance);
  }

  @Test
  void sunSynchronousNodalPrecessionIsOneTurnPerTropicalYear() {
    double i = OrbitMath.sunSynchronousInclinationDeg(550);
    double degPerDay = Math.toDegrees(OrbitMath.nodalPrecessionRadPerSecond(550, i)) * 86400;
    assertEquals(360.0 / 365.24219, degPerDay, 1e-9);
  }

  /** J2 nodal regression of a 53 deg shell at 550 km (Starlink-like): about -4.5 deg/day. */
  @Test
  void nodalRegressionOfAStarlinkLikeShellIsAboutFourAndAHalfDegreesPerDay() {
    double degPerDay = Math.toDegrees(OrbitMath.nodalPrecessionRadPerSecond(550, 53)) * 86400;
    assertEquals(-4.49, degPerDay, 0.05);
  }

  @Test
  void rejectsBadArgumentsNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrbitMath.periodSeconds(-1));
    assertTrue(e.getMessage().contains("altitudeKm"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OrbitMath.cylindricalEclipseFraction(550, 91));
    assertTrue(e.getMessage().contains("betaDeg"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OrbitMath.sunSynchronousInclinationDeg(7000));
    assertTrue(e.getMessage().contains("altitudeKm"), e.getMessage());
  }
}
