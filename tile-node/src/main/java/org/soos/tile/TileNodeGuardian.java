package org.soos.tile;

import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import com.typesafe.config.Config;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.time.ClockSettings;
import org.soos.shared.tile.TileSpec;
import org.soos.tile.board.BoardNode;
import org.soos.tile.board.BoardSettings;
import org.soos.tile.exec.SimulatedExecutor;
import org.soos.tile.sensor.BoardTileSensors;
import org.soos.tile.sensor.TileSensors;
import org.soos.tile.sensor.SimulatedTileSensors;
import org.soos.tile.tile.EclipseSource;
import org.soos.tile.cluster.SchedulerWatch;
import org.soos.tile.tile.TileActor;

/**
 * Root of a tile-node ActorSystem. Starts the sharding proxy of the per-plane coordinators (the
 * coordinators themselves run on {@code scheduler} nodes), builds the constellation from
 * {@code soos.constellation}, picks this node's TILEs ({@code soos.tile-node}) and spawns one
 * {@link TileActor} {@code tile-<id>} each, supervised with restart, first ticks spread over one report
 * interval, and a {@link SchedulerWatch} that takes the node out of a cluster without schedulers. In board mode ({@code soos.tile-node.board}) it hosts the board's TILE only, with the board in
 * its slot ({@link BoardNode}). Holds no state of its own; it lives as long as the ActorSystem.
 */
public final class TileNodeGuardian {
  private TileNodeGuardian() {}

  /**
   * @param config the node's whole config
   * @param startedAt wall instant the JVM started (resolves {@code soos.clock} "now" and a zero anchor)
   */
  public static Behavior<Void> create(Config config, Instant startedAt) {
    return Behaviors.setup(ctx -> {
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      sharding.init(Entity.of(CoordinatorProtocol.ENTITY_KEY,
          entityContext -> Behaviors.<CoordinatorProtocol.Command>empty()).withRole("scheduler"));

      ctx.spawn(SchedulerWatch.create(config.getDuration("soos.tile-node.lost-schedulers-after")), "scheduler-watch");
      ClockSettings clockSettings = ClockSettings.fromConfig(config, startedAt);
      TileNodeSettings settings = TileNodeSettings.fromConfig(config);
      BoardSettings board = BoardSettings.fromConfig(config);
      List<TileOrbit> constellation = ConstellationSpec.fromConfig(config, clockSettings.simStart()).build();
      Executor predictions = ctx.getSystem().dispatchers()
          .lookup(DispatcherSelector.fromConfig(TileNodeSettings.PREDICTION_DISPATCHER));
      List<TileOrbit> mine;
      TileSpec spec = settings.spec();
      TileActor.Wiring wiring;
      TileSensors.Factory simulated = SimulatedTileSensors.factory(settings.initial(), settings.tile().maxSubStep());
      if (!board.enabled()) {
        mine = settings.select(constellation);
        wiring = new TileActor.Wiring(
            clockSettings.clock(),
            plane -> sharding.entityRefFor(CoordinatorProtocol.ENTITY_KEY, plane.value()),
            EclipseSource.orekit(),
            predictions,
            new SimulatedExecutor(),
            simulated);
      } else {
        BoardNode node = BoardNode.start(ctx, board, spec, constellation);
        mine = List.of(node.orbit());
        spec = node.spec();
        wiring = new TileActor.Wiring(
            clockSettings.clock(),
            plane -> sharding.entityRefFor(CoordinatorProtocol.ENTITY_KEY, plane.value()),
            board.orbit() == BoardSettings.OrbitSource.GROUND ? EclipseSource.alwaysSunlit() : EclipseSource.orekit(),
            predictions,
            new SimulatedExecutor(),
            BoardTileSensors.factory(simulated, node.sysfs(), board.slot(),
                board.power() == BoardSettings.PowerSource.MEASURED),
            new TileActor.BoardSlot(board.slot(), node.workloads(), node.powerControl()));
      }
      for (int k = 0; k < mine.size(); k++) {
        TileOrbit orbit = mine.get(k);
        ctx.spawn(Behaviors.supervise(TileActor.create(orbit, spec, settings.tile(), wiring,
                settings.firstTickDelay(k, mine.size())))
            .onFailure(SupervisorStrategy.restart()), "tile-" + orbit.tileId().value());
      }
      ctx.getLog().info("tile-node {} of {} hosts {} of the constellation's {} TILEs on {}: {}", settings.index(),
          settings.count(), mine.size(), constellation.size(), clockSettings.clock(),
          mine.stream().map(t -> t.tileId().value()).toList());
      return Behaviors.empty();
    });
  }
}
