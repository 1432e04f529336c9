package org.soos.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.soos.shared.id.PlaneId;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.OrbitSpec;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.power.SolarArray;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;

/**
 * What every policy's run of one scenario shares: the TILEs, their planes, and each TILE's eclipse
 * timeline, predicted once per TILE per run with {@link EclipsePredictor} (Orekit) over the run plus the
 * forecast look-ahead. Immutable after {@link #of}.
 *
 * <p>For fast stepping each timeline is also kept as its shadow edges in seconds from the scenario start
 * and the shadow state of the stretch between two edges ({@link Cursor}); the sunlit fraction of a
 * penumbra stretch is still read from the timeline itself.
 */
public final class SimConstellation {
  private final Scenario scenario;
  private final List<TileOrbit> tiles;
  private final EclipseTimeline[] timelines;
  private final double[][] edges;
  private final EclipseState[][] states;
  private final double[] betaFromDeg;
  private final double[] betaUntilDeg;
  private final int[] planeIndex;
  private final int[] ringIndex;
  private final List<PlaneId> planes;
  private final double periodSeconds;
  private final Instant timelineFrom;
  private final Instant timelineUntil;

  private SimConstellation(Scenario scenario, List<TileOrbit> tiles, EclipseTimeline[] timelines, double[] betaFrom,
      double[] betaUntil, double periodSeconds, Instant from, Instant until) {
    this.scenario = scenario;
    this.tiles = List.copyOf(tiles);
    this.timelines = timelines;
    this.betaFromDeg = betaFrom;
    this.betaUntilDeg = betaUntil;
    this.periodSeconds = periodSeconds;
    this.timelineFrom = from;
    this.timelineUntil = until;
    int n = tiles.size();
    this.edges = new double[n][];
    this.states = new EclipseState[n][];
    this.planeIndex = new int[n];
    this.ringIndex = new int[n];
    Map<PlaneId, Integer> planeIds = new LinkedHashMap<>();
    Map<PlaneId, Integer> ringCounts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      PlaneId p = tiles.get(i).planeId();
      planeIndex[i] = planeIds.computeIfAbsent(p, k -> planeIds.size());
      ringIndex[i] = ringCounts.merge(p, 1, Integer::sum) - 1;
      compile(i);
    }
    this.planes = List.copyOf(planeIds.keySet());
  }

  /**
   * Predicts every TILE's shadow passes over [start - 1 h, end + 1.5 forecast lengths + 10 min), on up to
   * {@code threads} threads (the result does not depend on the thread count).
   */
  public static SimConstellation of(Scenario scenario, int threads) {
    List<TileOrbit> tiles = scenario.tiles();
    double period = periodSeconds(tiles.get(0).orbit());
    Duration lookAhead = Duration.ofMillis(Math.round(1.5 * scenario.simulation().forecastOrbits() * period * 1000.0))
        .plusMinutes(10);
    Instant from = scenario.start().minus(Duration.ofHours(1));
    Instant until = scenario.end().plus(lookAhead);
    int n = tiles.size();
    EclipseTimeline[] timelines = new EclipseTimeline[n];
    double[] betaFrom = new double[n];
    double[] betaUntil = new double[n];
    int workers = Math.max(1, Math.min(threads, n));
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "soos-sim-eclipses");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        futures.add(pool.submit(() -> {
          for (int i = worker; i < n; i += workers) {
            OrbitSpec orbit = tiles.get(i).orbit();
            timelines[i] = EclipsePredictor.timeline(orbit, from, until);
            betaFrom[i] = EclipsePredictor.betaAngleDeg(orbit, scenario.start());
            betaUntil[i] = EclipsePredictor.betaAngleDeg(orbit, scenario.end());
          }
        }));
      }
      for (Future<?> f : futures) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("eclipse prediction interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) throw re;
      throw new IllegalStateException("eclipse prediction failed: " + c, c);
    } finally {
      pool.shutdownNow();
    }
    return new SimConstellation(scenario, tiles, timelines, betaFrom, betaUntil, period, from, until);
  }

  private static double periodSeconds(OrbitSpec orbit) {
    if (orbit instanceof OrbitSpec.Circular c) return c.periodSeconds();
    return 86_400.0 / ((OrbitSpec.Tle) orbit).meanMotionRevPerDay();
  }

  private void compile(int i) {
    EclipseTimeline tl = timelines[i];
    Instant start = scenario.start();
    List<Double> e = new ArrayList<>();
    Instant t = timelineFrom;
    while (true) {
      var next = tl.nextTransitionAfter(t);
      if (next.isEmpty() || !next.get().isBefore(timelineUntil)) break;
      e.add(Duration.between(start, next.get()).toNanos() / 1e9);
      t = next.get();
    }
    edges[i] = new double[e.size()];
    states[i] = new EclipseState[e.size() + 1];
    states[i][0] = tl.stateAt(timelineFrom);
    for (int k = 0; k < e.size(); k++) {
      edges[i][k] = e.get(k);
      states[i][k + 1] = tl.stateAt(instantAt(e.get(k)));
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  public int size() {
    return tiles.size();
  }

  public TileOrbit tile(int i) {
    return tiles.get(i);
  }

  public List<TileOrbit> tiles() {
    return tiles;
  }

  public EclipseTimeline timeline(int i) {
    return timelines[i];
  }

  /** Index of TILE {@code i}'s plane, in order of first appearance. */
  public int planeIndex(int i) {
    return planeIndex[i];
  }

  /** Position of TILE {@code i} in its plane's ring, 0-based, in constellation order. */
  public int ringIndex(int i) {
    return ringIndex[i];
  }

  public List<PlaneId> planes() {
    return planes;
  }

  /** Orbital period of the first TILE, s. */
  public double periodSeconds() {
    return periodSeconds;
  }

  /** Beta angle of TILE {@code i} at {@code t}, degrees, interpolated between the run's start and end. */
  public double betaAngleDeg(int i, Instant t) {
    double span = scenario.duration().toNanos();
    double x = Math.max(0.0, Math.min(1.0, Duration.between(scenario.start(), t).toNanos() / span));
    return betaFromDeg[i] + x * (betaUntilDeg[i] - betaFromDeg[i]);
  }

  /** The instant {@code seconds} after the scenario start (millisecond resolution is not enough for edges). */
  public Instant instantAt(double seconds) {
    long whole = (long) Math.floor(seconds);
    long nanos = Math.round((seconds - whole) * 1e9);
    return scenario.start().plusSeconds(whole).plusNanos(nanos);
  }

  /**
   * Mean harvestable payload power of the constellation over the run, W: every TILE's array output in
   * sunlight (at the plate's sunlit equilibrium temperature) times its sunlit time, minus housekeeping.
   * The workload generator sizes arrivals against it.
   */
  public double harvestablePayloadWatts() {
    TileSpec spec = scenario.tile();
    double sunPlate = TilePhysics.equilibriumPlateTempCelsius(spec, 1.0);
    double fullSun = SolarArray.outputWatts(spec.solar(), 1.0, spec.solar().cosIncidence(), Math.min(400.0, sunPlate));
    double runSeconds = scenario.duration().toNanos() / 1e9;
    double total = 0;
    for (int i = 0; i < tiles.size(); i++) {
      Cursor c = cursor(i);
      double sunlit = 0;
      double t = 0;
      while (t < runSeconds) {
        double e = Math.min(runSeconds, c.nextEdgeAfter(t));
        sunlit += (e - t) * c.fractionOver(t, e);
        t = e;
      }
      total += Math.max(0.0, fullSun * sunlit / runSeconds - spec.housekeepingWatts());
    }
    return total;
  }

  /** A forward-moving reader of TILE {@code i}'s shadow stretches. */
  public Cursor cursor(int i) {
    return new Cursor(i);
  }

  /** Reads one TILE's shadow edges and sunlit fraction for times that only move forward. */
  public final class Cursor {
    private final int tile;
    private final double[] e;
    private final EclipseState[] s;
    private int k; // e[k - 1] <= t < e[k]

    private Cursor(int tile) {
      this.tile = tile;
      this.e = edges[tile];
      this.s = states[tile];
    }

    private void seek(double t) {
      while (k < e.length && e[k] <= t) k++;
    }

    /** The first shadow edge after {@code t}, s from the start; +infinity when none is known. */
    public double nextEdgeAfter(double t) {
      seek(t);
      return k < e.length ? e[k] : Double.POSITIVE_INFINITY;
    }

    /** Shadow state at {@code t}. */
    public EclipseState stateAt(double t) {
      seek(t);
      return s[k];
    }

    /**
     * Sunlit fraction to use for the stretch [a, b), which must not contain a shadow edge: 1 in sunlight, 0 in
     * umbra, the timeline's value at the midpoint in penumbra (the fraction ramps linearly there).
     */
    public double fractionOver(double a, double b) {
      seek(a);
      return switch (s[k]) {
        case SUNLIT -> 1.0;
        case UMBRA -> 0.0;
        case PENUMBRA -> timelines[tile].sunlitFractionAt(instantAt(0.5 * (a + b)));
      };
    }

    /**
     * Seconds from {@code t} until the TILE is fully sunlit again (the end of the present shadow pass); 0 in
     * sunlight, +infinity when no such edge is known.
     */
    public double secondsToSunlight(double t) {
      seek(t);
      if (s[k] == EclipseState.SUNLIT) return 0.0;
      for (int j = k; j < e.length; j++) {
        if (s[j + 1] == EclipseState.SUNLIT) return e[j] - t;
      }
      return Double.POSITIVE_INFINITY;
    }

    /** Sunlit fraction at the instant {@code t}. */
    public double fractionAt(double t) {
      seek(t);
      return switch (s[k]) {
        case SUNLIT -> 1.0;
        case UMBRA -> 0.0;
        case PENUMBRA -> timelines[tile].sunlitFractionAt(instantAt(t));
      };
    }
  }
}
