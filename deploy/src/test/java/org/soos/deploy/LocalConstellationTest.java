package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process orchestration of {@link LocalConstellation}, on stand-in mains ({@link FakeNodeMain})
 * so it runs without the real roles; {@code ConstellationIT} runs the real ones.
 */
class LocalConstellationTest {

  @TempDir Path runDir;

  private LocalConstellation.Builder fakeConstellation(int tileNodes, int tiles) {
    int akka = FreePorts.block(tileNodes + 1);
    int management = FreePorts.block(tileNodes + 1);
    return LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(akka)
        .httpPort(FreePorts.block(1))
        .managementPortBase(management)
        .tileNodes(tileNodes)
        .heap("64m")
        .stopGrace(Duration.ofSeconds(10))
        .schedulerMainClass(FakeNodeMain.class.getName())
        .tileNodeMainClass(FakeNodeMain.class.getName())
        .systemProperty("fake.tiles", Integer.toString(tiles));
  }

  /** Whether {@code log} contains {@code text} within 30 s (a child writes its log at its own pace). */
  private static boolean eventuallyContains(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Test
  void givesEveryJvmTheAgreedSystemProperties() {
    Instant simStart = Instant.parse("2026-03-20T00:00:00Z");
    Instant anchor = Instant.parse("2026-01-01T12:00:00.123Z");
    LocalConstellation local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath("a.jar" + java.io.File.pathSeparator + "lib/*")
        .tileNodes(2)
        .simStart(simStart)
        .wallAnchor(anchor)
        .warp(120)
        .heap("768m")
        .parentPid(4242)
        .constellation(Map.of("type", "walker", "planes", "3"))
        .build();

    List<LocalConstellation.Node> nodes = local.nodes();
    assertEquals(List.of("scheduler", "tile-node-0", "tile-node-1"), nodes.stream().map(LocalConstellation.Node::name).toList());

    Map<String, String> scheduler = local.systemProperties(nodes.get(0));
    assertEquals("127.0.0.1", scheduler.get("akka.remote.artery.canonical.hostname"));
    assertEquals("2551", scheduler.get("akka.remote.artery.canonical.port"));
    assertEquals("akka://soos@127.0.0.1:2551", scheduler.get("akka.cluster.seed-nodes.0"));
    assertEquals("scheduler", scheduler.get("akka.cluster.roles.0"));
    assertEquals("8080", scheduler.get("soos.scheduler.http.port"));
    assertEquals("8558", scheduler.get("akka.management.http.port"));
    assertEquals("2026-03-20T00:00:00Z", scheduler.get("soos.clock.sim-start"));
    assertEquals(Long.toString(anchor.toEpochMilli()), scheduler.get("soos.clock.wall-anchor-epoch-millis"));
    assertEquals("120", scheduler.get("soos.clock.warp"));
    assertEquals("walker", scheduler.get("soos.constellation.type"));
    assertEquals("3", scheduler.get("soos.constellation.planes"));
    assertEquals(runDir.toAbsolutePath().toString(), scheduler.get("soos.run-dir"));
    assertEquals("4242", scheduler.get("soos.parent-pid"));
    assertFalse(scheduler.containsKey("soos.tile-node.index"));

    Map<String, String> tileNode1 = local.systemProperties(nodes.get(2));
    assertEquals("2553", tileNode1.get("akka.remote.artery.canonical.port"));
    assertEquals("akka://soos@127.0.0.1:2551", tileNode1.get("akka.cluster.seed-nodes.0"));
    assertEquals("tile-node", tileNode1.get("akka.cluster.roles.0"));
    assertEquals("8560", tileNode1.get("akka.management.http.port"));
    assertEquals("1", tileNode1.get("soos.tile-node.index"));
    assertEquals("2", tileNode1.get("soos.tile-node.count"));
    assertEquals(scheduler.get("soos.clock.wall-anchor-epoch-millis"), tileNode1.get("soos.clock.wall-anchor-epoch-millis"));

    List<String> cmd = local.commandLine(nodes.get(2));
    assertTrue(cmd.contains("-Xmx768m"), cmd.toString());
    assertEquals(LocalConstellation.TILE_NODE_MAIN, cmd.get(cmd.size() - 1));
    String classpath = cmd.get(cmd.indexOf("-cp") + 1);
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      assertTrue(Path.of(entry.replace("*", "x")).isAbsolute(), "relative classpath entry " + entry);
    }
    assertTrue(classpath.endsWith("lib" + java.io.File.separator + "*"), classpath);
  }

