package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JetsonProbeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = Path.of("..", "tile-node", "src", "test", "resources", "jetson");

  private static JsonNode probe(String fixture) throws Exception {
    CliRun run = CliRun.of("jetson-probe", "--root", FIXTURES.resolve(fixture).toString(), "--json");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(1, run.out().strip().lines().count(), "--json prints one line: " + run.out());
    return JSON.readTree(run.out());
  }

  @Test
  void agxOrinJetPack6() throws Exception {
    JsonNode o = probe("agx-orin-jp6");
    assertEquals("NVIDIA Jetson AGX Orin Developer Kit", o.get("board").get("model").asText());
    assertEquals("AGX_ORIN_64GB", o.get("board").get("module").asText());
    assertEquals("hwmon", o.get("layout").asText());
    assertRails(o, new Object[][] {
        {"VDD_GPU_SOC", 4992, 1208}, {"VDD_CPU_CV", 4992, 600}, {"VIN_SYS_5V0", 5016, 888},
        {"VDDQ_VDD2_1V8AO", 4984, 96}});
    double sum = 4.992 * 1.208 + 4.992 * 0.600 + 5.016 * 0.888 + 4.984 * 0.096;
    assertEquals(sum, o.get("moduleInputWatts").asDouble(), 0.0);
    assertZones(o, new Object[][] {
        {"cpu-thermal", 47.312}, {"gpu-thermal", 45.687}, {"cv0-thermal", 44.875}, {"cv1-thermal", 45.031},
        {"cv2-thermal", 44.593}, {"soc0-thermal", 45.218}, {"soc1-thermal", 44.906}, {"soc2-thermal", 45.406},
        {"tj-thermal", 48.218}});
    assertEquals(48.218, o.get("junctionCelsius").asDouble(), 0.0);
    JsonNode tjTrips = o.get("thermalZones").get(8).get("trips");
    assertEquals("critical", tjTrips.get(1).get("type").asText());
    assertEquals(104.5, tjTrips.get(1).get("celsius").asDouble(), 0.0);
    assertEquals(2, o.get("powerMode").get("id").asInt());
    assertEquals("MODE_30W", o.get("powerMode").get("name").asText());
    assertEquals(0, o.get("skippedZones").size());
  }

  @Test
  void orinNxJetPack5() throws Exception {
    JsonNode o = probe("orin-nx-jp5");
    assertEquals("ORIN_NX_16GB", o.get("board").get("module").asText());
    assertRails(o, new Object[][] {{"VDD_IN", 5008, 1472}, {"VDD_CPU_GPU_CV", 5008, 392}, {"VDD_SOC", 5008, 776}});
    assertEquals(5.008 * 1.472, o.get("moduleInputWatts").asDouble(), 0.0);
    assertEquals(42.843, o.get("junctionCelsius").asDouble(), 0.0);
    assertEquals("Tj-therm", o.get("thermalZones").get(8).get("name").asText());
    assertEquals(3, o.get("powerMode").get("id").asInt());
    assertEquals("25W", o.get("powerMode").get("name").asText());
  }

  @Test
  void oddBoardListsSkippedZones() throws Exception {
    JsonNode o = probe("odd-zones");
    assertTrue(o.get("board").get("module").isNull());
    assertEquals(false, o.get("board").get("jetson").asBoolean());
    assertZones(o, new Object[][] {{"cpu-thermal", 51.25}, {"soc2-thermal", 49.875}, {"tj-thermal", 52.5}});
    assertEquals(5, o.get("skippedZones").size());
    assertTrue(o.get("powerMode").isNull());
  }

  @Test
  void defaultIsIndentedJsonAndBadRootIsAUsageError() throws Exception {
    CliRun pretty = CliRun.of("jetson-probe", "--root", FIXTURES.resolve("nano-jp4-iio").toString());
    assertEquals(0, pretty.exitCode(), pretty.toString());
    assertTrue(pretty.out().lines().count() > 10, pretty.out());
    assertEquals(7.304, JSON.readTree(pretty.out()).get("moduleInputWatts").asDouble(), 0.0);
    CliRun bad = CliRun.of("jetson-probe", "--root", "/no/such/dir");
    assertEquals(SoosCli.EXIT_USAGE, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("--root: /no/such/dir is not a directory"), bad.err());
    CliRun help = CliRun.of("jetson-probe", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--root"), help.out());
  }

  private static void assertRails(JsonNode o, Object[][] expected) {
    JsonNode rails = o.get("rails");
    assertEquals(expected.length, rails.size(), rails.toString());
    for (int i = 0; i < expected.length; i++) {
      JsonNode r = rails.get(i);
      double volts = (Integer) expected[i][1] / 1000.0;
      double amps = (Integer) expected[i][2] / 1000.0;
      assertEquals(expected[i][0], r.get("name").asText());
      assertEquals(volts, r.get("volts").asDouble(), 0.0);
      assertEquals(amps, r.get("amps").asDouble(), 0.0);
      assertEquals(volts * amps, r.get("watts").asDouble(), 0.0);
    }
  }

  private static void assertZones(JsonNode o, Object[][] expected) {
    List<String> names = new ArrayList<>();
    o.get("thermalZones").forEach(z -> names.add(z.get("name").asText()));
    List<String> want = new ArrayList<>();
    for (Object[] e : expected) want.add((String) e[0]);
    assertEquals(want, names);
    for (int i = 0; i < expected.length; i++) {
      assertEquals((Double) expected[i][1], o.get("thermalZones").get(i).get("celsius").asDouble(), 0.0);
    }
  }
}
