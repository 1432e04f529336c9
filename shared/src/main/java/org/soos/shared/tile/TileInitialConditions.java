package org.soos.shared.tile;

import com.typesafe.config.Config;
import org.soos.shared.power.Checks;

/**
 * Where a TILE's simulated state starts.
 *
 * @param batteryStateOfChargePercent battery state of charge at the start, %, 0..100
 * @param plateTempCelsius plate temperature at the start (junctions start at the same), degrees C, -150..150
 */
public record TileInitialConditions(double batteryStateOfChargePercent, double plateTempCelsius) {
  public TileInitialConditions {
    Checks.range("initial.battery-soc-percent", batteryStateOfChargePercent, 0.0, 100.0);
    Checks.range("initial.plate-temp-celsius", plateTempCelsius, -150.0, 150.0);
  }

  /** Full battery, plate at 20 C. */
  public static TileInitialConditions defaults() {
    return new TileInitialConditions(100.0, 20.0);
  }

  /** Reads {@code soos.tile.initial} of {@code root}. */
  public static TileInitialConditions fromConfig(Config root) {
    Config c = root.getConfig("soos.tile.initial");
    try {
      return new TileInitialConditions(c.getDouble("battery-soc-percent"), c.getDouble("plate-temp-celsius"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("soos.tile." + e.getMessage(), e);
    }
  }
}