  @Test
  void rejectsBadOptionsNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalConstellation.builder().runDir(runDir).tileNodes(0).build());
    assertTrue(e.getMessage().contains("tileNodes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LocalConstellation.builder().runDir(runDir).heap("lots").build());
    assertTrue(e.getMessage().contains("heap"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LocalConstellation.builder().runDir(runDir).warp(0).build());
    assertTrue(e.getMessage().contains("warp"), e.getMessage());
  }

  @Test
  @Timeout(90)
  void startsEveryJvmWaitsForTheTilesAndStopsThemAll() throws Exception {
    LocalConstellation local = fakeConstellation(2, 5).build();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      local.start(Duration.ofSeconds(60));
      LocalConstellation.TilesSeen seen = local.awaitTiles(5, Duration.ofSeconds(30));
      assertTrue(seen.complete(), seen.toString());
      assertEquals(5, seen.tiles().size());
      for (LocalConstellation.Node node : local.nodes()) {
        long pid = local.pidOf(node.name()).orElseThrow();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        assertTrue(handle.isAlive(), node.name());
        children.add(handle);
        assertTrue(eventuallyContains(node.log(), "fake " + node.role() + " started"), node.name());
      }
      assertEquals(Optional.empty(), local.exitedChild());
    } finally {
      local.close();
    }
    for (ProcessHandle child : children) {
      assertFalse(child.isAlive(), "still running: " + child.pid());
    }
    for (LocalConstellation.Node node : local.nodes()) {
      assertTrue(Files.readString(node.log()).contains("got SIGTERM"), node.name() + " was not stopped with SIGTERM");
    }
    assertEquals(Optional.empty(), local.exitedChild(), "a stopped constellation reports no crash");
    local.close(); // a second close does nothing
  }

  @Test
  @Timeout(90)
  void reportsWhichChildDiedAndWhereItsLogIs() throws Exception {
    try (LocalConstellation local = fakeConstellation(1, 5).systemProperty("fake.exit-after-ms", "300").build()) {
      local.start(Duration.ofSeconds(60));
      LocalConstellation.ChildExitedException e = assertThrows(LocalConstellation.ChildExitedException.class,
          () -> local.awaitTiles(6, Duration.ofSeconds(30)));
      assertEquals("tile-node-0", e.child().node().name());
      assertEquals(3, e.child().exitCode());
      assertTrue(e.getMessage().contains("tile-node-0 exited with code 3"), e.getMessage());
      assertTrue(e.getMessage().contains(runDir.resolve("tile-node-0.log").toString()), e.getMessage());
      assertTrue(eventuallyContains(runDir.resolve("tile-node-0.log"), "fake crash"));
    }
  }

  @Test
  @Timeout(90)
  void aCrashLoopingTileNodeIsRestartedUpToTheCapThenGivenUp() throws Exception {
    LocalConstellation.RestartPolicy cap = new LocalConstellation.RestartPolicy(2, Duration.ofMinutes(1),
        Duration.ofMillis(200), Duration.ofMillis(400));
    try (LocalConstellation local = fakeConstellation(1, 5).systemProperty("fake.exit-after-ms", "300")
        .tileNodeRestarts(cap).build()) {
      local.start(Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (local.gaveUp().isEmpty() && System.nanoTime() < deadline) {
        assertEquals(Optional.empty(), local.exitedChild(), "a supervised tile-node's exit is not a constellation failure");
        Thread.sleep(100);
      }
      assertEquals(1, local.gaveUp().size(), "the launcher did not give up on the crash loop");
      LocalConstellation.GaveUp g = local.gaveUp().get(0);
      assertEquals("tile-node-0", g.node().name());
      assertEquals(2, g.restarts());
      assertEquals(3, g.exitCode());
      assertTrue(g.describe().contains("crash loop"), g.describe());
      // Started three times in all (the first start and two restarts), then left down.
      Thread.sleep(1500);
      String log = Files.readString(runDir.resolve("tile-node-0.log"));
      assertEquals(3, log.split("fake crash", -1).length - 1, log);
      assertEquals(2, log.split("# started again", -1).length - 1, log);
      assertTrue(local.pidOf("tile-node-0").isEmpty(), "the given-up tile-node is still watched");
      assertEquals(Optional.empty(), local.exitedChild());
    }
  }

  @Test
  void restartBackoffDoublesUpToItsMaximum() {
    LocalConstellation.RestartPolicy p = new LocalConstellation.RestartPolicy(5, Duration.ofMinutes(5),
        Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertEquals(Duration.ofSeconds(1), p.backoff(1));
    assertEquals(Duration.ofSeconds(2), p.backoff(2));
    assertEquals(Duration.ofSeconds(4), p.backoff(3));
    assertEquals(Duration.ofSeconds(5), p.backoff(4));
    assertEquals(Duration.ofSeconds(5), p.backoff(9));
    assertThrows(IllegalArgumentException.class, () -> new LocalConstellation.RestartPolicy(-1, Duration.ofMinutes(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1)));
  }

  @Test
  @Timeout(90)
  void childrenStopByThemselvesWhenTheParentProcessExits() throws Exception {
    Process parent = new ProcessBuilder("sleep", "4").start();
    try (LocalConstellation local = fakeConstellation(1, 1).parentPid(parent.pid()).build()) {
      local.start(Duration.ofSeconds(60));
      List<ProcessHandle> children = new ArrayList<>();
      for (LocalConstellation.Node node : local.nodes()) {
        children.add(ProcessHandle.of(local.pidOf(node.name()).orElseThrow()).orElseThrow());
      }
      parent.waitFor();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      for (ProcessHandle child : children) {
        assertFalse(child.isAlive(), "child " + child.pid() + " outlived its parent");
      }
      assertTrue(eventuallyContains(runDir.resolve("scheduler.log"), "parent exited"));
    }
  }
}
