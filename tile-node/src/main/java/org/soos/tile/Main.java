package org.soos.tile;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.soos.shared.runtime.ParentProcessWatch;
import org.soos.shared.runtime.PauseFence;
import org.soos.tile.cluster.SchedulerWatch;

/**
 * Starts a tile-node JVM: the ActorSystem {@code soos} with role {@code tile-node}, hosting the TILEs
 * chosen by {@code soos.tile-node} (see {@link TileNodeGuardian}). Config: {@code tile-node.conf} (see {@link org.soos.shared.runtime.RoleConfig}),
 * {@code -D} properties and {@code SOOS_*} environment variables. The JVM exits once its ActorSystem has
 * terminated: with code 0 when it was asked to stop, {@link SchedulerWatch#EXIT_CODE} when the cluster
 * downed it or it lost every scheduler ({@link SchedulerWatch}), so that its supervisor starts it again; it halts at once after a pause longer than the cluster
 * tolerates ({@link PauseFence}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Instant startedAt = Instant.now();
    Config config = withTileNodeRole(org.soos.shared.runtime.RoleConfig.load("tile-node"));
    // Frozen for longer than the cluster waits before downing it: halt before the Orins run stale epochs on.
    PauseFence.start(config, pause -> PauseFence.haltAfterPause("tile-node", pause));
    ActorSystem<Void> system = ActorSystem.create(TileNodeGuardian.create(config, startedAt), "soos", config);
    ParentProcessWatch.onParentExit(config, system::terminate);
    system.getWhenTerminated().toCompletableFuture().join();
    System.exit(exitCode(akka.actor.CoordinatedShutdown.get(system).getShutdownReason()));
  }

  /**
   * The JVM's exit code after its ActorSystem terminated: {@link SchedulerWatch#EXIT_CODE} when the cluster
   * downed this node or it lost every scheduler (a supervisor that restarts on failure, systemd's
   * {@code Restart=on-failure}, then starts it again and it joins anew); 0 for a stop that was asked for
   * (SIGTERM, the parent process gone).
   */
  static int exitCode(java.util.Optional<akka.actor.CoordinatedShutdown.Reason> reason) {
    if (reason.isEmpty()) return 0;
    akka.actor.CoordinatedShutdown.Reason r = reason.get();
    return r == akka.actor.CoordinatedShutdown.clusterDowningReason() || r == SchedulerWatch.REASON
        ? SchedulerWatch.EXIT_CODE : 0;
  }

  /**
   * The config with {@code tile-node} among {@code akka.cluster.roles}.
   *
   * @throws IllegalArgumentException when the roles include {@code scheduler}: a tile-node only proxies
   *     the coordinators and would swallow their messages
   */
  static Config withTileNodeRole(Config config) {
    List<String> roles = new ArrayList<>(config.getStringList("akka.cluster.roles"));
    if (roles.contains("scheduler")) {
      throw new IllegalArgumentException("akka.cluster.roles of a tile-node must not include scheduler, got: " + roles);
    }
    if (roles.contains("tile-node")) return config;
    roles.add("tile-node");
    return config.withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles));
  }
}
