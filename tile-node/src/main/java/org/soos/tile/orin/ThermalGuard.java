package org.soos.tile.orin;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;

/**
 * An Orin's own thermal protection, deciding from its junction temperature alone (pure: time is a
 * parameter). Mirrors what Jetson firmware and nvpmodel do on a real board:
 * <ul>
 *   <li>above {@code throttleTempCelsius}: lower the power-mode ceiling one mode below the mode in
 *       force; again after each {@code dwell} while still above;
 *   <li>at or above {@code shutdownTempCelsius}: shut down (jobs checkpointed and stopped by the
 *       Orin server, module powered off);
 *   <li>shut down, once the junction is {@code throttleHysteresisKelvin} below the throttle point: power
 *       back on at the slowest mode (THROTTLED);
 *   <li>throttled, once the junction is {@code throttleHysteresisKelvin} below the throttle point: raise
 *       the ceiling one mode per {@code dwell}, until none is left (NOMINAL).
 * </ul>
 * Mutable; owned by one Orin server.
 */
public final class ThermalGuard {
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
  private final Duration dwell;
  private OrinHealth health = OrinHealth.NOMINAL;
  private PowerMode ceiling; // null: no thermal ceiling
  private Instant lastChange;

  public ThermalGuard(OrinModule module, ThermalSpec thermal, Duration dwell) {
    if (module == null) throw new IllegalArgumentException("module is required");
    if (thermal == null) throw new IllegalArgumentException("thermal is required");
    if (dwell == null || dwell.isNegative()) throw new IllegalArgumentException("dwell must be >= 0, got: " + dwell);
    this.module = module;
    this.thermal = thermal;
    this.dwell = dwell;
  }

  /**
   * Evaluates the junction temperature at {@code simTime}.
   *
   * @param simTime simulated instant of the reading
   * @param junctionTempCelsius junction temperature, degrees C
   * @param modeInForce the mode the module runs in now (below any ceiling)
   */
  public Action evaluate(Instant simTime, double junctionTempCelsius, PowerMode modeInForce) {
    boolean dwelt = lastChange == null || !simTime.isBefore(lastChange.plus(dwell));
    double release = thermal.throttleTempCelsius() - thermal.throttleHysteresisKelvin();
    if (health == OrinHealth.SHUTDOWN) {
      if (junctionTempCelsius <= release) {
        health = OrinHealth.THROTTLED;
        ceiling = module.minMode();
        lastChange = simTime;
        return Action.RECOVER;
      }
      return Action.NONE;
    }
    if (junctionTempCelsius >= thermal.shutdownTempCelsius()) {
      health = OrinHealth.SHUTDOWN;
      ceiling = module.minMode();
      lastChange = simTime;
      return Action.SHUTDOWN;
    }
    if (junctionTempCelsius > thermal.throttleTempCelsius()) {
      if (!dwelt) return Action.NONE;
      Optional<PowerMode> lower = module.nextLower(modeInForce);
      if (lower.isEmpty()) {
        if (health == OrinHealth.NOMINAL) {
          health = OrinHealth.THROTTLED;
          ceiling = modeInForce;
          lastChange = simTime;
          return Action.THROTTLE;
        }
        return Action.NONE;
      }
      ceiling = lower.get();
      health = OrinHealth.THROTTLED;
      lastChange = simTime;
      return Action.THROTTLE;
    }
    if (health == OrinHealth.THROTTLED && junctionTempCelsius <= release && dwelt) {
      Optional<PowerMode> higher = ceiling == null ? Optional.empty() : module.nextHigher(ceiling);
      lastChange = simTime;
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
