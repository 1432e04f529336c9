package org.soos.scheduler.coordinator;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * One orbital plane at a glance, as its coordinator publishes it into the plane directory
 * ({@link PlaneDirectory}). Counts and totals other than {@code tileCount} and {@code staleCount} cover
 * the live (non-stale) TILEs only: a silent TILE's last numbers are not capacity anyone can use.
 *
 * @param planeId the plane
 * @param tileCount TILEs that have reported to this coordinator, stale ones included
 * @param staleCount TILEs silent for longer than the stale threshold
 * @param sunlitCount live TILEs in full Sun
 * @param eclipsedCount live TILEs in penumbra or umbra
 * @param totalSolarInputWatts sum of the live TILEs' solar input, W
 * @param totalComputeBudgetWatts sum of the live TILEs' compute power budget, W
 * @param meanBatteryStateOfChargePercent mean battery state of charge of the live TILEs, %; null when none is live
 * @param maxJunctionTempCelsius hottest Orin junction among the live TILEs, degrees C; null when none is live
 * @param freeOrinCount Orins of live TILEs not shedding load that are nominal and run no job: where new work can go
 * @param pendingJobCount jobs waiting in this plane's queue for an Orin
 * @param tileIds every TILE of the plane, sorted
 * @param updatedAt wall-clock instant of this summary
 * @param simTime simulated instant of this summary
 */
public record PlaneSummary(
    PlaneId planeId,
    int tileCount,
    int staleCount,
    int sunlitCount,
    int eclipsedCount,
    double totalSolarInputWatts,
    double totalComputeBudgetWatts,
    Double meanBatteryStateOfChargePercent,
    Double maxJunctionTempCelsius,
    int freeOrinCount,
    int pendingJobCount,
    List<TileId> tileIds,
    Instant updatedAt,
    Instant simTime)
    implements CborSerializable {

  public PlaneSummary {
    tileIds = List.copyOf(tileIds);
  }

  /** Summarises {@code tiles} (views already carrying their stale flag), with an empty job queue. */
  public static PlaneSummary of(PlaneId planeId, Collection<TileView> tiles, Instant updatedAt, Instant simTime) {
    return of(planeId, tiles, 0, updatedAt, simTime);
  }

  /**
   * Summarises {@code tiles} (views already carrying their stale flag) and a queue of
   * {@code pendingJobCount} jobs.
   */
  public static PlaneSummary of(PlaneId planeId, Collection<TileView> tiles, int pendingJobCount, Instant updatedAt,
      Instant simTime) {
    int stale = 0;
    int sunlit = 0;
    int eclipsed = 0;
    int live = 0;
    double solarWatts = 0;
    double budgetWatts = 0;
    double socSum = 0;
    double maxJunction = Double.NEGATIVE_INFINITY;
    int freeOrins = 0;
    for (TileView view : tiles) {
      if (view.stale()) {
        stale++;
        continue;
      }
      live++;
      if (view.report().eclipseState() == EclipseState.SUNLIT) sunlit++;
      else eclipsed++;
      solarWatts += view.report().solarInputWatts();
      budgetWatts += view.report().computeBudgetWatts();
      socSum += view.report().batteryStateOfChargePercent();
      maxJunction = Math.max(maxJunction, view.report().maxJunctionTempCelsius());
      if (!view.report().shedding()) freeOrins += freeOrins(view.report());
    }
    List<TileId> ids = tiles.stream().map(TileView::tileId).sorted(Comparator.naturalOrder()).toList();
    return new PlaneSummary(planeId, tiles.size(), stale, sunlit, eclipsed, solarWatts, budgetWatts,
        live == 0 ? null : socSum / live, live == 0 ? null : maxJunction, freeOrins, pendingJobCount, ids, updatedAt,
        simTime);
  }

  /** Orins of a report that are nominal and hold no running or checkpointing job. */
  static int freeOrins(TileReport report) {
    int free = 0;
    for (OrinReport orin : report.orins()) {
      if (orin.health() != OrinReport.OrinHealth.NOMINAL) continue;
      boolean busy = false;
      for (JobProgress job : orin.jobs()) {
        if (job.state() == JobProgress.JobRunState.RUNNING || job.state() == JobProgress.JobRunState.CHECKPOINTING) {
          busy = true;
        }
      }
      if (!busy) free++;
    }
    return free;
  }
}
