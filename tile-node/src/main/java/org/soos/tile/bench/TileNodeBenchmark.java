package org.soos.tile.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.tile.TileForecast;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;
import org.soos.shared.time.SimClock;
import org.soos.tile.TileNodeSettings;
import org.soos.tile.exec.SimulatedExecutor;
import org.soos.tile.sensor.SimulatedTileSensors;
import org.soos.tile.tile.EclipseSource;
import org.soos.tile.tile.TileActor;
import org.soos.tile.tile.TileSettings;

/**
 * Measures what one tile-node JVM can host: physics speed (TILE-steps per second of one core) and the
 * heap each emulated TILE costs with {@code --tiles} TILE actors (default 1 000) in one ActorSystem,
 * on Orekit eclipse timelines. Prints one JSON object per line
 * ({@code {"bench":...,"metric":...,"value":...,"unit":...}}), then a summary table.
 *
 * <pre>
 *   mvn -q -pl tile-node -am compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
 *   java -Xmx1g -cp "tile-node/target/classes:$(cat tile-node/target/bench-cp.txt)" \
 *     org.soos.tile.bench.TileNodeBenchmark [--tiles 1000] [--warp 60] [--seconds 20]
 * </pre>
 * The 1 GiB heap is the budget the figures are checked against ({@code jvm.maxHeap} is printed first).
 */
public final class TileNodeBenchmark {
  private static final String BENCH = "tile-node";
  private static final Instant SIM_START = Instant.parse("2026-03-20T00:00:00Z");

  private final Map<String, String[]> results = new LinkedHashMap<>();

