package org.soos.shared.tile;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.power.BatterySpec;
import org.soos.shared.power.Checks;
import org.soos.shared.power.SolarArraySpec;
import org.soos.shared.thermal.ThermalSpec;

/**
 * Everything fixed about one TILE's hardware: array, battery, thermal design, its Orin modules (slot
 * order) and its housekeeping load.
 *
 * @param solar the solar array
 * @param battery the battery
 * @param thermal plate and junction thermal parameters
 * @param orins Orin module in each slot (slot = index), 1..64 entries
 * @param housekeepingWatts constant essential-bus load (avionics, radio, attitude control), W, &gt;= 0
 */
public record TileSpec(
    SolarArraySpec solar, BatterySpec battery, ThermalSpec thermal, List<OrinModule> orins,
    double housekeepingWatts) {

  /** Housekeeping load of the default TILE, W. */
  public static final double DEFAULT_HOUSEKEEPING_WATTS = 20.0;

  public TileSpec {
    if (solar == null) throw new IllegalArgumentException("solar is required");
    if (battery == null) throw new IllegalArgumentException("battery is required");
    if (thermal == null) throw new IllegalArgumentException("thermal is required");
    if (orins == null || orins.isEmpty() || orins.size() > 64) {
      throw new IllegalArgumentException("orins must list 1..64 Orin modules, got: " + orins);
    }
    for (int i = 0; i < orins.size(); i++) {
      if (orins.get(i) == null) throw new IllegalArgumentException("orins[" + i + "] is null");
    }
    orins = List.copyOf(orins);
    Checks.nonNegative("housekeeping-watts", housekeepingWatts);
  }

  /** The default TILE: 1 m^2 array, 200 Wh battery, default thermal design, 4 x AGX Orin 64GB, 20 W housekeeping. */
  public static TileSpec defaults() {
    return new TileSpec(SolarArraySpec.defaults(), BatterySpec.defaults(), ThermalSpec.defaults(),
        List.of(OrinModule.AGX_ORIN_64GB, OrinModule.AGX_ORIN_64GB, OrinModule.AGX_ORIN_64GB,
            OrinModule.AGX_ORIN_64GB),
        DEFAULT_HOUSEKEEPING_WATTS);
  }

  /** Reads the {@code soos.tile} block of {@code root} (see reference.conf). */
  public static TileSpec fromConfig(Config root) {
    Config c = root.getConfig("soos.tile");
    List<String> names = c.getStringList("orins");
    List<OrinModule> modules = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      try {
        modules.add(OrinModule.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("soos.tile.orins[" + i + "] must be one of "
            + List.of(OrinModule.values()) + ", got: " + name, e);
      }
    }
    try {
      return new TileSpec(
          SolarArraySpec.fromConfig(c.getConfig("solar")),
          BatterySpec.fromConfig(c.getConfig("battery")),
          ThermalSpec.fromConfig(c.getConfig("thermal")),
          modules,
          c.getDouble("housekeeping-watts"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("soos.tile: " + e.getMessage(), e);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("soos.tile: " + e.getMessage(), e);
    }
  }

  /** Number of Orin slots. */
  public int orinCount() {
    return orins.size();
  }

  /** Sum of the Orins' top-mode budgets, W: the most the payload bus can ever draw. */
  public double maxOrinDrawWatts() {
    double sum = 0.0;
    for (OrinModule m : orins) sum += OrinPowerModel.maxDrawWatts(m);
    return sum;
  }

  /** Sum of the Orins' idle draws, W. */
  public double idleOrinDrawWatts() {
    double sum = 0.0;
    for (OrinModule m : orins) sum += m.idleWatts();
    return sum;
  }
}
