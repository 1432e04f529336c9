package org.soos.scheduler.sim;

import java.util.Optional;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;

/**
 * An Orin's own thermal protection in the simulator: the same rules as the tile-node's
 * {@code org.soos.tile.orin.ThermalGuard} (the Jetson firmware and nvpmodel behaviour), with time in
 * seconds from the scenario start:
 * <ul>
 *   <li>above the throttle temperature: lower the mode ceiling one mode below the mode in force; again after
 *       each dwell while still above;
 *   <li>at or above the shutdown temperature: shut down (jobs checkpointed and stopped, module off);
 *   <li>shut down, once throttle minus hysteresis is reached: power on at the slowest mode (throttled);
 *   <li>throttled, at or below throttle minus hysteresis: raise the ceiling one mode per dwell until none is left.
 * </ul>
 */
final class OrinGuard {
  enum Action { NONE, THROTTLE, RELEASE, SHUTDOWN, RECOVER }

  private final OrinModule module;
  private final ThermalSpec thermal;
  private final double dwellSeconds;
  private OrinHealth health = OrinHealth.NOMINAL;
  private PowerMode ceiling;
  private double lastChange = Double.NEGATIVE_INFINITY;

  OrinGuard(OrinModule module, ThermalSpec thermal, double dwellSeconds) {
    this.module = module;
    this.thermal = thermal;
    this.dwellSeconds = dwellSeconds;
  }

  Action evaluate(double t, double junctionTempCelsius, PowerMode modeInForce) {
    boolean dwelt = t >= lastChange + dwellSeconds;
    double release = thermal.throttleTempCelsius() - thermal.throttleHysteresisKelvin();
    if (health == OrinHealth.SHUTDOWN) {
      if (junctionTempCelsius <= release) {
        health = OrinHealth.THROTTLED;
        ceiling = module.minMode();
        lastChange = t;
        return Action.RECOVER;
      }
      return Action.NONE;
    }
    if (junctionTempCelsius >= thermal.shutdownTempCelsius()) {
      health = OrinHealth.SHUTDOWN;
      ceiling = module.minMode();
      lastChange = t;
      return Action.SHUTDOWN;
    }
    if (junctionTempCelsius > thermal.throttleTempCelsius()) {
      if (!dwelt) return Action.NONE;
      Optional<PowerMode> lower = module.nextLower(modeInForce);
      if (lower.isEmpty()) {
        if (health == OrinHealth.NOMINAL) {
          health = OrinHealth.THROTTLED;
          ceiling = modeInForce;
          lastChange = t;
          return Action.THROTTLE;
        }
        return Action.NONE;
      }
      ceiling = lower.get();
      health = OrinHealth.THROTTLED;
      lastChange = t;
      return Action.THROTTLE;
    }
    if (health == OrinHealth.THROTTLED && junctionTempCelsius <= release && dwelt) {
      Optional<PowerMode> higher = ceiling == null ? Optional.empty() : module.nextHigher(ceiling);
      lastChange = t;
      if (higher.isEmpty()) {
        ceiling = null;
        health = OrinHealth.NOMINAL;
      } else {
        ceiling = higher.get();
      }
      return Action.RELEASE;
    }
    return Action.NONE;
  }

  OrinHealth health() {
    return health;
  }

  PowerMode ceiling() {
    return ceiling;
  }

  boolean shutDown() {
    return health == OrinHealth.SHUTDOWN;
  }
}
