package org.soos.shared.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class TileSpecTest {

  @Test
  void referenceConfigDescribesTheDefaultTile() {
    Config root = ConfigFactory.load(ConfigFactory.empty());
    assertEquals(TileSpec.defaults(), TileSpec.fromConfig(root));
    assertEquals(TileInitialConditions.defaults(), TileInitialConditions.fromConfig(root));
  }

  @Test
  void defaultTileCannotCarryFullLoadThroughAnEclipseOnItsBatteryAlone() {
    TileSpec spec = TileSpec.defaults();
    double fullLoadWatts = spec.maxOrinDrawWatts() + spec.housekeepingWatts();
    assertEquals(260.0, fullLoadWatts, 1e-9);
    double eclipseNeedWh = fullLoadWatts * 35.6 / 60.0 / spec.battery().dischargeEfficiency();
    assertTrue(eclipseNeedWh > spec.battery().usableWh(), "need " + eclipseNeedWh + " Wh");
    assertTrue(eclipseNeedWh < 1.2 * spec.battery().usableWh(), "need " + eclipseNeedWh + " Wh");
  }

  @Test
  void badValueIsReportedWithItsConfigKey() {
    Config root = ConfigFactory.parseString("soos.tile.battery.charge-efficiency = 1.5")
        .withFallback(ConfigFactory.load(ConfigFactory.empty()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileSpec.fromConfig(root));
    assertTrue(e.getMessage().contains("soos.tile") && e.getMessage().contains("battery.charge-efficiency"),
        e.getMessage());
  }

  @Test
  void unknownOrinModuleIsReportedWithItsIndex() {
    Config root = ConfigFactory.parseString("soos.tile.orins = [AGX_ORIN_64GB, XAVIER]")
        .withFallback(ConfigFactory.load(ConfigFactory.empty()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileSpec.fromConfig(root));
    assertTrue(e.getMessage().contains("soos.tile.orins[1]"), e.getMessage());
  }
}
