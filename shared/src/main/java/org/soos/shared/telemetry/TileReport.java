package org.soos.shared.telemetry;

import java.time.Instant;
import java.util.List;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseWindow;

/**
 * What a TILE tells its plane's coordinator every report interval, and at every shadow transition.
 * Field units follow the channel table ({@link Channels}).
 *
 * @param tileId the TILE
 * @param planeId its orbital plane
 * @param simTime simulated UTC instant the report describes
 * @param eclipseState sunlit, penumbra or umbra ({@code orb.eclipse})
 * @param sunlitFraction visible fraction of the solar disk, 0..1 ({@code orb.sunlit})
 * @param betaAngleDeg Sun elevation above the orbit plane, degrees ({@code orb.beta})
 * @param nextEclipses shadow passes ahead, at least two orbits
 * @param solarInputWatts array output now, W ({@code pwr.solarIn})
 * @param loadWatts total draw now: Orins plus housekeeping, W ({@code pwr.load})
 * @param batteryEnergyWh stored energy, Wh ({@code pwr.battEnergy})
 * @param batteryCapacityWh usable capacity, Wh
 * @param batteryReserveWh reserve floor the TILE sheds load at, Wh
 * @param batteryStateOfChargePercent state of charge, % ({@code pwr.battSoc})
 * @param computeBudgetWatts power available to the Orins now, W ({@code pwr.computeBudget})
 * @param forecast predicted solar input, compute budget and battery energy ahead
 * @param plateTempCelsius radiator plate temperature, degrees C ({@code therm.plate})
 * @param shedding true while the TILE is shedding load at the battery reserve floor
 * @param orins the four Orin servers
 */
public record TileReport(
    TileId tileId,
    PlaneId planeId,
    Instant simTime,
    EclipseState eclipseState,
    double sunlitFraction,
    double betaAngleDeg,
    List<EclipseWindow> nextEclipses,
    double solarInputWatts,
    double loadWatts,
    double batteryEnergyWh,
    double batteryCapacityWh,
    double batteryReserveWh,
    double batteryStateOfChargePercent,
    double computeBudgetWatts,
    List<BudgetForecastPoint> forecast,
    double plateTempCelsius,
    boolean shedding,
    List<OrinReport> orins)
    implements CborSerializable {

  /** Highest junction temperature of the TILE's Orins, degrees C. */
  public double maxJunctionTempCelsius() {
    return orins.stream().mapToDouble(OrinReport::junctionTempCelsius).max().orElse(plateTempCelsius);
  }
}
