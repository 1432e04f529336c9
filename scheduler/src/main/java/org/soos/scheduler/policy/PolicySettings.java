package org.soos.scheduler.policy;

import java.time.Duration;

/**
 * Tunables of the scheduling policies. Every number has a unit in its name; defaults suit the
 * reference TILE (1 m^2 array, four AGX Orin 64GB, ~150 Wh above the battery reserve).
 *
 * @param throttleTempCelsius junction temperature at which an Orin throttles itself
 * @param thermalMarginCelsius the band around the throttle temperature the SOOS policy plans with: work
 *     runs at full speed where the junction settles under throttle minus margin, may start in a slower mode
 *     up to throttle plus margin (the Orin's guard trims it), moves away once heading past throttle minus
 *     half the margin and is throttled ahead of the guard past throttle plus half the margin
 * @param junctionToPlateKelvinPerWatt junction rise over the plate per watt of Orin draw (steady state)
 * @param batteryMarginWh energy kept above the reserve floor in forecasts
 * @param chargeEfficiency battery charge efficiency used when replaying a forecast with extra load
 * @param dischargeEfficiency battery discharge efficiency used likewise
 * @param forecastHorizon how far ahead energy is checked (at most what the TILE forecasts)
 * @param migrationLead how long before a predicted shortfall or limit a migration must start,
 *     besides checkpoint transfer time
 * @param minResidence hysteresis: a job stays at least this long on a TILE after a placement,
 *     unless the TILE is in an emergency
 * @param maxMigrationsPerDecision rate limit: migrations started per decision round per plane
 * @param inPlaneLinkBitsPerSecond inter-satellite link bandwidth between TILEs of one plane
 * @param crossPlaneLinkBitsPerSecond link bandwidth between planes
 * @param linkPowerWatts power a TILE spends sending a checkpoint
 * @param maxReportAge a TILE whose last report is older than this (simulated time) gets no work
 */
public record PolicySettings(
    double throttleTempCelsius,
    double thermalMarginCelsius,
    double junctionToPlateKelvinPerWatt,
    double batteryMarginWh,
    double chargeEfficiency,
    double dischargeEfficiency,
    Duration forecastHorizon,
    Duration migrationLead,
    Duration minResidence,
    int maxMigrationsPerDecision,
    double inPlaneLinkBitsPerSecond,
    double crossPlaneLinkBitsPerSecond,
    double linkPowerWatts,
    Duration maxReportAge) {

  public PolicySettings {
    requirePositive("junctionToPlateKelvinPerWatt", junctionToPlateKelvinPerWatt);
    requireFraction("chargeEfficiency", chargeEfficiency);
    requireFraction("dischargeEfficiency", dischargeEfficiency);
    requirePositive("inPlaneLinkBitsPerSecond", inPlaneLinkBitsPerSecond);
    requirePositive("crossPlaneLinkBitsPerSecond", crossPlaneLinkBitsPerSecond);
    if (thermalMarginCelsius < 0) throw new IllegalArgumentException("thermalMarginCelsius must be >= 0");
    if (batteryMarginWh < 0) throw new IllegalArgumentException("batteryMarginWh must be >= 0");
    if (maxMigrationsPerDecision < 0) throw new IllegalArgumentException("maxMigrationsPerDecision must be >= 0");
  }

  /** Defaults for the reference TILE. */
  public static PolicySettings defaults() {
    return new PolicySettings(
        95.0, 2.0, 0.5, 5.0, 0.95, 0.95,
        Duration.ofMinutes(190), Duration.ofMinutes(3), Duration.ofMinutes(10), 8,
        10e9, 1e9, 20.0, Duration.ofMinutes(5));
  }

  /** Seconds to move {@code bytes} over the link between two TILEs. */
  public double transferSeconds(long bytes, boolean samePlane) {
    double bps = samePlane ? inPlaneLinkBitsPerSecond : crossPlaneLinkBitsPerSecond;
    return bytes * 8.0 / bps;
  }

  private static void requirePositive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be > 0, got " + v);
  }

  private static void requireFraction(String name, double v) {
    if (!(v > 0 && v <= 1)) throw new IllegalArgumentException(name + " must be in (0, 1], got " + v);
  }
}
