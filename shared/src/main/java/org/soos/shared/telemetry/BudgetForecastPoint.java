package org.soos.shared.telemetry;

import java.time.Instant;
import org.soos.shared.CborSerializable;

/**
 * One point of a TILE's power forecast along its orbit.
 *
 * @param at UTC instant
 * @param solarInputWatts predicted array output, watts
 * @param computeBudgetWatts power the TILE can give its Orins at that moment, watts
 * @param batteryEnergyWh predicted stored energy, watt-hours, if the current load continues
 */
public record BudgetForecastPoint(
    Instant at, double solarInputWatts, double computeBudgetWatts, double batteryEnergyWh)
    implements CborSerializable {}
