package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstellationBuilderTest {
  static final Instant EPOCH = Instant.parse("2026-03-20T00:00:00Z");

  static OrbitSpec.Circular circular(TileOrbit t) {
    return (OrbitSpec.Circular) t.orbit();
  }

  /** Walker 53:12/3/1: RAANs 0/120/240, in-plane spacing 90 deg, inter-plane phase 360 F / T = 30 deg. */
  @ParameterizedTest(name = "{0}: RAAN {1}, u {2}")
  @CsvSource({
    "p0-t0, 0, 0",
    "p0-t1, 0, 90",
    "p0-t3, 0, 270",
    "p1-t0, 120, 30",
    "p1-t2, 120, 210",
    "p2-t0, 240, 60",
    "p2-t3, 240, 330",
  })
  void walkerDeltaPlacesTilesByRaanAndPhasing(String tileId, double raanDeg, double argumentOfLatitudeDeg) {
    List<TileOrbit> tiles = ConstellationBuilder.walkerDelta(550, 53, 3, 4, 1, EPOCH);
    TileOrbit tile = tiles.stream().filter(t -> t.tileId().value().equals(tileId)).findFirst().orElseThrow();
    assertEquals(tileId.substring(0, 2), tile.planeId().value());
    assertEquals(raanDeg, circular(tile).raanDeg(), 1e-9);
    assertEquals(argumentOfLatitudeDeg, circular(tile).argumentOfLatitudeDeg(), 1e-9);
    assertEquals(550, circular(tile).altitudeKm());
    assertEquals(53, circular(tile).inclinationDeg());
    assertEquals(EPOCH, circular(tile).epoch());
  }

  @Test
  void walkerDeltaListsTilesPlaneMajorWithUniqueIds() {
    List<TileOrbit> tiles = ConstellationBuilder.walkerDelta(550, 53, 24, 10, 7, EPOCH);
    assertEquals(240, tiles.size());
    assertEquals("p0-t0", tiles.get(0).tileId().value());
    assertEquals("p0-t9", tiles.get(9).tileId().value());
    assertEquals("p1-t0", tiles.get(10).tileId().value());
    assertEquals(240, tiles.stream().map(TileOrbit::tileId).distinct().count());
    assertEquals(24, tiles.stream().map(TileOrbit::planeId).distinct().count());
    // Adjacent planes are offset by 360 F / T = 10.5 deg; every plane keeps 36 deg in-plane spacing.
    for (int k = 1; k < 24; k++) {
      double offset = circular(tiles.get(10 * k)).argumentOfLatitudeDeg() - circular(tiles.get(10 * (k - 1))).argumentOfLatitudeDeg();
      assertEquals(10.5, ((offset % 360) + 360) % 360, 1e-9);
      assertEquals(15.0 * k, circular(tiles.get(10 * k)).raanDeg(), 1e-9);
    }
  }

  @Test
  void walkerDeltaRejectsBadLayoutNamingTheParameter() {
    assertMessage("phasing", () -> ConstellationBuilder.walkerDelta(550, 53, 3, 4, 3, EPOCH));
    assertMessage("planes", () -> ConstellationBuilder.walkerDelta(550, 53, 0, 4, 0, EPOCH));
    assertMessage("tilesPerPlane", () -> ConstellationBuilder.walkerDelta(550, 53, 3, 0, 0, EPOCH));
    assertMessage("altitudeKm", () -> ConstellationBuilder.walkerDelta(100, 53, 3, 4, 1, EPOCH));
    assertMessage("inclinationDeg", () -> ConstellationBuilder.walkerDelta(550, 190, 3, 4, 1, EPOCH));
  }

  /** Local time of the ascending node: 12 h puts the node under the Sun, 6 h a quarter-turn west of it. */
  @ParameterizedTest(name = "LTAN {0} h -> node {1} deg from the Sun")
  @CsvSource({"12.0, 0", "6.0, -90", "18.0, 90", "10.5, -22.5"})
  void sunSynchronousNodeFollowsLocalTimeOfAscendingNode(double ltanHours, double offsetFromSunDeg) {
    TileOrbit tile = ConstellationBuilder.sunSynchronous(550, ltanHours, 1, 1, EPOCH).get(0);
    double expected = (ConstellationBuilder.sunRightAscensionDeg(EPOCH) + offsetFromSunDeg + 360) % 360;
    assertEquals(expected, circular(tile).raanDeg(), 1e-9);
    assertEquals(OrbitMath.sunSynchronousInclinationDeg(550), circular(tile).inclinationDeg(), 1e-12);
  }

  @Test
  void sunRightAscensionIsNearZeroAtTheMarchEquinox() {
    double ra = ConstellationBuilder.sunRightAscensionDeg(Instant.parse("2026-03-20T14:46:00Z"));
    assertTrue(ra < 0.5 || ra > 359.5, "RA " + ra);
    assertEquals(90.0, ConstellationBuilder.sunRightAscensionDeg(Instant.parse("2026-06-21T08:24:00Z")), 0.5);
  }

  @Test
  void sunSynchronousPlanesSpreadEvenlyAroundTheClock() {
    List<TileOrbit> tiles = ConstellationBuilder.sunSynchronous(650, 6.0, 2, 3, EPOCH);
    assertEquals(6, tiles.size());
    double raan0 = circular(tiles.get(0)).raanDeg();
    double raan1 = circular(tiles.get(3)).raanDeg();
    assertEquals(180.0, ((raan1 - raan0) % 360 + 360) % 360, 1e-9);
    assertEquals(List.of("p0-t0", "p0-t1", "p0-t2", "p1-t0", "p1-t1", "p1-t2"),
        tiles.stream().map(t -> t.tileId().value()).collect(Collectors.toList()));
    assertEquals(120.0, circular(tiles.get(1)).argumentOfLatitudeDeg(), 1e-9);
    // Both planes of a dawn-dusk pair ride the terminator: |beta| far above beta*.
    for (TileOrbit t : List.of(tiles.get(0), tiles.get(3))) {
      assertTrue(Math.abs(EclipsePredictor.betaAngleDeg(t.orbit(), EPOCH)) > 75);
    }
  }

  @Test
  void sunSynchronousRejectsBadLtan() {
    assertMessage("ltanHours", () -> ConstellationBuilder.sunSynchronous(550, 24, 1, 1, EPOCH));
  }

  // ---- TLE catalogs ----

  /** A valid element set with the given catalog number, inclination, RAAN and epoch day of 2024. */
  static String[] tle(int catalog, double inclinationDeg, double raanDeg, double epochDay) {
    String l1 = String.format(Locale.ROOT, "1 %05dU 24001A   24%012.8f  .00001000  00000-0  10000-3 0  999", catalog, epochDay);
    String l2 = String.format(Locale.ROOT, "2 %05d %8.4f %8.4f 0001000  90.0000 %8.4f 15.0500000010000",
        catalog, inclinationDeg, raanDeg, 12.0);
    assertEquals(68, l1.length(), l1);
    assertEquals(68, l2.length(), l2);
    return new String[] {l1 + TleLines.checksum(l1), l2 + TleLines.checksum(l2)};
  }

  static String set(String name, String[] lines) {
    return (name == null ? "" : name + "\n") + lines[0] + "\n" + lines[1] + "\n";
  }

  @Test
  void readsTwoAndThreeLineSetsWithNamesSanitizedAndUnique() {
    String catalog = set("ISS (ZARYA)", tle(25544, 51.64, 247.46, 75.5))
        + "\n\n"
        + set(null, tle(48274, 41.47, 10.0, 75.5))
        + set("0 STARLINK-1007", tle(44713, 53.05, 120.0, 75.5))
        + set("STARLINK/1007", tle(44714, 53.05, 120.0, 75.5))
        + set("  ***  ", tle(44715, 53.05, 120.0, 75.5));
    List<TileOrbit> tiles = ConstellationBuilder.fromTle(new StringReader(catalog.replace("\n", "\r\n")), "mixed.tle");
    assertEquals(List.of("ISS-ZARYA", "sat-48274", "STARLINK-1007", "STARLINK-1007-2", "sat-44715"),
        tiles.stream().map(t -> t.tileId().value()).collect(Collectors.toList()));
    assertEquals("ISS (ZARYA)", ((OrbitSpec.Tle) tiles.get(0).orbit()).name());
    assertEquals("STARLINK-1007", ((OrbitSpec.Tle) tiles.get(2).orbit()).name());
  }

  @Test
  void groupsTlesIntoPlanesByInclinationAndRaanInOrderOfAppearance() {
    String catalog = set("A", tle(1, 53.05, 0.5, 75.5))
        + set("B", tle(2, 97.60, 0.5, 75.5))
        + set("C", tle(3, 53.20, 1.8, 75.5))
        + set("D", tle(4, 53.00, 50.0, 75.5))
        + set("E", tle(5, 52.60, 359.0, 75.5))
        + set("F", tle(6, 53.05, 3.0, 75.5));
    List<TileOrbit> tiles = ConstellationBuilder.fromTle(new StringReader(catalog), "planes.tle");
    assertEquals(List.of("plane-0", "plane-1", "plane-0", "plane-2", "plane-0", "plane-3"),
        tiles.stream().map(t -> t.planeId().value()).collect(Collectors.toList()));
  }

  /** A 53 deg shell at ~550 km regresses ~4.5 deg/day: a TLE one day newer is in the same plane. */
  @Test
  void groupingCarriesRaanToACommonEpochWithJ2Drift() {
    String catalog = set("A", tle(1, 53.0, 10.0, 75.5)) + set("B", tle(2, 53.0, 5.51, 76.5));
    List<TileOrbit> tiles = ConstellationBuilder.fromTle(new StringReader(catalog), "drift.tle");
    assertEquals(tiles.get(0).planeId(), tiles.get(1).planeId());
    String sameEpoch = set("A", tle(1, 53.0, 10.0, 75.5)) + set("B", tle(2, 53.0, 5.51, 75.5));
    List<TileOrbit> apart = ConstellationBuilder.fromTle(new StringReader(sameEpoch), "apart.tle");
    assertTrue(!apart.get(0).planeId().equals(apart.get(1).planeId()));
  }

  @Test
  void tleErrorsNameTheFileAndLine() {
    String[] good = tle(25544, 51.64, 247.46, 75.5);
    String badChecksum = good[1].substring(0, 68) + ((good[1].charAt(68) - '0' + 1) % 10);
    assertMessage("sats.tle:5: TLE line 2 has a bad checksum",
        () -> ConstellationBuilder.fromTle(new StringReader("\nISS\n" + good[0] + "\n\n" + badChecksum + "\n"), "sats.tle"));
    assertMessage("sats.tle:1: TLE line 2 without a line 1",
        () -> ConstellationBuilder.fromTle(new StringReader(good[1] + "\n"), "sats.tle"));
    assertMessage("sats.tle:2: TLE line 1 is not followed by line 2",
        () -> ConstellationBuilder.fromTle(new StringReader("ISS\n" + good[0] + "\n"), "sats.tle"));
    assertMessage("sats.tle:2: TLE line 1 must be 69 characters",
        () -> ConstellationBuilder.fromTle(new StringReader("ISS\n" + good[0].substring(0, 66) + "\n" + good[1]), "sats.tle"));
    assertMessage("sats.tle:3: expected TLE line 2",
        () -> ConstellationBuilder.fromTle(new StringReader("ISS\n" + good[0] + "\nHUBBLE\n"), "sats.tle"));
    assertMessage("sats.tle:1: name line \"ISS\" is not followed by TLE line 1",
        () -> ConstellationBuilder.fromTle(new StringReader("ISS\n"), "sats.tle"));
    String[] other = tle(99999, 51.64, 247.46, 75.5);
    assertMessage("sats.tle:1: TLE set on lines 1-2: line1 and line2 name different catalog numbers",
        () -> ConstellationBuilder.fromTle(new StringReader(good[0] + "\n" + other[1] + "\n"), "sats.tle"));
    assertMessage("empty.tle: no TLE set found",
        () -> ConstellationBuilder.fromTle(new StringReader("\n  \n"), "empty.tle"));
  }

  static void assertMessage(String expectedFragment, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expectedFragment), "message '" + e.getMessage() + "' lacks '" + expectedFragment + "'");
  }
}
