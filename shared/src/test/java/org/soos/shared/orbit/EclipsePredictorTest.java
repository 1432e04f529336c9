package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EclipsePredictorTest {
  /** March equinox 2024 (03:06 UTC): the Sun is in the equatorial plane. */
  static final Instant EQUINOX_2024 = Instant.parse("2024-03-20T03:06:00Z");
  /** Angular radius of the Sun at 1 AU, rad (695,700 km / 149,597,871 km). */
  static final double SUN_ANGULAR_RADIUS_RAD = 6.957e8 / 1.495978707e11;

  /** A real-looking ISS element set (epoch 2024-03-15 12:00 UTC, 51.64 deg, 15.498 rev/day). */
  static final OrbitSpec.Tle ISS = new OrbitSpec.Tle(
      "ISS (ZARYA)",
      "1 25544U 98067A   24075.50000000  .00016717  00000-0  30306-3 0  9990",
      "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.49815000445207");

  /**
   * An equatorial orbit at the equinox has beta ~ 0 and crosses the shadow where Earth's radius is the
   * equatorial one, so the only difference from the cylindrical shadow is the Sun's finite disk: the
   * umbra edge lies the solar angular radius (0.267 deg) inside the cylinder edge on each side, so the
   * umbra fraction is the cylindrical fraction minus alpha_sun / pi = 0.0015. The full shadow
   * (umbra + penumbra) is wider than the cylinder by the same amount.
   */
  @ParameterizedTest(name = "{0} km")
  @CsvSource({"400", "550", "800"})
  void umbraFractionAtZeroBetaIsTheCylindricalFractionLessTheSolarDisk(double altitudeKm) {
    OrbitSpec orbit = new OrbitSpec.Circular(altitudeKm, 0.0, 0.0, 0.0, EQUINOX_2024);
    Instant from = EQUINOX_2024.minus(Duration.ofHours(12));
    Instant until = EQUINOX_2024.plus(Duration.ofHours(12));
    double beta = EclipsePredictor.betaAngleDeg(orbit, EQUINOX_2024);
    assertEquals(0.0, beta, 0.5, "beta near zero at the equinox");

    List<EclipseWindow> windows = EclipsePredictor.predict(orbit, from, until);
    double cylindrical = OrbitMath.cylindricalEclipseFraction(altitudeKm, beta);
    double umbra = perOrbitFraction(windows, true);
    double shadow = perOrbitFraction(windows, false);
    assertEquals(cylindrical - SUN_ANGULAR_RADIUS_RAD / Math.PI, umbra, 0.0005);
    assertEquals(cylindrical + SUN_ANGULAR_RADIUS_RAD / Math.PI, shadow, 0.0005);
    if (altitudeKm == 550) {
      assertEquals(0.37, umbra, 0.01, "the design's ~0.37-0.38 at 550 km");
    }
  }

  /**
   * Inclined orbits at the equinox with the node 90 deg from the Sun have beta = inclination. The conical
   * umbra stays inside the cylinder, by more as beta grows (the crossing is oblique and, over the
   * flattened high latitudes, Earth's shadow is narrower): within 0.005 of the cylinder up to beta 50.
   */
  @ParameterizedTest(name = "beta {1} deg at {0} km")
  @CsvSource({"550, 30", "550, 50", "400, 45"})
  void umbraFractionAtModerateBetaStaysJustInsideTheCylindricalShadow(double altitudeKm, double inclinationDeg) {
    OrbitSpec orbit = new OrbitSpec.Circular(altitudeKm, inclinationDeg, 90.0, 0.0, EQUINOX_2024);
    double beta = EclipsePredictor.betaAngleDeg(orbit, EQUINOX_2024);
    assertEquals(inclinationDeg, beta, 0.5);
    List<EclipseWindow> windows = EclipsePredictor.predict(
        orbit, EQUINOX_2024.minus(Duration.ofHours(6)), EQUINOX_2024.plus(Duration.ofHours(6)));
    double cylindrical = OrbitMath.cylindricalEclipseFraction(altitudeKm, beta);
    double umbra = perOrbitFraction(windows, true);
    assertTrue(umbra < cylindrical, "umbra " + umbra + " inside cylinder " + cylindrical);
    assertEquals(cylindrical, umbra, 0.005);
  }

  /** Above beta* = asin(Re / a) the orbit never enters the umbra (nor, a few tenths of a degree further, the penumbra). */
  @ParameterizedTest(name = "beta {1} deg at {0} km")
  @CsvSource({"550, 68", "550, 75", "400, 71", "800, 80"})
  void noUmbraAboveBetaStar(double altitudeKm, double inclinationDeg) {
    OrbitSpec orbit = new OrbitSpec.Circular(altitudeKm, inclinationDeg, 90.0, 0.0, EQUINOX_2024);
    double beta = EclipsePredictor.betaAngleDeg(orbit, EQUINOX_2024);
    assertTrue(beta > OrbitMath.betaStarDeg(altitudeKm), "beta " + beta + " above beta*");
    List<EclipseWindow> windows =
        EclipsePredictor.predict(orbit, EQUINOX_2024, EQUINOX_2024.plus(Duration.ofHours(12)));
    assertTrue(windows.stream().allMatch(w -> w.umbraStart() == null && w.umbraEnd() == null), windows.toString());
  }

  @Test
  void justBelowBetaStarTheShadowPassesArePenumbraOnlyOrShort() {
    OrbitSpec orbit = new OrbitSpec.Circular(550, 66.5, 90.0, 0.0, EQUINOX_2024);
    List<EclipseWindow> windows =
        EclipsePredictor.predict(orbit, EQUINOX_2024, EQUINOX_2024.plus(Duration.ofHours(6)));
    assertFalse(windows.isEmpty(), "the penumbra is still crossed 0.5 deg below beta*");
    for (EclipseWindow w : windows) {
      assertTrue(w.umbraDuration().compareTo(Duration.ofMinutes(10)) < 0, w.toString());
    }
  }

  /** In LEO the Sun's disk takes ~8-15 s to disappear behind the limb (longer at high beta). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"starlink-like 550 km 53 deg", "iss"})
  void penumbraLastsSecondsAtEachEdge(String which) {
    OrbitSpec orbit = which.equals("iss") ? ISS : new OrbitSpec.Circular(550, 53, 0, 0, EQUINOX_2024);
    Instant from = which.equals("iss") ? Instant.parse("2024-03-15T12:00:00Z") : EQUINOX_2024;
    List<EclipseWindow> windows = EclipsePredictor.predict(orbit, from, from.plus(Duration.ofHours(24)));
    assertTrue(windows.size() >= 14, "about 15 passes a day, got " + windows.size());
    for (EclipseWindow w : windows) {
      double entry = seconds(w.penumbraStart(), w.umbraStart());
      double exit = seconds(w.umbraEnd(), w.penumbraEnd());
      assertTrue(entry >= 5 && entry <= 20, "entry penumbra " + entry + " s in " + w);
      assertTrue(exit >= 5 && exit <= 20, "exit penumbra " + exit + " s in " + w);
    }
  }

  /**
   * The ISS (~415 km, 51.6 deg) has a ~92.9 min period and nights of ~27 to ~36 min depending on beta
   * (the published range of ISS orbital nights: about 36 min at beta 0, shorter as beta grows, none
   * above beta ~70 deg).
   */
  @Test
  void issTlePredictsPublishedPeriodAndNightLengths() {
    Instant from = Instant.parse("2024-03-15T12:00:00Z");
    List<EclipseWindow> windows = EclipsePredictor.predict(ISS, from, from.plus(Duration.ofHours(24)));
    assertTrue(windows.size() >= 15 && windows.size() <= 17, "passes per day " + windows.size());
    for (EclipseWindow w : windows) {
      double minutes = w.umbraDuration().toMillis() / 60_000.0;
      assertTrue(minutes >= 25 && minutes <= 37, "ISS umbra " + minutes + " min");
    }
    double periodMinutes = seconds(windows.get(0).penumbraStart(), windows.get(windows.size() - 1).penumbraStart())
        / (windows.size() - 1) / 60.0;
    assertTrue(periodMinutes >= 92 && periodMinutes <= 93, "ISS period " + periodMinutes + " min");
    double beta = EclipsePredictor.betaAngleDeg(ISS, from);
    assertTrue(Math.abs(beta) < 51.64 + 23.45 + 0.1, "|beta| <= i + obliquity, got " + beta);
  }

  /**
   * A dawn-dusk sun-synchronous orbit ascending at 06:00 at 650 km rides the terminator: around the June
   * solstice |beta| ~ 74.5 deg > beta* 65.2 deg, no shadow at all. Around the December solstice
   * |beta| drops to ~58.6 deg and it has its short eclipse season (as Sentinel-1, ascending at 18:00, has
   * around the June solstice).
   */
  @Test
  void dawnDuskSunSynchronousOrbitHasNoUmbraAroundTheJuneSolstice() {
    Instant solstice = Instant.parse("2026-06-21T08:25:00Z");
    OrbitSpec orbit = ConstellationBuilder.sunSynchronous(650, 6.0, 1, 1, solstice).get(0).orbit();
    assertTrue(Math.abs(EclipsePredictor.betaAngleDeg(orbit, solstice)) > OrbitMath.betaStarDeg(650) + 5);
    List<EclipseWindow> windows =
        EclipsePredictor.predict(orbit, solstice.minus(Duration.ofDays(3)), solstice.plus(Duration.ofDays(3)));
    assertTrue(windows.stream().allMatch(w -> w.umbraDuration().isZero()), windows.toString());
  }

  @Test
  void dawnDuskSunSynchronousOrbitHasShortEclipsesAroundTheDecemberSolstice() {
    Instant solstice = Instant.parse("2026-12-21T20:50:00Z");
    OrbitSpec orbit = ConstellationBuilder.sunSynchronous(650, 6.0, 1, 1, solstice).get(0).orbit();
    List<EclipseWindow> windows = EclipsePredictor.predict(orbit, solstice, solstice.plus(Duration.ofDays(1)));
    assertTrue(windows.size() >= 14, "one short eclipse per orbit, got " + windows.size());
    for (EclipseWindow w : windows) {
      double minutes = w.umbraDuration().toMillis() / 60_000.0;
      assertTrue(minutes > 10 && minutes < 22, "umbra " + minutes + " min, shorter than at low beta");
    }
  }

  @Test
  void aSpanStartingInsideTheShadowReturnsThatPassWhole() {
    OrbitSpec orbit = new OrbitSpec.Circular(550, 53, 0, 0, EQUINOX_2024);
    List<EclipseWindow> reference =
        EclipsePredictor.predict(orbit, EQUINOX_2024, EQUINOX_2024.plus(Duration.ofHours(6)));
    EclipseWindow second = reference.get(1);
    Instant insideUmbra = second.umbraStart().plus(Duration.ofMinutes(10));
    Instant insideExitPenumbra = second.umbraEnd().plusSeconds(3);

    for (Instant from : List.of(insideUmbra, insideExitPenumbra)) {
      List<EclipseWindow> windows = EclipsePredictor.predict(orbit, from, from.plus(Duration.ofHours(3)));
      EclipseWindow first = windows.get(0);
      assertNotNull(first.penumbraStart());
      assertSameEdges(second, first);
      EclipseTimeline timeline = new EclipseTimeline(from, from.plus(Duration.ofHours(3)), windows);
      assertEquals(second.stateAt(from), timeline.stateAt(from));
    }
    assertEquals(EclipseState.UMBRA, second.stateAt(insideUmbra));
    assertEquals(EclipseState.PENUMBRA, second.stateAt(insideExitPenumbra));
  }

  @Test
  void aSpanEndingInsideTheShadowReturnsThatPassWhole() {
    OrbitSpec orbit = new OrbitSpec.Circular(550, 53, 0, 0, EQUINOX_2024);
    List<EclipseWindow> reference =
        EclipsePredictor.predict(orbit, EQUINOX_2024, EQUINOX_2024.plus(Duration.ofHours(6)));
    EclipseWindow second = reference.get(1);
    for (Instant until : List.of(second.penumbraStart().plusSeconds(4), second.umbraStart().plusSeconds(60))) {
      List<EclipseWindow> windows = EclipsePredictor.predict(orbit, EQUINOX_2024, until);
      assertEquals(2, windows.size());
      assertSameEdges(second, windows.get(1));
    }
  }

  @Test
  void windowsAreChronologicalDisjointAndOrdered() {
    List<EclipseWindow> windows = EclipsePredictor.predict(
        ISS, Instant.parse("2024-03-15T12:00:00Z"), Instant.parse("2024-03-17T12:00:00Z"));
    for (int i = 0; i < windows.size(); i++) {
      EclipseWindow w = windows.get(i);
      assertTrue(!w.umbraStart().isBefore(w.penumbraStart()) && w.umbraEnd().isAfter(w.umbraStart())
          && !w.penumbraEnd().isBefore(w.umbraEnd()), w.toString());
      if (i > 0) assertTrue(w.start().isAfter(windows.get(i - 1).end()));
    }
  }

  @Test
  void timelineFromPredictionAnswersStateAndNextEdge() {
    OrbitSpec orbit = new OrbitSpec.Circular(550, 53, 0, 0, EQUINOX_2024);
    Instant from = EQUINOX_2024;
    EclipseTimeline timeline = EclipsePredictor.timeline(orbit, from, from.plus(Duration.ofHours(4)));
    EclipseWindow first = timeline.windows().get(0);
    assertEquals(EclipseState.SUNLIT, timeline.stateAt(from));
    assertEquals(first.penumbraStart(), timeline.nextTransitionAfter(from).orElseThrow());
    Instant middle = first.umbraStart().plus(first.umbraDuration().dividedBy(2));
    assertEquals(EclipseState.UMBRA, timeline.stateAt(middle));
    assertEquals(0.0, timeline.sunlitFractionAt(middle));
    assertEquals(first.umbraEnd(), timeline.nextTransitionAfter(middle).orElseThrow());
  }

  @Test
  void betaAngleOfAnEquatorialOrbitFollowsTheSunsDeclination() {
    OrbitSpec orbit = new OrbitSpec.Circular(550, 0, 0, 0, EQUINOX_2024);
    // June solstice: declination +23.44 deg; the orbit normal is the pole.
    assertEquals(23.44, EclipsePredictor.betaAngleDeg(orbit, Instant.parse("2024-06-20T20:51:00Z")), 0.2);
    assertEquals(-23.44, EclipsePredictor.betaAngleDeg(orbit, Instant.parse("2024-12-21T09:20:00Z")), 0.2);
  }

  @Test
  void predictionIsDeterministicAcrossThreads() throws Exception {
    List<TileOrbit> tiles = ConstellationBuilder.walkerDelta(550, 53, 4, 2, 1, EQUINOX_2024);
    Instant until = EQUINOX_2024.plus(Duration.ofHours(6));
    List<List<EclipseWindow>> sequential = new ArrayList<>();
    for (TileOrbit t : tiles) sequential.add(EclipsePredictor.predict(t.orbit(), EQUINOX_2024, until));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<EclipseWindow>>> futures = new ArrayList<>();
      for (TileOrbit t : tiles) futures.add(pool.submit(() -> EclipsePredictor.predict(t.orbit(), EQUINOX_2024, until)));
      for (int i = 0; i < tiles.size(); i++) assertEquals(sequential.get(i), futures.get(i).get());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The adaptive sampling step must never jump over a shadow edge: it finds the same passes, to the
   * millisecond, as sampling every 2 s, including grazing passes within a degree of beta* (66.9 deg
   * at 550 km crosses the penumbra's limit during the day) and the slightly eccentric ISS orbit.
   */
  @ParameterizedTest(name = "inclination {0} deg")
  @CsvSource({"0", "53", "66.0", "66.9", "67.2", "97.6", "-1"})
  void adaptiveSamplingFindsTheSamePassesAsDenseSampling(double inclinationDeg) {
    boolean iss = inclinationDeg < 0;
    OrbitSpec orbit = iss ? ISS : new OrbitSpec.Circular(550, inclinationDeg, 90.0, 0.0, EQUINOX_2024);
    Instant from = iss ? Instant.parse("2024-03-15T12:00:00Z") : EQUINOX_2024;
    Instant until = from.plus(Duration.ofHours(12));
    List<EclipseWindow> adaptive = EclipsePredictor.predict(orbit, from, until);
    List<EclipseWindow> dense = EclipsePredictor.predict(orbit, from, until, 2.0);
    assertEquals(dense.size(), adaptive.size(), "passes");
    for (int i = 0; i < dense.size(); i++) {
      EclipseWindow d = dense.get(i);
      EclipseWindow a = adaptive.get(i);
      assertEquals(d.umbraStart() == null, a.umbraStart() == null, "umbra presence in pass " + i);
      assertEquals(0, seconds(d.penumbraStart(), a.penumbraStart()), 0.005);
      assertEquals(0, seconds(d.penumbraEnd(), a.penumbraEnd()), 0.005);
      if (d.umbraStart() != null) {
        assertEquals(0, seconds(d.umbraStart(), a.umbraStart()), 0.005);
        assertEquals(0, seconds(d.umbraEnd(), a.umbraEnd()), 0.005);
      }
    }
  }

  @Test
  void rejectsAnEmptySpanNamingTheField() {
    OrbitSpec orbit = new OrbitSpec.Circular(550, 53, 0, 0, EQUINOX_2024);
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> EclipsePredictor.predict(orbit, EQUINOX_2024, EQUINOX_2024));
    assertTrue(e.getMessage().contains("until"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EclipsePredictor.predict(null, EQUINOX_2024, EQUINOX_2024));
    assertTrue(e.getMessage().contains("orbit"), e.getMessage());
  }

  /** Mean umbra (or whole shadow) time per pass over the mean spacing of passes, from whole passes only. */
  static double perOrbitFraction(List<EclipseWindow> windows, boolean umbraOnly) {
    assertTrue(windows.size() >= 4, "need several passes, got " + windows.size());
    double shadowSeconds = 0;
    for (int i = 1; i < windows.size() - 1; i++) {
      EclipseWindow w = windows.get(i);
      shadowSeconds += umbraOnly ? seconds(w.umbraStart(), w.umbraEnd()) : seconds(w.start(), w.end());
    }
    int passes = windows.size() - 2;
    double periodSeconds = seconds(windows.get(1).start(), windows.get(windows.size() - 1).start()) / passes;
    return shadowSeconds / passes / periodSeconds;
  }

  static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toNanos() / 1e9;
  }

  static void assertSameEdges(EclipseWindow expected, EclipseWindow actual) {
    assertEquals(0, seconds(expected.penumbraStart(), actual.penumbraStart()), 0.01, "penumbraStart");
    assertEquals(0, seconds(expected.umbraStart(), actual.umbraStart()), 0.01, "umbraStart");
    assertEquals(0, seconds(expected.umbraEnd(), actual.umbraEnd()), 0.01, "umbraEnd");
    assertEquals(0, seconds(expected.penumbraEnd(), actual.penumbraEnd()), 0.01, "penumbraEnd");
  }
}
