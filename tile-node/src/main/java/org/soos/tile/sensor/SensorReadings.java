package org.soos.tile.sensor;

import java.time.Instant;

/**
 * A TILE's power and thermal readings at one simulated (or real) instant.
 *
 * @param simTime the instant the readings describe (UTC)
 * @param sunlitFraction visible fraction of the solar disk, 0..1
 * @param solarInputWatts array output available, W
 * @param loadWatts electrical load demanded: housekeeping plus Orins, W
 * @param batteryEnergyWh stored energy, Wh
 * @param plateTempCelsius plate temperature, degrees C
 * @param junctionTempCelsius junction temperature per Orin slot, degrees C (do not modify)
 * @param payloadBrownout true when the payload bus was cut at some point since the previous readings
 * @param unmetWattHours load demanded but not served since the previous readings, Wh
 */
public record SensorReadings(
    Instant simTime,
    double sunlitFraction,
    double solarInputWatts,
    double loadWatts,
    double batteryEnergyWh,
    double plateTempCelsius,
    double[] junctionTempCelsius,
    boolean payloadBrownout,
    double unmetWattHours) {}
