package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several scheduler JVMs in one local constellation: names, ports, seeds, journal options. */
class MultiSchedulerOptionsTest {
  @TempDir Path tmp;

  @Test
  void schedulersComeFirstWithTheirOwnPortsAndAreAllSeeds() {
    LocalConstellation local = LocalConstellation.builder().runDir(tmp).schedulers(2).tileNodes(2)
        .akkaPortBase(3000).httpPort(4000).managementPortBase(5000).build();
    List<LocalConstellation.Node> nodes = local.nodes();
    assertEquals(List.of("scheduler", "scheduler-1", "tile-node-0", "tile-node-1"),
        nodes.stream().map(LocalConstellation.Node::name).toList());
    assertEquals(List.of(3000, 3001, 3002, 3003), nodes.stream().map(LocalConstellation.Node::akkaPort).toList());
    assertEquals(List.of(5000, 5001, 5002, 5003), nodes.stream().map(LocalConstellation.Node::managementPort).toList());
    assertEquals(List.of(4000, 4001, 0, 0), nodes.stream().map(LocalConstellation.Node::httpPort).toList());
    for (LocalConstellation.Node n : nodes) {
      Map<String, String> p = local.systemProperties(n);
      assertEquals("akka://soos@127.0.0.1:3000", p.get("akka.cluster.seed-nodes.0"), n.name());
      assertEquals("akka://soos@127.0.0.1:3001", p.get("akka.cluster.seed-nodes.1"), n.name());
    }
    assertEquals("4001", local.systemProperties(nodes.get(1)).get("soos.scheduler.http.port"));
    // Started again while scheduler-1 runs, the first scheduler lists scheduler-1 first and cannot form
    // a cluster of its own.
    assertTrue(String.join(" ", local.commandLine(nodes.get(0))).contains("-Dakka.cluster.seed-nodes.0=akka://soos@127.0.0.1:3000"));
    assertEquals("http://127.0.0.1:4001/v1/jobs", local.scheduler("scheduler-1").url("/v1/jobs"));
    assertThrows(IllegalArgumentException.class, () -> local.scheduler("tile-node-0"));
  }

  @Test
  void oneSchedulerKeepsTheFormerLayout() {
    LocalConstellation local = LocalConstellation.builder().runDir(tmp).tileNodes(2).akkaPortBase(3000).build();
    assertEquals(List.of(3000, 3001, 3002), local.nodes().stream().map(LocalConstellation.Node::akkaPort).toList());
    assertTrue(!local.systemProperties(local.nodes().get(0)).containsKey("akka.cluster.seed-nodes.1"));
  }

  @Test
  void badSchedulerCountsAndJournalOptionsAreUsageErrors() {
    CliRun zero = CliRun.of("up", "--schedulers", "0");
    assertEquals(2, zero.exitCode(), zero.toString());
    assertTrue(zero.err().contains("--schedulers"), zero.toString());
    CliRun journal = CliRun.of("up", "--journal", "mysql");
    assertEquals(2, journal.exitCode(), journal.toString());
    assertTrue(journal.err().contains("--journal"), journal.toString());
    CliRun url = CliRun.of("up", "--jdbc-url", "jdbc:postgresql://x/y");
    assertEquals(2, url.exitCode(), url.toString());
    assertTrue(url.err().contains("--journal postgres"), url.toString());
    CliRun notPg = CliRun.of("up", "--journal", "postgres", "--jdbc-url", "jdbc:mysql://x/y");
    assertEquals(2, notPg.exitCode(), notPg.toString());
    assertThrows(IllegalArgumentException.class,
        () -> LocalConstellation.builder().runDir(tmp).schedulers(6).build());
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void aRestartedFirstSchedulerListsTheRunningOneAsItsFirstSeed() throws Exception {
    int akka = FreePorts.block(3);
    try (LocalConstellation local = LocalConstellation.builder()
        .runDir(tmp)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(akka)
        .httpPort(FreePorts.block(2))
        .managementPortBase(FreePorts.block(3))
        .schedulers(2)
        .tileNodes(1)
        .heap("64m")
        .stopGrace(Duration.ofSeconds(10))
        .schedulerMainClass(FakeNodeMain.class.getName())
        .tileNodeMainClass(FakeNodeMain.class.getName())
        .systemProperty("fake.tiles", "1")
        .build()) {
      local.start(Duration.ofSeconds(60));
      Path log = local.nodes().get(0).log();
      assertTrue(Files.readString(log).contains("-Dakka.cluster.seed-nodes.0=akka://soos@127.0.0.1:" + akka + " "),
          "the first scheduler seeds a new cluster");
      local.kill("scheduler");
      local.restart("scheduler", Duration.ofSeconds(60));
      String again = Files.readString(log).substring(Files.readString(log).indexOf("# started again"));
      assertTrue(again.contains("-Dakka.cluster.seed-nodes.0=akka://soos@127.0.0.1:" + (akka + 1) + " "), again);
      assertTrue(again.contains("-Dakka.cluster.seed-nodes.1=akka://soos@127.0.0.1:" + akka + " "), again);

      // An exited scheduler can be forgotten while the other runs (soos up keeps going).
      long pid = local.pidOf("scheduler-1").orElseThrow();
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (local.exitedChild().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
      assertEquals("scheduler-1", local.exitedChild().orElseThrow().node().name());
      assertThrows(IllegalStateException.class, () -> local.forget("scheduler"));
      local.forget("scheduler-1");
      assertTrue(local.exitedChild().isEmpty());
    }
  }
}
