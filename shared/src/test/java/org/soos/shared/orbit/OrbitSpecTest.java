package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

class OrbitSpecTest {
  static final Instant EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new ParameterNamesModule());
  static final String L1 = EclipsePredictorTest.ISS.line1();
  static final String L2 = EclipsePredictorTest.ISS.line2();

  @ParameterizedTest(name = "{5}")
  @CsvSource({
    "159.9, 53, 0, 0, true, altitudeKm",
    "2000.1, 53, 0, 0, true, altitudeKm",
    "NaN, 53, 0, 0, true, altitudeKm",
    "550, -0.1, 0, 0, true, inclinationDeg",
    "550, 180.1, 0, 0, true, inclinationDeg",
    "550, 53, 360, 0, true, raanDeg",
    "550, 53, -1, 0, true, raanDeg",
    "550, 53, 0, 360, true, argumentOfLatitudeDeg",
    "550, 53, 0, 0, false, epoch",
  })
  void circularRejectsBadElementsNamingTheField(
      double altitudeKm, double inclinationDeg, double raanDeg, double argumentOfLatitudeDeg, boolean withEpoch, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrbitSpec.Circular(
        altitudeKm, inclinationDeg, raanDeg, argumentOfLatitudeDeg, withEpoch ? EPOCH : null));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }

  @Test
  void circularAcceptsTheWholeLeoRange() {
    new OrbitSpec.Circular(160, 0, 0, 0, EPOCH);
    new OrbitSpec.Circular(2000, 180, 359.999, 359.999, EPOCH);
    assertEquals(OrbitMath.periodSeconds(550), new OrbitSpec.Circular(550, 53, 0, 0, EPOCH).periodSeconds());
  }

  @Test
  void tleRejectsBadLinesNamingTheField() {
    String badChecksum = L1.substring(0, 68) + ((L1.charAt(68) - '0' + 1) % 10);
    assertMessage("line1 has a bad checksum", () -> new OrbitSpec.Tle("ISS", badChecksum, L2));
    assertMessage("line2 must be 69 characters", () -> new OrbitSpec.Tle("ISS", L1, L2.substring(0, 60)));
    assertMessage("line2 must start with \"2 \"", () -> new OrbitSpec.Tle("ISS", L1, L1));
    assertMessage("line1 is required", () -> new OrbitSpec.Tle("ISS", null, L2));
    String shifted = "1 25544U 98067A  24075.500000000  .00016717  00000-0  30306-3 0  999";
    assertMessage("TLE column format", () -> new OrbitSpec.Tle("ISS", shifted + TleLines.checksum(shifted), L2));
  }

  @Test
  void tleReadsItsFieldsAndNormalizesTheName() {
    OrbitSpec.Tle tle = new OrbitSpec.Tle("0 ISS (ZARYA)  ", L1 + "  ", L2);
    assertEquals("ISS (ZARYA)", tle.name());
    assertEquals(L1, tle.line1());
    assertEquals(25544, tle.catalogNumber());
    assertEquals(51.6416, tle.inclinationDeg(), 1e-12);
    assertEquals(247.4627, tle.raanDeg(), 1e-12);
    assertEquals(15.49815, tle.meanMotionRevPerDay(), 1e-12);
    assertEquals(Instant.parse("2024-03-15T12:00:00Z"), ConstellationBuilder.epochOf(tle));
  }

  @Test
  void orbitSpecsRoundTripThroughJsonByTypeName() throws Exception {
    OrbitSpec circular = new OrbitSpec.Circular(550, 53, 120, 30, EPOCH);
    String json = JSON.writeValueAsString(circular);
    assertTrue(json.contains("\"type\":\"circular\""), json);
    assertTrue(!json.contains("periodSeconds"), json);
    assertEquals(circular, JSON.readValue(json, OrbitSpec.class));

    OrbitSpec tle = EclipsePredictorTest.ISS;
    json = JSON.writeValueAsString(tle);
    assertTrue(json.contains("\"type\":\"tle\""), json);
    assertEquals(tle, JSON.readValue(json, OrbitSpec.class));

    TileOrbit tile = new TileOrbit(TileId.of("p1-t2"), PlaneId.of("p1"), circular);
    json = JSON.writeValueAsString(tile);
    assertTrue(json.contains("\"tileId\":\"p1-t2\""), json);
    assertEquals(tile, JSON.readValue(json, TileOrbit.class));
  }

  @Test
  void jsonWithBadElementsFailsNamingTheField() {
    Exception e = assertThrows(Exception.class, () -> JSON.readValue(
        "{\"type\":\"circular\",\"altitudeKm\":90,\"inclinationDeg\":53,\"raanDeg\":0,"
            + "\"argumentOfLatitudeDeg\":0,\"epoch\":\"2026-03-20T00:00:00Z\"}", OrbitSpec.class));
    assertTrue(e.getMessage().contains("altitudeKm"), e.getMessage());
  }

  @Test
  void tileOrbitRequiresEveryField() {
    assertMessage("tileId", () -> new TileOrbit(null, PlaneId.of("p0"), EclipsePredictorTest.ISS));
    assertMessage("orbit", () -> new TileOrbit(TileId.of("a"), PlaneId.of("p0"), null));
  }

  static void assertMessage(String fragment, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }
}
