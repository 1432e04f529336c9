package org.soos.tile.cluster;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Leaves the cluster when it has lost every scheduler ({@link SchedulerAbsence}): once a second it reads
 * this member's view of the cluster; when no {@code scheduler} member has been up and reachable for
 * {@code soos.tile-node.lost-schedulers-after}, it runs coordinated shutdown with {@link #REASON}, and
 * {@link org.soos.tile.Main} exits with {@link #EXIT_CODE} so that the supervisor (systemd, {@code soos up})
 * starts it again and it joins the schedulers' cluster through its seeds.
 *
 * <p>Owns: the absence clock. Loses on restart: the clock (it starts again unarmed until a scheduler is
 * seen, which delays a decision by at most one limit).
 */
public final class SchedulerWatch {
  /** Why the node shut itself down: the schedulers' cluster is not this one any more. */
  public static final CoordinatedShutdown.Reason REASON = new CoordinatedShutdown.Reason() {
    @Override
    public String toString() {
      return "LostSchedulersReason";
    }
  };
  /** Exit code of a tile-node that was downed or lost every scheduler (EX_UNAVAILABLE): restart it. */
  public static final int EXIT_CODE = 69;

  private SchedulerWatch() {}

  private enum Tick { INSTANCE }

  public static Behavior<Object> create(Duration limit) {
    return Behaviors.setup(ctx -> {
      SchedulerAbsence absence = new SchedulerAbsence(limit);
      Cluster cluster = Cluster.get(ctx.getSystem());
      return Behaviors.withTimers(timers -> {
        timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofSeconds(1));
        return Behaviors.receiveMessage(msg -> {
          var state = cluster.state();
          Set<Member> unreachable = StreamSupport.stream(state.getUnreachable().spliterator(), false)
              .collect(Collectors.toSet());
          boolean reachable = StreamSupport.stream(state.getMembers().spliterator(), false)
              .anyMatch(m -> m.hasRole("scheduler") && m.status() == MemberStatus.up() && !unreachable.contains(m));
          long now = System.nanoTime() / 1_000_000;
          if (absence.observe(reachable, now)) {
            ctx.getLog().error("no scheduler reachable in this node's cluster for {} s (members: {}): leaving, to be"
                + " started again and join the schedulers' cluster", absence.absentMillis(now) / 1000, state.getMembers());
            CoordinatedShutdown.get(ctx.getSystem()).runAll(REASON);
            return Behaviors.stopped();
          }
          return Behaviors.same();
        });
      });
    });
  }
}
