package org.soos.shared.telemetry;

import java.util.List;
import org.soos.shared.CborSerializable;
import org.soos.shared.orin.OrinModule;

/**
 * One Orin server's telemetry inside a {@link TileReport}.
 *
 * @param slot 0-based slot in the TILE
 * @param module the Orin module type
 * @param powerModeId nvpmodel id of the current power mode
 * @param powerModeName nvpmodel name of the current power mode
 * @param drawWatts electrical draw now, watts (channel {@code orin.draw})
 * @param junctionTempCelsius GPU/CPU junction temperature, degrees Celsius (channel {@code therm.junction})
 * @param health nominal, throttled by its thermal guard, or shut down by it
 * @param jobs the jobs it holds
 */
public record OrinReport(
    int slot,
    OrinModule module,
    int powerModeId,
    String powerModeName,
    double drawWatts,
    double junctionTempCelsius,
    OrinHealth health,
    List<JobProgress> jobs)
    implements CborSerializable {

  /** What the Orin's own thermal guard has done. */
  public enum OrinHealth {
    NOMINAL,
    /** Above the throttle temperature: the guard lowered the power mode. */
    THROTTLED,
    /** Reached the shutdown temperature: jobs checkpointed and stopped until it cools down. */
    SHUTDOWN
  }
}
