package org.soos.scheduler.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatorTest {

  @Test
  void sameScenarioAndSeedGiveByteIdenticalReports(@TempDir Path dir) throws IOException {
    List<String> files = List.of("summary.json", "run.json", "static-binpack.jsonl", "reactive.jsonl", "soos.jsonl",
        "bound.jsonl");
    // Two runs, one on one thread and one on two (TILEs stepped in parallel): same bytes.
    run(dir.resolve("a"), "1");
    run(dir.resolve("b"), "2");
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)),
          f + " differs between two runs of the same scenario and seed");
    }
    // Another seed gives another workload.
    run(dir.resolve("c"), "2", "--seed", "7");
    assertTrue(!Files.readString(dir.resolve("a/summary.json")).equals(Files.readString(dir.resolve("c/summary.json"))));
  }

  private static void run(Path out, String threads, String... extra) {
    String[] base = {"--scenario", "walker-24h", "--tiles", "12", "--hours", "2", "--out", out.toString(),
        "--threads", threads, "--no-plots", "--quiet"};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
        .toArray(String[]::new);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
    assertEquals(0, SimulationRunner.run(args, ps, ps), sink.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"walker-24h", "dawn-dusk-24h", "eclipse-season"})
  void noPolicyDoesMoreUsefulWorkThanTheFluidBound(String scenario) {
    SimRuns.Run run = SimRuns.run(scenario);
    double bound = run.of(SimPolicies.BOUND).metrics().usefulWorkGpuHours();
    for (PolicyResult r : run.results()) {
      assertTrue(r.metrics().usefulWorkGpuHours() <= bound + 1e-9,
          r.policy() + " did " + r.metrics().usefulWorkGpuHours() + " GPU-h, above the bound's " + bound);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"walker-24h", "dawn-dusk-24h", "eclipse-season"})
  void energyBookkeepingClosesToATenthOfAPercent(String scenario) {
    for (PolicyResult r : SimRuns.run(scenario).results()) {
      PolicyResult.Energy e = r.energy();
      assertTrue(e.harvestedWh() > 0, r.policy() + " harvested nothing");
      assertTrue(Math.abs(e.ledgerClosureWh()) <= 1e-3 * e.harvestedWh(),
          r.policy() + ": harvested != consumed + stored + losses + curtailed by " + e.ledgerClosureWh() + " Wh");
      assertTrue(Math.abs(e.loadClosureWh()) <= 1e-3 * e.consumedWh(),
          r.policy() + ": consumed != housekeeping + jobs + idle + links by " + e.loadClosureWh() + " Wh");
      double useful = r.metrics().usefulWorkGpuHours();
      double executed = r.counters().executedGpuHours();
      assertTrue(Math.abs(useful + r.metrics().lostWorkGpuHours() - executed) <= 1e-3 * executed,
          r.policy() + ": useful " + useful + " + lost " + r.metrics().lostWorkGpuHours() + " != executed " + executed);
      assertTrue(r.metrics().usefulWorkWh() <= e.consumedWh() - e.housekeepingWh() + 1e-6,
          r.policy() + ": more useful energy than the Orins drew");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"walker-24h", "dawn-dusk-24h", "eclipse-season"})
  void soosLosesNoJobAndKeepsEveryJunctionUnderItsHardLimit(String scenario) {
    PolicyResult soos = SimRuns.run(scenario).of("soos");
    assertEquals(0, soos.metrics().jobsLost(), "jobs lost under soos: " + soos.counters());
    assertEquals(0.0, soos.metrics().lostWorkGpuHours());
    assertEquals(0.0, soos.metrics().thermalViolationSeconds());
    assertEquals(0, soos.counters().brownoutKills(), "a job was running when a payload bus was cut under soos");
    assertEquals(0, soos.counters().lossesAtShedding() + soos.counters().lossesAtThermalShutdown()
        + soos.counters().lossesAtDecision(), soos.counters().toString());
    assertTrue(soos.metrics().jobsCompleted() > 0);
  }

  @Test
  void staticBinpackLosesWorkAtBrownoutsInWalker() {
    // Its TILEs run a power-unaware node agent: jobs run into the reserve floor, the payload bus is cut and
    // they lose the work since their last checkpoint.
    PolicyResult r = walkerBinpack(SimPolicies.nodeAgent("static-binpack"));
    assertEquals(NodeAgent.PLAIN, SimPolicies.nodeAgent("static-binpack"));
    assertTrue(r.metrics().brownouts() > 0, "no brownout: " + r.counters());
    assertTrue(r.counters().lossesAtBrownout() > 0, "no work lost at a brownout: " + r.counters());
    assertTrue(r.metrics().lostWorkGpuHours() > 0, "static-binpack lost nothing: " + r.counters());
    assertTrue(r.metrics().jobsLost() > 0);
    assertEquals(0, r.counters().shedSuspensions(), "a plain node agent never sheds");
  }

  @Test
  void theSoosTileNodeShedsAheadOfTheFloorWhereAPlainNodeBrownsOut() {
    // The same placements on SOOS tile-nodes: load is shed three minutes ahead of the floor, so the bus is
    // never cut; only jobs that cannot checkpoint lose work, when shedding stops them.
    PolicyResult r = walkerBinpack(NodeAgent.SOOS);
    assertEquals(0, r.metrics().brownouts(), r.counters().toString());
    assertEquals(0, r.counters().lossesAtBrownout(), r.counters().toString());
    assertTrue(r.counters().shedSuspensions() > 0, r.counters().toString());
    assertTrue(r.metrics().lostWorkGpuHours() < walkerBinpack(NodeAgent.PLAIN).metrics().lostWorkGpuHours());
  }

  private static PolicyResult walkerBinpack(NodeAgent agent) {
    return WALKER_BINPACK.computeIfAbsent(agent, a -> {
      Scenario walker = SimRuns.shortened("walker-24h", 96, Duration.ofHours(6));
      SimConstellation c = SimConstellation.of(walker, 2);
      WorkloadGenerator.Workload w = WorkloadGenerator.jobs(walker, c.harvestablePayloadWatts());
      return Simulation.run(c, w.arrivals(), SimPolicies.create("static-binpack", walker, c.periodSeconds()), a,
          null, 2);
    });
  }

  private static final java.util.Map<NodeAgent, PolicyResult> WALKER_BINPACK =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Test
  void staticBinpackLosesWorkAtBrownoutsWhenTheBatteryIsSmall() {
    PolicyResult r = SimRuns.run("eclipse-season").of("static-binpack");
    assertTrue(r.metrics().brownouts() > 0, "no brownout: " + r.counters());
    assertTrue(r.counters().lossesAtBrownout() > 0, "no work lost at a brownout: " + r.counters());
    assertTrue(r.metrics().lostWorkGpuHours() > 0);
  }

  @Test
  void everyArrivedJobIsAccountedFor() {
    SimRuns.Run run = SimRuns.run("walker-24h");
    for (PolicyResult r : run.results()) {
      assertEquals(run.workload().arrivals().size(), r.metrics().jobsSubmitted(), r.policy());
      assertTrue(r.metrics().jobsCompleted() <= r.metrics().jobsSubmitted(), r.policy());
    }
  }
}
