package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Killing, stopping and restarting single children of a {@link LocalConstellation}, on {@link FakeNodeMain}s. */
class LocalConstellationFaultsTest {
  @TempDir Path runDir;

  private LocalConstellation fakeConstellation() {
    return LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(FreePorts.block(3))
        .httpPort(FreePorts.block(1))
        .managementPortBase(FreePorts.block(3))
        .tileNodes(2)
        .heap("64m")
        .stopGrace(Duration.ofSeconds(10))
        .schedulerMainClass(FakeNodeMain.class.getName())
        .tileNodeMainClass(FakeNodeMain.class.getName())
        .systemProperty("fake.tiles", "2")
        .build();
  }

  private static boolean eventuallyContains(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) return true;
      Thread.sleep(100);
    }
    return false;
  }

  @Test
  @Timeout(90)
  void aKilledChildIsNotReportedAsCrashedAndStartsAgainWithItsLogContinued() throws Exception {
    try (LocalConstellation local = fakeConstellation()) {
      local.start(Duration.ofSeconds(60));
      Path log = local.nodes().get(2).log();
      assertTrue(eventuallyContains(log, "fake tile-node started"));
      long pid = local.pidOf("tile-node-1").orElseThrow();

      local.kill("tile-node-1");
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "still running: " + pid);
      assertFalse(Files.readString(log).contains("got SIGTERM"), "kill -9 gives no chance to clean up");
      assertEquals(Optional.empty(), local.exitedChild(), "a deliberate kill is not a crash");
      assertThrows(IllegalArgumentException.class, () -> local.kill("tile-node-1"));

      local.restart("tile-node-1", Duration.ZERO);
      long again = local.pidOf("tile-node-1").orElseThrow();
      assertNotEquals(pid, again);
      assertTrue(eventuallyContains(log, "# started again"));
      assertTrue(Files.readString(log).indexOf("fake tile-node started") < Files.readString(log).indexOf("# started again"),
          "the first run's lines are kept");
      assertThrows(IllegalStateException.class, () -> local.restart("tile-node-1", Duration.ZERO));
    }
  }

  @Test
  @Timeout(90)
  void theSchedulerStopsGracefullyAndIsReadyAgainAfterARestart() throws Exception {
    try (LocalConstellation local = fakeConstellation()) {
      local.start(Duration.ofSeconds(60));
      Path log = local.nodes().get(0).log();
      local.stop("scheduler");
      assertTrue(local.pidOf("scheduler").isEmpty());
      assertTrue(eventuallyContains(log, "got SIGTERM"));

      local.restart("scheduler", Duration.ofSeconds(60));
      assertEquals(200, local.scheduler().readyStatus().orElseThrow());
      assertEquals(Optional.empty(), local.exitedChild());
    }
  }
}