  private TileNodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int tiles = 1000;
    double warp = 60;
    int seconds = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tiles" -> tiles = Integer.parseInt(value(args, ++i, "--tiles"));
        case "--warp" -> warp = Double.parseDouble(value(args, ++i, "--warp"));
        case "--seconds" -> seconds = Integer.parseInt(value(args, ++i, "--seconds"));
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (options: --tiles N, --warp X, --seconds S)");
      }
    }
    if (tiles < 1) throw new IllegalArgumentException("--tiles must be >= 1, got: " + tiles);
    new TileNodeBenchmark().run(tiles, warp, seconds);
  }

  private void run(int tiles, double warp, int seconds) throws Exception {
    emit("jvm.maxHeap", Runtime.getRuntime().maxMemory() / 1048576.0, "MiB");
    emit("jvm.processors", Runtime.getRuntime().availableProcessors(), "count");
    List<TileOrbit> constellation = constellation(tiles);
    physics(constellation);
    actors(constellation, warp, seconds);
    printTable();
  }

  // ------------------------------------------------------------------ physics

  private void physics(List<TileOrbit> constellation) {
    TileSpec spec = TileSpec.defaults();
    Instant until = SIM_START.plus(Duration.ofHours(25));
    // One Orekit timeline per plane's first TILE is plenty for timing the physics; measure prediction too.
    int distinct = Math.min(constellation.size(), 24);
    EclipseTimeline[] timelines = new EclipseTimeline[distinct];
    long t0 = System.nanoTime();
    for (int i = 0; i < distinct; i++) {
      timelines[i] = EclipsePredictor.timeline(constellation.get(i * constellation.size() / distinct).orbit(),
          SIM_START, until);
    }
    double predictSeconds = (System.nanoTime() - t0) / 1e9;
    emit("orekit.predict24h", predictSeconds / distinct * 1000.0, "ms/TILE");

    for (double dt : new double[] {10.0, 60.0}) {
      int n = dt < 30 ? 1000 : 10_000;
      warmUp(spec, timelines, dt);
      double elapsed = simulateDay(spec, timelines, n, dt);
      long steps = (long) n * Math.round(86_400 / dt);
      String tag = "dt" + (int) dt + "s";
      emit("physics.tileStepsPerSecond." + tag, steps / elapsed, "TILE-steps/s");
      emit("physics.day." + n + "tiles." + tag, elapsed, "s");
      if (n != 10_000) emit("physics.day.10000tiles." + tag + ".projected", elapsed * 10_000.0 / n, "s");
    }

    TilePhysics.State state = TilePhysics.State.initial(spec, TileInitialConditions.defaults());
    double[] draws = {40, 40, 40, 40};
    Instant now = SIM_START.plusSeconds(600);
    int reps = 2000;
    for (int i = 0; i < reps; i++) {
      TileForecast.computeBudgetWattsNow(spec, state, timelines[i % distinct], now, Duration.ofSeconds(11_500));
    }
    long b0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      TileForecast.computeBudgetWattsNow(spec, state, timelines[i % distinct], now, Duration.ofSeconds(11_500));
    }
    emit("forecast.budgetNow", (System.nanoTime() - b0) / 1e3 / reps, "us/call");
    for (int i = 0; i < reps / 4; i++) {
      TileForecast.forecast(spec, state, timelines[i % distinct], now, draws, Duration.ofSeconds(11_500),
          Duration.ofMinutes(5));
    }
    long f0 = System.nanoTime();
    for (int i = 0; i < reps / 4; i++) {
      TileForecast.forecast(spec, state, timelines[i % distinct], now, draws, Duration.ofSeconds(11_500),
          Duration.ofMinutes(5));
    }
    emit("forecast.twoOrbits", (System.nanoTime() - f0) / 1e3 / (reps / 4), "us/call");
  }

  private static void warmUp(TileSpec spec, EclipseTimeline[] timelines, double dt) {
    simulate(spec, timelines, 200, dt, Math.round(3 * 3600 / dt));
  }

  private static double simulateDay(TileSpec spec, EclipseTimeline[] timelines, int tiles, double dt) {
    long t0 = System.nanoTime();
    simulate(spec, timelines, tiles, dt, Math.round(86_400 / dt));
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Steps {@code tiles} TILEs through {@code steps} steps, time-major (as the simulator does). */
  private static double simulate(TileSpec spec, EclipseTimeline[] timelines, int tiles, double dt, long steps) {
    TilePhysics.State[] states = new TilePhysics.State[tiles];
    for (int i = 0; i < tiles; i++) states[i] = TilePhysics.State.initial(spec, TileInitialConditions.defaults());
    double[] draws = {40, 40, 40, 40};
    long half = Math.round(dt * 5e8);
    double sink = 0.0;
    for (long s = 0; s < steps; s++) {
      Instant mid = SIM_START.plusNanos(Math.round(s * dt * 1e9) + half);
      for (int i = 0; i < tiles; i++) {
        double f = timelines[i % timelines.length].sunlitFractionAt(mid);
        sink += TilePhysics.step(spec, states[i], f, draws, dt).batteryEnergyWh();
      }
    }
    return sink;
  }

  // ------------------------------------------------------------------ actors

  private void actors(List<TileOrbit> constellation, double warp, int seconds) throws Exception {
    Config config = org.soos.shared.runtime.RoleConfig.load("tile-node", ConfigFactory.parseString(String.join("\n",
        "akka.actor.provider = local",
        "akka.loglevel = WARNING")));
    TileNodeSettings node = TileNodeSettings.fromConfig(config);
    TileSettings settings = node.tile();
    AtomicLong reports = new AtomicLong();
    Map<TileId, Boolean> reported = new ConcurrentHashMap<>();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    ActorSystem<Void> system = ActorSystem.create(Behaviors.<Void>empty(), "soos", config);
    try {
      ActorRef<CoordinatorProtocol.Command> sink = system.systemActorOf(counter(reports, reported), "sink",
          akka.actor.typed.Props.empty());
      Executor predictions = system.dispatchers().lookup(DispatcherSelector.fromConfig(
          TileNodeSettings.PREDICTION_DISPATCHER));
      long baseline = settledHeap(memory);
      SimClock clock = SimClock.warped(SIM_START, warp);
      TileActor.Wiring wiring = new TileActor.Wiring(clock, (PlaneId plane) -> (RecipientRef<CoordinatorProtocol.Command>) sink,
          EclipseSource.orekit(), predictions, new SimulatedExecutor(),
          SimulatedTileSensors.factory(node.initial(), settings.maxSubStep()));
      long spawn0 = System.nanoTime();
      int n = constellation.size();
      for (int k = 0; k < n; k++) {
        TileOrbit orbit = constellation.get(k);
        system.systemActorOf(TileActor.create(orbit, node.spec(), settings, wiring, node.firstTickDelay(k, n)),
            "tile-" + orbit.tileId().value(), akka.actor.typed.Props.empty());
      }
      while (reported.size() < n) {
        Thread.sleep(100);
        if (System.nanoTime() - spawn0 > Duration.ofMinutes(10).toNanos()) {
          throw new IllegalStateException("only " + reported.size() + " of " + n + " TILEs reported within 10 min");
        }
      }
      double startupSeconds = (System.nanoTime() - spawn0) / 1e9;
      emit("actors.startupUntilAllReported", startupSeconds, "s");

      long r0 = reports.get();
      long cpu0 = processCpuNanos();
      long w0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      double wall = (System.nanoTime() - w0) / 1e9;
      double cpu = (processCpuNanos() - cpu0) / 1e9;
      long r1 = reports.get();
      emit("actors.reportsPerSecond", (r1 - r0) / wall, "reports/s");
      emit("actors.cpu", cpu / wall, "cores");
      emit("actors.simulatedSecondsPerWallSecond", warp, "x");

      long used = settledHeap(memory);
      emit("actors.tiles", n, "count");
      emit("actors.heapUsed", used / 1048576.0, "MiB");
      emit("actors.heapPerTile", (used - baseline) / 1024.0 / n, "KiB/TILE");
      emit("actors.heapFor1000Tiles", (used - baseline) / 1048576.0 / n * 1000, "MiB");
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  private static Behavior<CoordinatorProtocol.Command> counter(AtomicLong reports, Map<TileId, Boolean> reported) {
    return Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(CoordinatorProtocol.ReportTile.class, r -> {
          reports.incrementAndGet();
          reported.put(r.report().tileId(), Boolean.TRUE);
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
    return 0L;
  }

  /** A Walker constellation of about {@code tiles} TILEs from the reference config. */
  private static List<TileOrbit> constellation(int tiles) {
    int planes = Math.max(1, (int) Math.round(Math.sqrt(tiles / 1.6)));
    int perPlane = (int) Math.ceil(tiles / (double) planes);
    Config c = ConfigFactory.parseString("soos.constellation { type = walker, planes = " + planes
        + ", tiles-per-plane = " + perPlane + ", phasing = 1, epoch = \"sim-start\" }")
        .withFallback(ConfigFactory.load());
    List<TileOrbit> all = ConstellationSpec.fromConfig(c, SIM_START).build();
    return new ArrayList<>(all.subList(0, Math.min(tiles, all.size())));
  }

  // ------------------------------------------------------------------ output

  private void emit(String metric, double value, String unit) {
    String v = String.format(Locale.ROOT, "%.4g", value);
    System.out.printf(Locale.ROOT, "{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\"}%n", BENCH, metric,
        v, unit);
    System.out.flush();
    results.put(metric, new String[] {v, unit});
  }

  private void printTable() {
    int w = results.keySet().stream().mapToInt(String::length).max().orElse(10);
    System.out.println();
    System.out.printf("%-" + w + "s  %12s  %s%n", "metric", "value", "unit");
    System.out.println("-".repeat(w + 30));
    results.forEach((k, v) -> System.out.printf("%-" + w + "s  %12s  %s%n", k, v[0], v[1]));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
    return args[i];
  }
}
