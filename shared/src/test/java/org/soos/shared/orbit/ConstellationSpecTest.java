package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstellationSpecTest {
  static final Instant SIM_START = Instant.parse("2026-03-20T00:00:00Z");
  static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new ParameterNamesModule());

  static Config config(String overrides) {
    return ConfigFactory.load(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultApplication()));
  }

  @Test
  void referenceConfigBuildsTheDefaultWalkerShell() {
    ConstellationSpec spec = ConstellationSpec.fromConfig(config(""), SIM_START);
    assertEquals(new ConstellationSpec(ConstellationSpec.Type.WALKER, 550, 53, 3, 4, 1, 0, null, SIM_START), spec);
    List<TileOrbit> tiles = spec.build();
    assertEquals(12, tiles.size());
    assertEquals(ConstellationBuilder.walkerDelta(550, 53, 3, 4, 1, SIM_START), tiles);
  }

  @Test
  void readsASunSynchronousBlockWithAnExplicitEpoch() {
    ConstellationSpec spec = ConstellationSpec.fromConfig(config("""
        soos.constellation { type = sun-synchronous, altitude-km = 650, ltan-hours = 18, planes = 2,
          tiles-per-plane = 5, epoch = "2026-06-21T00:00:00Z" }
        """), SIM_START);
    assertEquals(ConstellationSpec.Type.SUN_SYNCHRONOUS, spec.type());
    assertEquals(Instant.parse("2026-06-21T00:00:00Z"), spec.epoch());
    assertEquals(ConstellationBuilder.sunSynchronous(650, 18, 2, 5, Instant.parse("2026-06-21T00:00:00Z")), spec.build());
  }

  @Test
  void readsATleFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("iss.tle");
    Files.writeString(file, "ISS (ZARYA)\n" + EclipsePredictorTest.ISS.line1() + "\n" + EclipsePredictorTest.ISS.line2() + "\n");
    ConstellationSpec spec = ConstellationSpec.fromConfig(
        config("soos.constellation { type = tle, tle-file = \"" + file.toString().replace("\\", "\\\\") + "\" }"), SIM_START);
    List<TileOrbit> tiles = spec.build();
    assertEquals(1, tiles.size());
    assertEquals("ISS-ZARYA", tiles.get(0).tileId().value());
    assertEquals("plane-0", tiles.get(0).planeId().value());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "soos.constellation.type = bogus | soos.constellation.type",
    "soos.constellation.altitude-km = 100 | soos.constellation.altitude-km",
    "soos.constellation.altitude-km = high | soos.constellation.altitude-km",
    "soos.constellation.planes = 0 | soos.constellation.planes",
    "soos.constellation.tiles-per-plane = -1 | soos.constellation.tiles-per-plane",
    "soos.constellation.phasing = 3 | soos.constellation.phasing",
    "soos.constellation.inclination-deg = 181 | soos.constellation.inclination-deg",
    "soos.constellation.epoch = yesterday | soos.constellation.epoch",
    "soos.constellation { type = sun-synchronous, ltan-hours = 25 } | soos.constellation.ltan-hours",
    "soos.constellation { type = tle, tle-file = \"\" } | soos.constellation.tle-file",
    "soos.constellation { type = tle, tle-file = /no/such/file.tle } | soos.constellation.tle-file",
  })
  void configErrorsNameTheKey(String overrides, String key) {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> ConstellationSpec.fromConfig(config(overrides), SIM_START));
    assertTrue(e.getMessage().startsWith(key), e.getMessage());
  }

  @Test
  void roundTripsThroughJsonWithKebabTypeNames() throws Exception {
    ConstellationSpec spec =
        new ConstellationSpec(ConstellationSpec.Type.SUN_SYNCHRONOUS, 650, 0, 2, 5, 0, 6.0, null, SIM_START);
    String json = JSON.writeValueAsString(spec);
    assertTrue(json.contains("\"type\":\"sun-synchronous\""), json);
    assertEquals(spec, JSON.readValue(json, ConstellationSpec.class));
    ConstellationSpec fromScenario = JSON.readValue(
        "{\"type\":\"walker\",\"altitudeKm\":550,\"inclinationDeg\":53,\"planes\":2,\"tilesPerPlane\":3,"
            + "\"phasing\":1,\"epoch\":\"2026-03-20T00:00:00Z\"}",
        ConstellationSpec.class);
    assertEquals(6, fromScenario.build().size());
  }

  @Test
  void recordRejectsBadFieldsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConstellationSpec(ConstellationSpec.Type.WALKER, 550, 53, 3, 0, 1, 0, null, SIM_START));
    assertTrue(e.getMessage().startsWith("tilesPerPlane"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ConstellationSpec(ConstellationSpec.Type.TLE, 0, 0, 0, 0, 0, 0, " ", null));
    assertTrue(e.getMessage().startsWith("tleFile"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ConstellationSpec(ConstellationSpec.Type.WALKER, 550, 53, 3, 4, 1, 0, null, null));
    assertTrue(e.getMessage().startsWith("epoch"), e.getMessage());
  }
}
