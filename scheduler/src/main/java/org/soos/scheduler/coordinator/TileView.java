package org.soos.scheduler.coordinator;

import akka.actor.typed.ActorRef;
import java.time.Instant;
import java.util.List;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.TileId;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.TileReport;

/**
 * What a plane's coordinator knows about one TILE: its latest report and when it arrived.
 *
 * @param report the latest report (by simulated time)
 * @param tile where commands for the TILE go (from the report's sender)
 * @param receivedAt wall-clock instant the report arrived
 * @param receivedSimTime simulated instant the report arrived (the scheduler's {@code SimClock})
 * @param stale true when the TILE has been silent for longer than
 *     {@link CoordinatorSettings#staleAfter()} at the moment this view was taken, or is lost (silent for
 *     {@link CoordinatorSettings#lostAfter()}, or its tile-node left the cluster)
 * @param healthProblems why the TILE is unhealthy and gets no work (thermal or power emergency, crash
 *     loop; see {@link org.soos.scheduler.policy.TileHealth}); empty when it is healthy
 */
public record TileView(
    TileReport report, ActorRef<TileProtocol.Command> tile, Instant receivedAt, Instant receivedSimTime, boolean stale,
    List<String> healthProblems)
    implements CborSerializable {

  public TileView {
    healthProblems = healthProblems == null ? List.of() : List.copyOf(healthProblems);
  }

  /** A view of a healthy TILE. */
  public TileView(TileReport report, ActorRef<TileProtocol.Command> tile, Instant receivedAt, Instant receivedSimTime,
      boolean stale) {
    this(report, tile, receivedAt, receivedSimTime, stale, List.of());
  }

  /** True when the TILE may be given work (its health problems aside from staleness are none). */
  public boolean healthy() {
    return healthProblems.isEmpty();
  }

  /** The TILE's id. */
  public TileId tileId() {
    return report.tileId();
  }
}
