package org.soos.scheduler.policy;

import org.soos.shared.telemetry.TileReport;

/**
 * What a policy knows of one TILE: its latest report and the plate temperature trend.
 *
 * @param report the latest report
 * @param plateTrendCelsiusPerSecond d(plate temperature)/dt between the last two reports, degC per
 *     simulated second (0 when only one report is known)
 * @param healthy false when the TILE is stale, crash-looping or otherwise not to be given work
 */
public record TileView(TileReport report, double plateTrendCelsiusPerSecond, boolean healthy) {
  public static TileView of(TileReport report) {
    return new TileView(report, 0.0, true);
  }
}
