package org.soos.scheduler;

import akka.actor.typed.ActorSystem;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.scheduler.persistence.JournalSchema;
import org.soos.shared.runtime.ParentProcessWatch;
import org.soos.shared.runtime.PauseFence;
import org.soos.shared.time.ClockSettings;
import org.soos.shared.time.SimClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler-role JVM: reads config, applies the journal schema, starts the ActorSystem {@code soos}
 * with {@link SchedulerGuardian}, then Akka Management (cluster membership over HTTP). When started by
 * the launcher ({@code -Dsoos.parent-pid}), it terminates when the launcher exits. It exits when the
 * cluster downs it (SBR), and halts at once after a pause longer than the cluster tolerates
 * ({@link PauseFence}).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** Name of the ActorSystem of every SOOS JVM. */
  public static final String SYSTEM_NAME = "soos";

  private Main() {}

  public static void main(String[] args) {
    // H2's AUTO_SERVER listens for the other JVMs sharing the journal file: loopback only.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    try {
      // Once the ActorSystem has terminated (shutdown, or this node downed) the JVM exits.
      Config config =
          org.soos.shared.runtime.RoleConfig.load("scheduler", ConfigFactory.parseString("akka.coordinated-shutdown.exit-jvm = on"));
      // Frozen for longer than the cluster waits before downing it: halt before acting on a stale view.
      PauseFence.start(config, pause -> PauseFence.haltAfterPause("scheduler", pause));
      ActorSystem<Void> system = start(config);
      ParentProcessWatch.onParentExit(config, system::terminate);
    } catch (RuntimeException e) {
      log.error("SOOS scheduler failed to start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  /**
   * Starts the scheduler role on {@code config} (already loaded and resolved): validates the settings,
   * applies the journal DDL, creates the ActorSystem and starts Akka Management. Returns the running
   * system; the caller owns its termination.
   *
   * @throws IllegalArgumentException for bad configuration, naming the key
   * @throws IllegalStateException when the journal database cannot be prepared
   */
  public static ActorSystem<Void> start(Config config) {
    SchedulerSettings settings = SchedulerSettings.fromConfig(config);
    List<String> roles = config.getStringList("akka.cluster.roles");
    if (!roles.contains(SoosCoordinator.ROLE)) {
      throw new IllegalArgumentException("akka.cluster.roles must include \"" + SoosCoordinator.ROLE + "\", got: " + roles);
    }
    SimClock clock = ClockSettings.fromConfig(config, Instant.now()).clock();
    if (settings.journal().applySchema()) {
      JournalSchema.apply(settings.journal());
    }
    ActorSystem<Void> system = ActorSystem.create(SchedulerGuardian.create(settings, clock), SYSTEM_NAME, config);
    AkkaManagement.get(system).start().whenComplete((uri, failure) -> {
      if (failure != null) {
        log.error("Akka Management failed to start", failure);
      } else {
        log.info("Akka Management at {} (cluster membership: {}/cluster/members)", uri, uri);
      }
    });
    return system;
  }
}
