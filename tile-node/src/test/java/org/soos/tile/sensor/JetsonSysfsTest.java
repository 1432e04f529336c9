package org.soos.tile.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.orin.OrinModule;

class JetsonSysfsTest {
  private static final double EPS = 1e-12;

  @Test
  void agxOrinJetPack6() {
    JetsonReading r = new JetsonSysfs(JetsonFixtures.root(JetsonFixtures.AGX_ORIN_JP6)).read();
    assertEquals("hwmon", r.layout());
    assertEquals(Optional.of(OrinModule.AGX_ORIN_64GB), r.board().module());
    assertEquals("NVIDIA Jetson AGX Orin Developer Kit", r.board().model());
    assertEquals(List.of("nvidia,p3737-0000+p3701-0005", "nvidia,p3701-0005", "nvidia,tegra234"), r.board().compatible());
    assertTrue(r.board().jetson());
    // NC channels and the shunt-sum channel are not rails; there is no VDD_IN on an AGX Orin.
    assertEquals(List.of("VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"),
        r.rails().stream().map(PowerRail::name).toList());
    rail(r.rails().get(0), "VDD_GPU_SOC", 4.992, 1.208);
    rail(r.rails().get(1), "VDD_CPU_CV", 4.992, 0.600);
    rail(r.rails().get(2), "VIN_SYS_5V0", 5.016, 0.888);
    rail(r.rails().get(3), "VDDQ_VDD2_1V8AO", 4.984, 0.096);
    double sum = 4.992 * 1.208 + 4.992 * 0.600 + 5.016 * 0.888 + 4.984 * 0.096;
    assertEquals(sum, r.moduleInputWatts().orElseThrow(), 1e-9);
    assertEquals(List.of("cpu-thermal", "gpu-thermal", "cv0-thermal", "cv1-thermal", "cv2-thermal", "soc0-thermal",
        "soc1-thermal", "soc2-thermal", "tj-thermal"), r.zones().stream().map(ThermalZone::name).toList());
    assertEquals(47.312, r.zone("cpu-thermal").orElseThrow().tempCelsius(), EPS);
    assertEquals(48.218, r.junctionTempCelsius().orElseThrow(), EPS);
    ThermalZone tj = r.zone("tj-thermal").orElseThrow();
    assertEquals(List.of(new TripPoint(0, "passive", 95.5), new TripPoint(1, "critical", 104.5)), tj.tripPoints());
    assertEquals(99.0, r.zone("cpu-thermal").orElseThrow().trip("passive").orElseThrow().tempCelsius(), EPS);
    assertEquals(List.of(), r.skippedZones());
  }

  @Test
  void orinNxJetPack5() {
    JetsonReading r = new JetsonSysfs(JetsonFixtures.root(JetsonFixtures.ORIN_NX_JP5)).read();
    assertEquals("hwmon", r.layout());
    assertEquals(Optional.of(OrinModule.ORIN_NX_16GB), r.board().module());
    assertEquals(List.of("VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"), r.rails().stream().map(PowerRail::name).toList());
    rail(r.rails().get(0), "VDD_IN", 5.008, 1.472);
    rail(r.rails().get(1), "VDD_CPU_GPU_CV", 5.008, 0.392);
    rail(r.rails().get(2), "VDD_SOC", 5.008, 0.776);
    // VDD_IN is the module's whole input: not added to the others.
    assertEquals(5.008 * 1.472, r.moduleInputWatts().orElseThrow(), 1e-12);
    assertEquals(10, r.zones().size());
    assertEquals(42.843, r.junctionTempCelsius().orElseThrow(), EPS); // Tj-therm, the JetPack 5 name
    assertEquals(-256.0, r.zone("CV0-therm").orElseThrow().tempCelsius(), EPS); // idle CV engine: reported as is
    assertEquals(100.0, r.zone("PMIC-Die").orElseThrow().tempCelsius(), EPS);
  }

  @Test
  void jetPack4IioLayout() {
    JetsonReading r = new JetsonSysfs(JetsonFixtures.root(JetsonFixtures.NANO_JP4_IIO)).read();
    assertEquals("iio", r.layout());
    assertEquals(Optional.empty(), r.board().module()); // a Nano (T210) is not an Orin
    assertTrue(r.board().jetson());
    assertEquals(3, r.rails().size());
    PowerRail in = r.rails().get(0);
    assertEquals("POM_5V_IN", in.name());
    assertEquals(5.072, in.volts(), EPS);
    assertEquals(1.440, in.amps(), EPS);
    assertEquals(7.304, in.watts(), EPS); // the monitor's own mW reading
    assertEquals(7.304, r.moduleInputWatts().orElseThrow(), EPS);
    assertEquals(List.of("AO-therm", "CPU-therm", "GPU-therm", "PLL-therm", "PMIC-Die", "thermal-fan-est"),
        r.zones().stream().map(ThermalZone::name).toList());
    // No Tj zone: the hottest CPU/GPU zone.
    assertEquals(34.0, r.junctionTempCelsius().orElseThrow(), EPS);
    assertEquals(List.of(new TripPoint(0, "active", 51.0), new TripPoint(1, "active", 61.0)),
        r.zone("thermal-fan-est").orElseThrow().tripPoints());
  }

