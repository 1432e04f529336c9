package org.soos.scheduler.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shortened runs of the shipped scenarios (same code path, fewer TILEs and hours), computed once per JVM. */
final class SimRuns {
  /** TILEs and hours of the shortened runs. */
  static final int TILES = 48;
  static final Duration HOURS = Duration.ofHours(6);

  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  private SimRuns() {}

  /** A scenario's shortened run: the scenario, its constellation, and every policy's result in report order. */
  record Run(Scenario scenario, SimConstellation constellation, WorkloadGenerator.Workload workload,
      List<PolicyResult> results) {
    PolicyResult of(String policy) {
      return results.stream().filter(r -> r.policy().equals(policy)).findFirst().orElseThrow();
    }
  }

  static Scenario shortened(String name, int tiles, Duration hours) {
    return ScenarioLoader.load(name).withTiles(tiles).withDuration(hours);
  }

  static Run run(String name) {
    return RUNS.computeIfAbsent(name, n -> run(shortened(n, TILES, HOURS), 2));
  }

  static Run run(Scenario scenario, int threads) {
    SimConstellation c = SimConstellation.of(scenario, threads);
    WorkloadGenerator.Workload w = WorkloadGenerator.jobs(scenario, c.harvestablePayloadWatts());
    List<PolicyResult> results = new ArrayList<>();
    for (String p : SimPolicies.ALL) {
      results.add(p.equals(SimPolicies.BOUND)
          ? FluidBound.run(c, w.arrivals(), null)
          : Simulation.run(c, w.arrivals(), SimPolicies.create(p, scenario, c.periodSeconds()),
              SimPolicies.nodeAgent(p), null, threads));
    }
    return new Run(scenario, c, w, List.copyOf(results));
  }
}
