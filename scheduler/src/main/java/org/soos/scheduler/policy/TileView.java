package org.soos.scheduler.policy;

import org.soos.shared.telemetry.TileReport;

/**
 * What a policy knows of one TILE: its latest report and the plate temperature trend.
 *
 * @param report the latest report
 * @param plateTrendCelsiusPerSecond d(plate temperature)/dt between the last two reports, degC per
 *     simulated second (0 when only one report is known)
 * @param healthy false when the TILE is stale, crash-looping or otherwise not to be given work
 * @param drained true when an operator drains the TILE: it gets no new work (placements, migration
 *     targets) and its migratable jobs are moved away with reason {@code drain}; jobs that cannot
 *     migrate are left to finish there
 */
public record TileView(TileReport report, double plateTrendCelsiusPerSecond, boolean healthy, boolean drained) {

  /** A TILE that is not drained. */
  public TileView(TileReport report, double plateTrendCelsiusPerSecond, boolean healthy) {
    this(report, plateTrendCelsiusPerSecond, healthy, false);
  }

  public static TileView of(TileReport report) {
    return new TileView(report, 0.0, true, false);
  }

  /** Whether the TILE may receive new work: healthy and not drained. */
  public boolean acceptsWork() {
    return healthy && !drained;
  }

  /** This view with {@code drained} set. */
  public TileView withDrained(boolean drained) {
    return new TileView(report, plateTrendCelsiusPerSecond, healthy, drained);
  }
}