  @Test
  void oddZonesAreSkippedNotFatal() {
    JetsonReading r = new JetsonSysfs(JetsonFixtures.root(JetsonFixtures.ODD_ZONES)).read();
    assertEquals(BoardModel.unknown(), r.board());
    assertFalse(r.board().jetson());
    // hwmon7, not hwmon3; channels without a voltage or with a garbled current are not read.
    assertEquals(1, r.rails().size());
    rail(r.rails().get(0), "VDD_IN", 4.960, 2.000);
    assertEquals(List.of(0, 9, 10), r.zones().stream().map(ThermalZone::index).toList());
    assertEquals(List.of("cpu-thermal", "soc2-thermal", "tj-thermal"), r.zones().stream().map(ThermalZone::name).toList());
    assertEquals(52.5, r.junctionTempCelsius().orElseThrow(), EPS);
    // The critical trip with a garbled temperature is dropped, the passive one kept.
    assertEquals(List.of(new TripPoint(0, "passive", 99.0)), r.zone("cpu-thermal").orElseThrow().tripPoints());
    List<String> skipped = r.skippedZones();
    assertEquals(5, skipped.size(), skipped.toString());
    assertTrue(skipped.get(0).startsWith("thermal_zone1 (gpu-thermal): temp not a number"), skipped.get(0));
    assertEquals("thermal_zone2 (cv0-thermal): temp missing", skipped.get(1));
    assertTrue(skipped.get(2).startsWith("thermal_zone3 (soc0-thermal): temp unreadable"), skipped.get(2));
    assertEquals("thermal_zone4: type unreadable", skipped.get(3));
    assertEquals("thermal_zone5 (soc1-thermal): temp not a number: N/A", skipped.get(4));
  }

  @Test
  void emptyRootReadsNothing(@TempDir Path empty) {
    JetsonReading r = new JetsonSysfs(empty).read();
    assertEquals("none", r.layout());
    assertEquals(List.of(), r.rails());
    assertEquals(List.of(), r.zones());
    assertEquals(Optional.empty(), r.moduleInputWatts());
    assertEquals(Optional.empty(), r.junctionTempCelsius());
  }

  @Test
  void compatibleIsNulSeparated() {
    byte[] raw = "nvidia,p3768-0000+p3767-0001\0nvidia,p3767-0001\0nvidia,tegra234\0".getBytes(StandardCharsets.UTF_8);
    BoardModel b = BoardModel.parse(raw, null);
    assertEquals(List.of("nvidia,p3768-0000+p3767-0001", "nvidia,p3767-0001", "nvidia,tegra234"), b.compatible());
    assertEquals(Optional.of(OrinModule.ORIN_NX_8GB), b.module());
    assertEquals("", b.model());
    assertEquals(Optional.of(OrinModule.AGX_ORIN_32GB),
        BoardModel.parse("nvidia,p3737-0000+p3701-0004\0".getBytes(StandardCharsets.UTF_8), null).module());
    assertEquals(Optional.of(OrinModule.ORIN_NANO_8GB),
        BoardModel.parse("nvidia,p3768-0000+p3767-0003\0".getBytes(StandardCharsets.UTF_8), null).module());
  }

  @Test
  void railLabelsAndMillidegrees() {
    assertFalse(JetsonSysfs.isRailName("NC"));
    assertFalse(JetsonSysfs.isRailName("sum of shunt voltages"));
    assertFalse(JetsonSysfs.isRailName(" "));
    assertTrue(JetsonSysfs.isRailName("VDD_IN"));
    assertEquals(Optional.of(-0.5), JetsonSysfs.parseMilliCelsius("-500\n"));
    assertEquals(Optional.empty(), JetsonSysfs.parseMilliCelsius("45.5"));
    assertEquals(Optional.empty(), JetsonSysfs.parseMilliCelsius("!missing"));
  }

  private static void rail(PowerRail r, String name, double volts, double amps) {
    assertEquals(name, r.name());
    assertEquals(volts, r.volts(), EPS);
    assertEquals(amps, r.amps(), EPS);
    assertEquals(volts * amps, r.watts(), 1e-12);
  }
}
