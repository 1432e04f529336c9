package org.soos.scheduler;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.scheduler.coordinator.TileDrains;
import org.soos.scheduler.http.SchedulerHttpServer;
import org.soos.scheduler.job.JobEntity;
import org.soos.shared.time.SimClock;

/**
 * Root of the scheduler role: starts sharding of the job entities (remember-entities: every job that
 * is not finished comes back after a crash) and of the plane coordinators on this node, then the HTTP
 * API. Holds no state of its own; stopping it stops the ActorSystem.
 */
public final class SchedulerGuardian {
  private SchedulerGuardian() {}

  public static Behavior<Void> create(SchedulerSettings settings, SimClock clock) {
    return Behaviors.setup(context -> {
      JobEntity.init(context.getSystem(), clock);
      TileDrains.init(context.getSystem());
      SoosCoordinator.init(context.getSystem(), settings.coordinator(), clock);
      SchedulerHttpServer.start(context.getSystem(), settings.http(), clock);
      context.getLog().info("Scheduler role started: run-dir {}, journal {}, clock {}",
          settings.runDir(), settings.journal().kind().configName(), clock);
      return Behaviors.empty();
    });
  }
}
