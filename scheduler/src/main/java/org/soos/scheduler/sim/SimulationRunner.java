package org.soos.scheduler.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.soos.scheduler.policy.SchedulingPolicy;

/**
 * Runs the scheduling-quality comparison of one scenario: predicts the eclipses once, generates the jobs
 * once, runs every requested policy (and the fluid bound) over them, and writes the reports:
 * {@code summary.json}, {@code <policy>.jsonl}, {@code run.json}, the plots ({@code power.png},
 * {@code tiles.png}, {@code ring.png}); prints the benchmark lines and the comparison table on {@code out}
 * and progress and timing on {@code err}.
 *
 * <p>Command line ({@code java org.soos.scheduler.sim.SimulationRunner ...}, or {@code deploy/soos sim ...}):
 * {@code --scenario NAME|FILE [--policy all|NAME,...] [--out DIR] [--tiles N] [--hours H] [--seed S]
 * [--threads N] [--no-plots] [--quiet]}. Exit codes: 0 done, 1 failed while running, 2 usage error.
 */
public final class SimulationRunner {
  /** Default output folder, under which each scenario gets its own folder. */
  public static final Path DEFAULT_OUT = Path.of("run", "sim");

  private SimulationRunner() {}

  /**
   * What to run.
   *
   * @param scenario a scenario file or the name of a shipped scenario
   * @param policies policy names ({@link SimPolicies#ALL}), in report order
   * @param out output folder (null: {@code run/sim/<scenario>})
   * @param tiles TILE count override (null: the scenario's)
   * @param hours simulated hours override (null: the scenario's)
   * @param seed seed override (null: the scenario's)
   * @param threads worker threads, &gt;= 1
   * @param plots whether to draw the PNG plots
   * @param progress whether to print progress on the error stream
   */
  public record Options(String scenario, List<String> policies, Path out, Integer tiles, Double hours, Long seed,
      int threads, boolean plots, boolean progress) {
    public Options {
      if (scenario == null || scenario.isBlank()) throw new IllegalArgumentException("--scenario is required");
      if (policies == null || policies.isEmpty()) throw new IllegalArgumentException("--policy names no policy");
      for (String p : policies) {
        if (!SimPolicies.ALL.contains(p)) {
          throw new IllegalArgumentException("--policy: unknown policy '" + p + "' (known: all, "
              + String.join(", ", SimPolicies.ALL) + ")");
        }
      }
      policies = List.copyOf(policies);
      if (tiles != null && tiles < 1) throw new IllegalArgumentException("--tiles must be >= 1, got: " + tiles);
      if (hours != null && !(hours > 0 && hours <= 24 * 366)) {
        throw new IllegalArgumentException("--hours must be in (0, 8784], got: " + hours);
      }
      if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got: " + threads);
    }

    /** Parses a {@code --policy} value: {@code all} or a comma-separated list of names. */
    public static List<String> policies(String value) {
      if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("all")) return SimPolicies.ALL;
      Set<String> names = new LinkedHashSet<>();
      for (String p : value.split(",")) {
        String name = p.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) continue;
        if (name.equals("all")) {
          names.addAll(SimPolicies.ALL);
        } else {
          names.add(name);
        }
      }
      List<String> ordered = new ArrayList<>();
      for (String known : SimPolicies.ALL) if (names.remove(known)) ordered.add(known);
      ordered.addAll(names); // unknown names: rejected by the Options constructor
      return ordered;
    }
  }

  /** What a run produced. */
  public record Result(Scenario scenario, List<PolicyResult> results, Path outDir, double wallSeconds) {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Parses {@code args}, runs, and returns the exit code (0 done, 1 failed, 2 usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    try {
      return run(args, o, e);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** As {@link #run(String[], PrintStream, PrintStream)} on writers. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("sim: " + e.getMessage());
      err.println("Run with --help for usage.");
      return 2;
    }
    if (options == null) {
      out.print(usage());
      return 0;
    }
    try {
      execute(options, out, err);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("sim: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("sim: failed: " + e);
      return 1;
    }
  }

  /** The usage text. */
  public static String usage() {
    return String.join("\n",
        "Usage: sim --scenario NAME|FILE [--policy all|NAME,...] [--out DIR] [--tiles N] [--hours H]",
        "           [--seed S] [--threads N] [--no-plots] [--quiet]",
        "Runs the deterministic constellation simulator and compares scheduling policies.",
        "  --scenario NAME|FILE  a scenario file (JSON), or a shipped one: " + String.join(", ", ScenarioLoader.SHIPPED),
        "  --policy LIST         all (default) or names from: " + String.join(", ", SimPolicies.ALL),
        "  --out DIR             where reports and plots go (default run/sim/<scenario>)",
        "  --tiles N             run with N TILEs (same planes, more or fewer TILEs per plane)",
        "  --hours H             simulate H hours instead of the scenario's",
        "  --seed S              workload seed instead of the scenario's",
        "  --threads N           worker threads (default: available processors)",
        "  --no-plots            skip the PNG plots",
        "  --quiet               no progress on stderr",
        "Writes DIR/summary.json, DIR/<policy>.jsonl, DIR/run.json and DIR/{power,tiles,ring}.png;",
        "prints one JSON object per metric and a comparison table on stdout.",
        "");
  }

  /** Parses command-line arguments; null for {@code --help}. */
  public static Options parse(String[] args) {
    String scenario = null;
    String policy = "all";
    Path out = null;
    Integer tiles = null;
    Double hours = null;
    Long seed = null;
    int threads = Runtime.getRuntime().availableProcessors();
    boolean plots = true;
    boolean progress = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--no-plots" -> plots = false;
        case "--quiet" -> progress = false;
        case "--scenario", "--policy", "--out", "--tiles", "--hours", "--seed", "--threads" -> {
          if (value == null) {
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            value = args[++i];
          }
          switch (a) {
            case "--scenario" -> scenario = value;
            case "--policy" -> policy = value;
            case "--out" -> out = Path.of(value);
            case "--tiles" -> tiles = integer(a, value);
            case "--hours" -> hours = number(a, value);
            case "--seed" -> seed = (long) integer(a, value);
            default -> threads = integer(a, value);
          }
        }
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (scenario == null) throw new IllegalArgumentException("--scenario is required (a file or one of "
        + String.join(", ", ScenarioLoader.SHIPPED) + ")");
    return new Options(scenario, Options.policies(policy), out, tiles, hours, seed, threads, plots, progress);
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer, got: " + value, e);
    }
  }

  private static double number(String option, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, got: " + value, e);
    }
  }

  /** The scenario the options describe (file or shipped name, with the overrides applied). */
  public static Scenario scenario(Options o) {
    Scenario s = ScenarioLoader.load(o.scenario());
    if (o.tiles() != null) s = s.withTiles(o.tiles());
    if (o.hours() != null) s = s.withDuration(Duration.ofMillis(Math.round(o.hours() * 3_600_000.0)));
    if (o.seed() != null) s = s.withSeed(o.seed());
    return s;
  }

  /**
   * Runs the options' policies and writes the reports.
   *
   * @throws IllegalArgumentException for a bad scenario or option (the message names it)
   */
  public static Result execute(Options o, PrintWriter out, PrintWriter err) {
    long started = System.nanoTime();
    Scenario scenario = scenario(o);
    Path dir = o.out() != null ? o.out() : DEFAULT_OUT.resolve(scenario.name());
    Progress progress = new Progress(err, o.progress(), started);
    progress.note(String.format(Locale.ROOT, "%s: %d TILEs, %.1f h, policies %s; predicting eclipses",
        scenario.name(), scenario.tileCount(), scenario.duration().toMillis() / 3.6e6, o.policies()));
    long t0 = System.nanoTime();
    SimConstellation constellation = SimConstellation.of(scenario, o.threads());
    double harvestable = constellation.harvestablePayloadWatts();
    WorkloadGenerator.Workload workload = WorkloadGenerator.jobs(scenario, harvestable);
    double eclipseSeconds = (System.nanoTime() - t0) / 1e9;
    progress.note(String.format(Locale.ROOT, "eclipses predicted for %d TILEs in %.1f s; %d jobs (%.0f per hour)",
        constellation.size(), eclipseSeconds, workload.arrivals().size(), workload.arrivalsPerHour()));

    List<String> names = o.policies();
    PolicyResult[] results = new PolicyResult[names.size()];
    double[] wall = new double[names.size()];
    int parallel = Math.min(o.threads(), names.size());
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "soos-sim-policy");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      // Longest first (soos, then reactive, ...), so the last to finish starts early; results keep report order.
      List<Integer> order = new ArrayList<>();
      for (String heavy : List.of("soos", "reactive", "static-binpack", SimPolicies.BOUND)) {
        int at = names.indexOf(heavy);
        if (at >= 0) order.add(at);
      }
      for (int k = 0; k < names.size(); k++) if (!order.contains(k)) order.add(k);
      for (int k : order) {
        int index = k;
        String name = names.get(k);
        futures.add(pool.submit(() -> {
          long s = System.nanoTime();
          Simulation.Progress p = f -> progress.update(name, f);
          if (name.equals(SimPolicies.BOUND)) {
            results[index] = FluidBound.run(constellation, workload.arrivals(), p);
          } else {
            SchedulingPolicy policy = SimPolicies.create(name, scenario, constellation.periodSeconds());
            results[index] = Simulation.run(constellation, workload.arrivals(), policy, SimPolicies.nodeAgent(name), p,
                innerThreads(name, names, o));
          }
          wall[index] = (System.nanoTime() - s) / 1e9;
        }));
      }
      for (Future<?> f : futures) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error er) throw er;
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
    List<PolicyResult> list = List.of(results);
    double wallSeconds = (System.nanoTime() - started) / 1e9;

    write(dir, scenario, constellation, workload, list);
    if (o.plots()) {
      Plots.write(dir, scenario, list, "soos");
    }
    for (PolicyResult r : list) for (String line : SimReport.metricLines(scenario, r)) out.println(line);
    long steps = (long) Math.ceil(scenario.duration().toMillis() / (double) scenario.simulation().step().toMillis());
    for (int k = 0; k < names.size(); k++) {
      double tileSteps = (double) constellation.size() * steps;
      out.println(String.format(Locale.ROOT,
          "{\"bench\":\"sim\",\"scenario\":\"%s\",\"tiles\":%d,\"policy\":\"%s\",\"metric\":\"wallSeconds\","
              + "\"value\":%.3f,\"unit\":\"s\",\"tileStepsPerSecond\":%.0f,\"threads\":%d}",
          scenario.name(), constellation.size(), names.get(k), wall[k], tileSteps / Math.max(1e-9, wall[k]),
          innerThreads(names.get(k), names, o)));
    }
    out.println(String.format(Locale.ROOT,
        "{\"bench\":\"sim\",\"scenario\":\"%s\",\"tiles\":%d,\"metric\":\"eclipsePredictionSeconds\",\"value\":%.3f,"
            + "\"unit\":\"s\",\"threads\":%d}", scenario.name(), constellation.size(), eclipseSeconds, o.threads()));
    out.println(String.format(Locale.ROOT,
        "{\"bench\":\"sim\",\"scenario\":\"%s\",\"tiles\":%d,\"metric\":\"totalWallSeconds\",\"value\":%.3f,"
            + "\"unit\":\"s\",\"threads\":%d}", scenario.name(), constellation.size(),
        (System.nanoTime() - started) / 1e9, o.threads()));
    out.println();
    out.print(SimReport.table(scenario, list));
    out.flush();
    progress.note(String.format(Locale.ROOT, "reports in %s (%.1f s)", dir, (System.nanoTime() - started) / 1e9));
    return new Result(scenario, list, dir, wallSeconds);
  }

  /**
   * Threads a policy's run steps its TILEs on: all of them when it runs alone; otherwise all of them for
   * soos, the longest run (its TILE forecasts then use the cores the shorter runs leave free), one for the
   * others.
   */
  private static int innerThreads(String name, List<String> names, Options o) {
    return names.size() == 1 || name.equals("soos") ? o.threads() : 1;
  }

  private static void write(Path dir, Scenario scenario, SimConstellation constellation,
      WorkloadGenerator.Workload workload, List<PolicyResult> results) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("summary.json"), SimReport.summary(results), StandardCharsets.UTF_8);
      for (PolicyResult r : results) {
        Files.writeString(dir.resolve(r.policy() + ".jsonl"), SimReport.policyLines(scenario, r), StandardCharsets.UTF_8);
      }
      var run = SimReport.JSON.createObjectNode();
      run.put("scenario", scenario.name());
      run.put("description", scenario.description());
      run.put("start", scenario.start().toString());
      run.put("hours", scenario.duration().toMillis() / 3.6e6);
      run.put("seed", scenario.seed());
      run.put("tiles", constellation.size());
      run.put("planes", constellation.planes().size());
      run.put("harvestablePayloadWatts", SimReport.round(constellation.harvestablePayloadWatts()));
      if (Double.isNaN(workload.arrivalsPerHour())) run.putNull("arrivalsPerHour");
      else run.put("arrivalsPerHour", SimReport.round(workload.arrivalsPerHour()));
      run.put("jobs", workload.arrivals().size());
      var policies = run.putArray("policies");
      results.forEach(r -> policies.add(r.policy()));
      Files.writeString(dir.resolve("run.json"), SimReport.JSON.writeValueAsString(run) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write reports to " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Progress lines on the error stream: per policy, every 10% of simulated time. */
  private static final class Progress {
    private final PrintWriter err;
    private final boolean enabled;
    private final long started;
    private final java.util.Map<String, Integer> shown = new java.util.HashMap<>();

    Progress(PrintWriter err, boolean enabled, long started) {
      this.err = err;
      this.enabled = enabled;
      this.started = started;
    }

    synchronized void note(String text) {
      if (enabled) {
        err.printf(Locale.ROOT, "[sim %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, text);
        err.flush();
      }
    }

    synchronized void update(String policy, double fraction) {
      int decile = (int) Math.floor(fraction * 10 + 1e-9);
      Integer last = shown.get(policy);
      if (last != null && decile <= last) return;
      shown.put(policy, decile);
      note(String.format(Locale.ROOT, "%-15s %3d%% of simulated time", policy, decile * 10));
    }
  }
}
