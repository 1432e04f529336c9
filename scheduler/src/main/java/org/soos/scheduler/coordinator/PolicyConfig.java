package org.soos.scheduler.coordinator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Set;
import java.util.TreeSet;
import org.soos.scheduler.policy.PolicySettings;

/**
 * Reads the {@code soos.scheduler.policy} block into {@link PolicySettings} (the pure policy package
 * knows nothing of config). Every key is optional: a missing key keeps {@link PolicySettings#defaults()};
 * an unknown key (a typo) is an error naming it.
 */
public final class PolicyConfig {
  /** Where the block lives in the root config. */
  public static final String PATH = "soos.scheduler.policy";

  /** Every key the block may hold. */
  public static final Set<String> KEYS = Set.of("throttle-temp-celsius", "thermal-margin-celsius",
      "junction-to-plate-kelvin-per-watt", "battery-margin-wh", "charge-efficiency", "discharge-efficiency",
      "forecast-horizon", "migration-lead", "min-residence", "max-migrations-per-decision",
      "in-plane-link-bits-per-second", "cross-plane-link-bits-per-second", "link-power-watts", "max-report-age");

  private PolicyConfig() {}

  /**
   * The policy settings from {@code root}.
   *
   * @throws IllegalArgumentException naming the key when a value is malformed or out of range
   */
  public static PolicySettings fromConfig(Config root) {
    PolicySettings d = PolicySettings.defaults();
    if (!root.hasPath(PATH)) return d;
    Config c = root.getConfig(PATH);
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(PATH + "." + key + " is not a policy setting; known: " + new TreeSet<>(KEYS));
      }
    }
    try {
      return new PolicySettings(
          c.hasPath("throttle-temp-celsius") ? c.getDouble("throttle-temp-celsius") : d.throttleTempCelsius(),
          c.hasPath("thermal-margin-celsius") ? c.getDouble("thermal-margin-celsius") : d.thermalMarginCelsius(),
          c.hasPath("junction-to-plate-kelvin-per-watt")
              ? c.getDouble("junction-to-plate-kelvin-per-watt") : d.junctionToPlateKelvinPerWatt(),
          c.hasPath("battery-margin-wh") ? c.getDouble("battery-margin-wh") : d.batteryMarginWh(),
          c.hasPath("charge-efficiency") ? c.getDouble("charge-efficiency") : d.chargeEfficiency(),
          c.hasPath("discharge-efficiency") ? c.getDouble("discharge-efficiency") : d.dischargeEfficiency(),
          c.hasPath("forecast-horizon") ? c.getDuration("forecast-horizon") : d.forecastHorizon(),
          c.hasPath("migration-lead") ? c.getDuration("migration-lead") : d.migrationLead(),
          c.hasPath("min-residence") ? c.getDuration("min-residence") : d.minResidence(),
          c.hasPath("max-migrations-per-decision")
              ? c.getInt("max-migrations-per-decision") : d.maxMigrationsPerDecision(),
          c.hasPath("in-plane-link-bits-per-second")
              ? c.getDouble("in-plane-link-bits-per-second") : d.inPlaneLinkBitsPerSecond(),
          c.hasPath("cross-plane-link-bits-per-second")
              ? c.getDouble("cross-plane-link-bits-per-second") : d.crossPlaneLinkBitsPerSecond(),
          c.hasPath("link-power-watts") ? c.getDouble("link-power-watts") : d.linkPowerWatts(),
          c.hasPath("max-report-age") ? c.getDuration("max-report-age") : d.maxReportAge());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad " + PATH + " configuration: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PATH + ": " + e.getMessage(), e);
    }
  }
}
