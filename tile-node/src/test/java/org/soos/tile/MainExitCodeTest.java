package org.soos.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.CoordinatedShutdown;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.soos.tile.cluster.SchedulerWatch;

/** A tile-node that was downed or lost its schedulers exits with a failure code, so systemd restarts it. */
class MainExitCodeTest {
  @Test
  void downedOrCutOffExitsWithTheRestartCode() {
    assertEquals(SchedulerWatch.EXIT_CODE, Main.exitCode(Optional.of(CoordinatedShutdown.clusterDowningReason())));
    assertEquals(SchedulerWatch.EXIT_CODE, Main.exitCode(Optional.of(SchedulerWatch.REASON)));
  }

  @Test
  void aStopThatWasAskedForExitsWithZero() {
    assertEquals(0, Main.exitCode(Optional.of(CoordinatedShutdown.jvmExitReason())));
    assertEquals(0, Main.exitCode(Optional.of(CoordinatedShutdown.clusterLeavingReason())));
    assertEquals(0, Main.exitCode(Optional.of(CoordinatedShutdown.unknownReason())));
    assertEquals(0, Main.exitCode(Optional.empty()));
  }
}
