package org.soos.tile.orin;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.orin.ThermalGuardRules;
import org.soos.shared.orin.ThermalGuardRules.Action;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;

/**
 * An Orin server's thermal protection on simulated time: the {@link ThermalGuardRules} (throttle,
 * shutdown, hysteresis; the same rules the scheduler's simulator runs) with the dwell between two
 * changes measured on the server's {@link Instant}s (time is a parameter; no clock is read).
 * Mutable; owned by one Orin server.
 */
public final class ThermalGuard {
  private final ThermalGuardRules rules;
  private final Duration dwell;
  private Instant lastChange; // null: no change yet

  public ThermalGuard(OrinModule module, ThermalSpec thermal, Duration dwell) {
    if (dwell == null || dwell.isNegative()) throw new IllegalArgumentException("dwell must be >= 0, got: " + dwell);
    this.rules = new ThermalGuardRules(module, thermal);
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
    Action action = rules.evaluate(junctionTempCelsius, modeInForce, dwelt);
    if (action != Action.NONE) lastChange = simTime;
    return action;
  }

  /** NOMINAL, THROTTLED or SHUTDOWN. */
  public OrinHealth health() {
    return rules.health();
  }

  /** The thermal power-mode ceiling, if any. */
  public Optional<PowerMode> ceiling() {
    return rules.ceiling();
  }

  /** True while shut down: the module is off and takes no jobs. */
  public boolean shutDown() {
    return rules.shutDown();
  }
}
