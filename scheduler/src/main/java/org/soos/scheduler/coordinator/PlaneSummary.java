package org.soos.scheduler.coordinator;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;

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
    List<TileId> tileIds,
    Instant updatedAt,
    Instant simTime)
    implements CborSerializable {

  public PlaneSummary {
    tileIds = List.copyOf(tileIds);
  }

  /** Summarises {@code tiles} (views already carrying their stale flag). */
  public static PlaneSummary of(PlaneId planeId, Collection<TileView> tiles, Instant updatedAt, Instant simTime) {
    int stale = 0;
    int sunlit = 0;
    int eclipsed = 0;
    int live = 0;
    double solarWatts = 0;
    double budgetWatts = 0;
    double socSum = 0;
    double maxJunction = Double.NEGATIVE_INFINITY;
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
    }
    List<TileId> ids = tiles.stream().map(TileView::tileId).sorted(Comparator.naturalOrder()).toList();
    return new PlaneSummary(planeId, tiles.size(), stale, sunlit, eclipsed, solarWatts, budgetWatts,
        live == 0 ? null : socSum / live, live == 0 ? null : maxJunction, ids, updatedAt, simTime);
  }
}
