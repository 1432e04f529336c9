package org.soos.scheduler.http;

import java.time.Instant;
import java.util.List;
import org.soos.scheduler.coordinator.TileView;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * One TILE in the HTTP API ({@code GET /v1/tiles}, {@code GET /v1/tiles/{id}}): every field of its
 * latest {@link TileReport} (same names and units), plus the hottest junction and how fresh the report
 * is. Instants are ISO-8601 UTC strings.
 *
 * @param maxJunctionTempCelsius hottest Orin junction of the TILE, degrees C
 * @param stale true when the TILE has been silent for longer than the stale threshold
 * @param receivedAt wall-clock instant the scheduler received the report
 * @param receivedSimTime simulated instant the scheduler received the report
 * @param healthy false while the TILE is in safe mode: thermal or power emergency, or crash-looping; it
 *     gets no new work
 * @param healthProblems why it is unhealthy, one line each; empty when healthy
 */
public record TileJson(
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
    double maxJunctionTempCelsius,
    boolean shedding,
    List<OrinReport> orins,
    boolean stale,
    Instant receivedAt,
    Instant receivedSimTime,
    boolean healthy,
    List<String> healthProblems) {

  /** The API view of a coordinator's {@link TileView}. */
  public static TileJson from(TileView view) {
    TileReport r = view.report();
    return new TileJson(
        r.tileId(),
        r.planeId(),
        r.simTime(),
        r.eclipseState(),
        r.sunlitFraction(),
        r.betaAngleDeg(),
        r.nextEclipses(),
        r.solarInputWatts(),
        r.loadWatts(),
        r.batteryEnergyWh(),
        r.batteryCapacityWh(),
        r.batteryReserveWh(),
        r.batteryStateOfChargePercent(),
        r.computeBudgetWatts(),
        r.forecast(),
        r.plateTempCelsius(),
        r.maxJunctionTempCelsius(),
        r.shedding(),
        r.orins(),
        view.stale(),
        view.receivedAt(),
        view.receivedSimTime(),
        view.healthy(),
        view.healthProblems());
  }
}
