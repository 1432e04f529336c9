package org.soos.deploy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.soos.scheduler.sim.SimulationRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soos sim}: the scheduling-quality benchmark. Runs the deterministic constellation simulator
 * ({@link SimulationRunner}) over a scenario with every requested policy and the fluid upper bound, writes
 * the reports and plots, and prints the benchmark lines and a comparison table.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Compare scheduling policies in the deterministic constellation simulator.",
    description = {
      "Steps the TILEs' power and thermal physics and calls the real policy classes over simulated time, "
          + "with no actors and no wall clock: the same scenario and seed give the same reports byte for byte.",
      "Writes DIR/summary.json (per policy: harvestedWh, usefulWorkWh, usefulWorkGpuHours, lostWorkGpuHours, "
          + "jobsSubmitted, jobsCompleted, jobsLost, deadlineMissPercent, migrations, migrationBytes, "
          + "thermalViolationSeconds, brownouts, slowdownP50, slowdownP95; ratios of useful work), "
          + "DIR/<policy>.jsonl, DIR/run.json and the plots DIR/power.png, DIR/tiles.png, DIR/ring.png.",
      "Progress goes to stderr; one JSON object per metric and the comparison table to stdout."
    },
    footer = {
      "",
      "Scenarios shipped: walker-24h, dawn-dusk-24h, eclipse-season (or a JSON file, see docs/SIMULATOR.md).",
      "Policies: static-binpack, reactive, soos, bound.",
      "",
      "Examples:",
      "  soos sim --scenario walker-24h",
      "  soos sim --scenario eclipse-season --policy soos,bound --out /tmp/eclipse",
      "  soos sim --scenario walker-24h --tiles 1000 --hours 6 --no-plots"
    })
final class SimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
      description = "A shipped scenario (walker-24h, dawn-dusk-24h, eclipse-season) or a scenario file.")
  String scenario;

  @Option(names = "--policy", paramLabel = "all|NAME,...", defaultValue = "all",
      description = "Policies to run: all (default) or a comma-separated list of static-binpack, reactive, soos, bound.")
  String policy;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where the reports and plots go (default: run/sim/<scenario>).")
  Path out;

  @Option(names = "--tiles", paramLabel = "N",
      description = "Run with N TILEs: the same planes with more or fewer TILEs each.")
  Integer tiles;

  @Option(names = "--hours", paramLabel = "H", description = "Simulate H hours instead of the scenario's.")
  Double hours;

  @Option(names = "--seed", paramLabel = "S", description = "Workload seed instead of the scenario's.")
  Long seed;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: the available processors).")
  Integer threads;

  @Option(names = "--no-plots", description = "Skip the PNG plots.")
  boolean noPlots;

  @Option(names = "--quiet", description = "No progress on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    SimulationRunner.Options options;
    try {
      options = new SimulationRunner.Options(scenario, SimulationRunner.Options.policies(policy), out, tiles, hours, seed,
          threads != null ? threads : Runtime.getRuntime().availableProcessors(), !noPlots, !quiet);
      SimulationRunner.scenario(options); // a bad scenario is a usage error, before any work
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    SimulationRunner.execute(options, spec.commandLine().getOut(), spec.commandLine().getErr());
    return 0;
  }
}
