package org.soos.shared.orin;

import java.util.Optional;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;

/**
 * An Orin's own thermal protection, deciding from its junction temperature alone. Mirrors what Jetson
 * firmware and nvpmodel do on a real board:
 * <ul>
 *   <li>above {@code throttleTempCelsius}: lower the power-mode ceiling one mode below the mode in
 *       force; again after each dwell while still above;
 *   <li>at or above {@code shutdownTempCelsius}: shut down (jobs checkpointed and stopped, module
 *       powered off);
 *   <li>shut down, once the junction is {@code throttleHysteresisKelvin} below the throttle point: power
 *       back on at the slowest mode (THROTTLED);
 *   <li>throttled, once the junction is {@code throttleHysteresisKelvin} below the throttle point: raise
 *       the ceiling one mode per dwell, until none is left (NOMINAL).
 * </ul>
 *
 * <p>One set of rules for the tile-node's Orin server and the scheduler's simulator. No clock and no
 * time type: the caller keeps the time of the last change in its own time base and says whether the
 * dwell has passed since then ({@code dwelt}); every action other than {@link Action#NONE} is a change.
 * Mutable; owned by one Orin.
 */
public final class ThermalGuardRules {
  /** What the guard did on an evaluation. */
  public enum Action {
    NONE,
    /** The ceiling went down one mode. */
    THROTTLE,
    /** The ceiling went up one mode (or was lifted). */
    RELEASE,
    /** Shutdown temperature reached. */
    SHUTDOWN,
    /** Cooled down after a shutdown: powered on at the slowest mode. */
    RECOVER
  }

  private final OrinModule module;
  private final ThermalSpec thermal;
  private OrinHealth health = OrinHealth.NOMINAL;
  private PowerMode ceiling; // null: no thermal ceiling

  public ThermalGuardRules(OrinModule module, ThermalSpec thermal) {
    if (module == null) throw new IllegalArgumentException("module is required");
    if (thermal == null) throw new IllegalArgumentException("thermal is required");
    this.module = module;
    this.thermal = thermal;
  }

  /**
   * Evaluates one junction temperature reading.
   *
   * @param junctionTempCelsius junction temperature, degrees C
   * @param modeInForce the mode the module runs in now (below any ceiling)
   * @param dwelt whether the dwell has passed since the last change (true before the first)
   * @return what changed; anything but {@link Action#NONE} starts a new dwell
   */
  public Action evaluate(double junctionTempCelsius, PowerMode modeInForce, boolean dwelt) {
    double release = thermal.throttleTempCelsius() - thermal.throttleHysteresisKelvin();
    if (health == OrinHealth.SHUTDOWN) {
      if (junctionTempCelsius <= release) {
        health = OrinHealth.THROTTLED;
        ceiling = module.minMode();
        return Action.RECOVER;
      }
      return Action.NONE;
    }
    if (junctionTempCelsius >= thermal.shutdownTempCelsius()) {
      health = OrinHealth.SHUTDOWN;
      ceiling = module.minMode();
      return Action.SHUTDOWN;
    }
    if (junctionTempCelsius > thermal.throttleTempCelsius()) {
      if (!dwelt) return Action.NONE;
      Optional<PowerMode> lower = module.nextLower(modeInForce);
      if (lower.isEmpty()) {
        if (health == OrinHealth.NOMINAL) {
          health = OrinHealth.THROTTLED;
          ceiling = modeInForce;
          return Action.THROTTLE;
        }
        return Action.NONE;
      }
      ceiling = lower.get();
      health = OrinHealth.THROTTLED;
      return Action.THROTTLE;
    }
    if (health == OrinHealth.THROTTLED && junctionTempCelsius <= release && dwelt) {
      Optional<PowerMode> higher = ceiling == null ? Optional.empty() : module.nextHigher(ceiling);
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

  /** NOMINAL, THROTTLED or SHUTDOWN. */
  public OrinHealth health() {
    return health;
  }

  /** The thermal power-mode ceiling, if any. */
  public Optional<PowerMode> ceiling() {
    return Optional.ofNullable(ceiling);
  }

  /** True while shut down: the module is off and takes no jobs. */
  public boolean shutDown() {
    return health == OrinHealth.SHUTDOWN;
  }
}
