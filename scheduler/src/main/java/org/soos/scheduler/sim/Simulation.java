package org.soos.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.soos.scheduler.policy.ClusterView;
import org.soos.scheduler.policy.Decision;
import org.soos.scheduler.policy.PendingJob;
import org.soos.scheduler.policy.RunningJob;
import org.soos.scheduler.policy.SchedulingPolicy;
import org.soos.scheduler.policy.TileView;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.orin.ThermalGuardRules;
import org.soos.shared.power.LoadShedRules;
import org.soos.shared.power.PowerLedger;
import org.soos.shared.power.SolarArray;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.thermal.ThermalSpec;
import org.soos.shared.tile.TileForecast;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;

/**
 * The deterministic constellation simulator: one run of one {@link SchedulingPolicy} over a scenario. No
 * actors and no clock: simulated time advances in steps of {@code simulation.stepSeconds}.
 *
 * <p><b>Physics</b>, per TILE and step: {@link TilePhysics#step} (array, battery and power bus, plate and
 * junctions) in sub-steps cut at every shadow edge of the TILE's {@link EclipseTimeline}, each with the
 * sunlit fraction of its stretch; each Orin's draw and its job's speed from {@link OrinPowerModel} in the
 * mode in force (the slowest of the mode the scheduler asked for, the thermal guard's ceiling and the TILE's
 * shedding ceiling), averaged over the part of the sub-step it ran (a job that completes or starts mid-step
 * draws idle power for the rest). Jobs checkpoint every {@code checkpoint.intervalSeconds} of running time.
 *
 * <p><b>The TILE and its Orins protect themselves</b> according to the run's {@link NodeAgent}. Under every
 * agent a payload-bus cut (brownout) kills the running jobs, which lose their work since their last
 * checkpoint and go back to pending, and the bus stays off until the battery has recovered; at the end of
 * every step each Orin's thermal guard ({@link ThermalGuardRules}) throttles. Under {@link NodeAgent#SOOS}, as the
 * tile-node does, the guard at the shutdown temperature checkpoints and stops its job and powers off, and the
 * TILE decides load shedding ({@link LoadShedRules}): lower modes, then checkpoint and suspend jobs, lowest
 * priority first. Under {@link NodeAgent#PLAIN} the job of an Orin at its shutdown temperature is killed and
 * nothing is shed ahead of the floor.
 *
 * <p><b>Decisions</b>, every {@code simulation.decisionIntervalSeconds}: arrived jobs join the pending set, each
 * TILE's {@link TileReport} is built as the TILE actor builds it (present state, eclipse windows ahead, a
 * {@link TileForecast} refreshed every {@code forecastRefreshMinutes} and carried from now on), and the
 * policy's {@link SchedulingPolicy#decide} answer is applied in order with the live system's semantics:
 * <ul>
 *   <li>{@code Place}: a new placement epoch; the Orin starts the job from its last checkpoint, unless the
 *       slot is taken, the Orin is shut down, the TILE is shedding (battery-floor) or memory is short;
 *   <li>{@code Migrate}: checkpoint on the source, a new epoch, the checkpoint crosses the link in
 *       size / bandwidth (in-plane or cross-plane bandwidth of the scenario) while the source TILE draws the
 *       link's transmit power, then the target starts it from the checkpoint (or it goes back to pending if
 *       the target cannot take it by then);
 *   <li>{@code Preempt} and {@code Suspend}: checkpoint (when the job can) and stop; the job goes back to pending;
 *   <li>{@code SetPowerMode}: the Orin's requested mode (it stays until changed).
 * </ul>
 * A decision that does not match the state (stale) is refused and counted, as a TILE would refuse it.
 *
 * <p>Everything is iterated in constellation and arrival order, so the same scenario and seed give the
 * same result on every run.
 */
public final class Simulation {
  /** Receives the fraction of simulated time done, 0..1. */
  @FunctionalInterface
  public interface Progress {
    void update(double fraction);
  }

  private static final double EPS = 1e-9;

  /** Why a running instance stopped with work not covered by a checkpoint. */
  private enum Cause { BROWNOUT, SHEDDING, THERMAL_SHUTDOWN, DECISION }

  private final SimConstellation constellation;
  private final Scenario scenario;
  private final SchedulingPolicy policy;
  private final NodeAgent agent;
  private final List<WorkloadGenerator.Arrival> arrivals;
  private final TileSpec spec;
  private final Scenario.SimSettings settings;
  private final Tile[] tiles;
  private final Map<TileId, Integer> tileIndex = new HashMap<>();
  private final Map<JobId, SimJob> jobs = new HashMap<>();
  private final List<SimJob> allJobs = new ArrayList<>();
  private final LinkedHashSet<SimJob> pending = new LinkedHashSet<>();
  private final Duration forecastHorizon;
  private final int[] sampleTiles;
  private final double stepSeconds;
  private final double runSeconds;

  private final int threads;

  // Counters of the decisions (the TILEs count their own events, see Tile).
  private long placements;
  private long preemptions;
  private long suspensions;
  private long modeChanges;
  private long rejected;
  private long migrations;
  private long migrationBytes;
  private long decisionRounds;
  private int nextArrival;
  /** Set once the policy has read a forecast: from then on forecasts are computed with the reports, in parallel. */
  private volatile boolean policyReadsForecasts;
  private final List<PolicyResult.SeriesPoint> series = new ArrayList<>();
  private final List<PolicyResult.TileSample> samples = new ArrayList<>();

  private Simulation(SimConstellation constellation, List<WorkloadGenerator.Arrival> arrivals, SchedulingPolicy policy,
      NodeAgent agent, int threads) {
    this.agent = agent;
    this.constellation = constellation;
    this.threads = Math.max(1, threads);
    this.scenario = constellation.scenario();
    this.policy = policy;
    this.arrivals = arrivals;
    this.spec = scenario.tile();
    this.settings = scenario.simulation();
    this.stepSeconds = settings.step().toMillis() / 1000.0;
    this.runSeconds = scenario.duration().toNanos() / 1e9;
    // The points of a forecast are carried until the next refresh: make them reach the policy's horizon even then.
    this.forecastHorizon = Duration.ofMillis(Math.round(settings.forecastOrbits() * constellation.periodSeconds() * 1000.0))
        .plus(settings.forecastRefresh());
    int n = constellation.size();
    this.tiles = new Tile[n];
    for (int i = 0; i < n; i++) {
      tiles[i] = new Tile(i);
      tileIndex.put(tiles[i].id, i);
    }
    int count = Math.min(settings.sampleTiles(), n);
    this.sampleTiles = new int[count];
    for (int s = 0; s < count; s++) sampleTiles[s] = (int) ((long) s * n / count);
  }

  /** {@link #run(SimConstellation, List, SchedulingPolicy, NodeAgent, Progress, int)} on one thread, SOOS tile-nodes. */
  public static PolicyResult run(SimConstellation constellation, List<WorkloadGenerator.Arrival> arrivals,
      SchedulingPolicy policy, Progress progress) {
    return run(constellation, arrivals, policy, NodeAgent.SOOS, progress, 1);
  }

  /**
   * Runs {@code policy} over the scenario of {@code constellation} with the given jobs.
   *
   * @param agent what protects each TILE beside the policy ({@link SimPolicies#nodeAgent})
   * @param progress told the fraction of simulated time done now and then (may be null)
   * @param threads TILEs are stepped and reported on up to this many threads between decisions (the policy
   *     runs on the caller's thread); the result does not depend on it
   */
  public static PolicyResult run(SimConstellation constellation, List<WorkloadGenerator.Arrival> arrivals,
      SchedulingPolicy policy, NodeAgent agent, Progress progress, int threads) {
    return new Simulation(constellation, arrivals, policy, agent, threads).run(progress);
  }

  private PolicyResult run(Progress progress) {
    long stepMillis = settings.step().toMillis();
    long decisionEvery = settings.decisionInterval().toMillis() / stepMillis;
    long steps = (long) Math.ceil(scenario.duration().toMillis() / (double) stepMillis);
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "soos-sim-" + policy.name());
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      for (long k = 0; k < steps; k += decisionEvery) {
        double a = k * stepSeconds;
        decide(a, pool);
        long first = k;
        long last = Math.min(steps, k + decisionEvery);
        forEachTile(pool, t -> {
          for (long j = first; j < last; j++) {
            double from = j * stepSeconds;
            t.step(from, Math.min(runSeconds, from + stepSeconds));
          }
        });
        for (Tile t : tiles) t.flushRequeued();
        closeInterval(Math.min(runSeconds, last * stepSeconds));
        if (progress != null) progress.update((double) last / steps);
      }
    } finally {
      if (pool != null) pool.shutdownNow();
    }
    return result();
  }

  /** Runs {@code work} for every TILE, on the pool's threads in contiguous chunks (or here without a pool). */
  private void forEachTile(ExecutorService pool, Consumer<Tile> work) {
    if (pool == null) {
      for (Tile t : tiles) work.accept(t);
      return;
    }
    int chunks = Math.min(tiles.length, threads * 8);
    List<Future<?>> futures = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) c * tiles.length / chunks);
      int to = (int) ((long) (c + 1) * tiles.length / chunks);
      futures.add(pool.submit(() -> {
        for (int i = from; i < to; i++) work.accept(tiles[i]);
      }));
    }
    try {
      for (Future<?> f : futures) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("simulation interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error err) throw err;
      throw new IllegalStateException(c);
    }
  }

  // ------------------------------------------------------------------ decisions

  private void decide(double now, ExecutorService pool) {
    while (nextArrival < arrivals.size() && arrivals.get(nextArrival).atSeconds() <= now) {
      WorkloadGenerator.Arrival a = arrivals.get(nextArrival++);
      SimJob j = new SimJob(a.id(), a.spec(), a.atSeconds(), constellation.instantAt(a.atSeconds()));
      jobs.put(j.id, j);
      allJobs.add(j);
      pending.add(j);
    }
    Instant nowInstant = constellation.instantAt(now);
    TileView[] built = new TileView[tiles.length];
    forEachTile(pool, t -> built[t.index] = t.view(now, nowInstant));
    Map<TileId, TileView> views = new LinkedHashMap<>(tiles.length * 2);
    List<RunningJob> running = new ArrayList<>();
    for (Tile t : tiles) {
      views.put(t.id, built[t.index]);
      for (int s = 0; s < t.n; s++) {
        SimJob j = t.jobs[s];
        if (j == null) continue;
        running.add(new RunningJob(j.id, j.spec, t.id, t.plane, s, j.epoch, j.doneGpuSeconds,
            constellation.instantAt(j.placedAtSeconds), j.state == SimJob.State.MIGRATING));
      }
    }
    List<PendingJob> waiting = new ArrayList<>(pending.size());
    for (SimJob j : pending) waiting.add(j.pendingView());
    List<Decision> decisions = policy.decide(new ClusterView(nowInstant, views, waiting, running));
    if (!policyReadsForecasts) {
      for (Tile t : tiles) {
        if (t.forecast != null && t.forecast.read()) {
          policyReadsForecasts = true;
          break;
        }
      }
    }
    decisionRounds++;
    for (Decision d : decisions) {
      apply(d, now);
      Integer ti = d instanceof Decision.Preempt p ? tileIndex.get(p.tileId())
          : d instanceof Decision.Suspend x ? tileIndex.get(x.tileId()) : null;
      if (ti != null) tiles[ti].flushRequeued();
    }
  }

  private void apply(Decision d, double now) {
    SimJob job = jobs.get(d.jobId());
    if (d instanceof Decision.Place p) {
      Integer ti = tileIndex.get(p.tileId());
      if (job == null || job.state != SimJob.State.PENDING || ti == null || !tiles[ti].canStart(p.slot(), job.spec)) {
        rejected++;
        return;
      }
      Tile t = tiles[ti];
      pending.remove(job);
      job.epoch++;
      job.tile = ti;
      job.slot = p.slot();
      job.placedAtSeconds = now;
      job.runFromSeconds = now;
      job.doneGpuSeconds = job.committedGpuSeconds;
      job.runSinceCheckpointSeconds = 0;
      job.state = SimJob.State.RUNNING;
      t.jobs[p.slot()] = job;
      placements++;
    } else if (d instanceof Decision.Migrate m) {
      Integer from = tileIndex.get(m.fromTile());
      Integer to = tileIndex.get(m.toTile());
      if (job == null || from == null || to == null || !job.migratable || !isRunningAt(job, from, m.fromSlot(), now)
          || from.equals(to) && m.fromSlot() == m.toSlot() || !tiles[to].canStart(m.toSlot(), job.spec)) {
        rejected++;
        return;
      }
      Tile src = tiles[from];
      Tile dst = tiles[to];
      job.checkpoint();
      src.jobs[m.fromSlot()] = null;
      boolean samePlane = src.plane.equals(dst.plane);
      double transfer = scenario.links().transferSeconds(job.checkpointBytes, samePlane);
      src.addTransfer(m.fromSlot(), now, now + transfer);
      job.epoch++;
      job.tile = to;
      job.slot = m.toSlot();
      job.placedAtSeconds = now;
      job.runFromSeconds = now + transfer;
      job.state = SimJob.State.MIGRATING;
      dst.jobs[m.toSlot()] = job;
      migrations++;
      migrationBytes += job.checkpointBytes;
      job.migrations++;
    } else if (d instanceof Decision.Preempt p) {
      Integer ti = tileIndex.get(p.tileId());
      if (job == null || ti == null || !isRunningAt(job, ti, p.slot(), now)) {
        rejected++;
        return;
      }
      tiles[ti].stopToPending(p.slot(), Cause.DECISION);
      preemptions++;
    } else if (d instanceof Decision.Suspend s) {
      Integer ti = tileIndex.get(s.tileId());
      if (job == null || ti == null || !isRunningAt(job, ti, s.slot(), now)) {
        rejected++;
        return;
      }
      tiles[ti].stopToPending(s.slot(), Cause.DECISION);
      suspensions++;
    } else if (d instanceof Decision.SetPowerMode pm) {
      Integer ti = tileIndex.get(pm.tileId());
      if (ti == null || pm.slot() < 0 || pm.slot() >= tiles[ti].n) {
        rejected++;
        return;
      }
      Tile t = tiles[ti];
      PowerMode mode = t.modules[pm.slot()].mode(pm.modeId()).orElse(null);
      if (mode == null) {
        rejected++;
        return;
      }
      t.requested[pm.slot()] = mode;
      modeChanges++;
    }
  }

  private boolean isRunningAt(SimJob job, int tile, int slot, double now) {
    return job.state == SimJob.State.RUNNING && job.tile == tile && job.slot == slot && job.runFromSeconds <= now + EPS
        && slot >= 0 && slot < tiles[tile].n && tiles[tile].jobs[slot] == job;
  }

  // ------------------------------------------------------------------ series and result

  private void closeInterval(double now) {
    double lastEnd = series.isEmpty() ? 0 : series.get(series.size() - 1).hours() * 3600.0;
    if (now < lastEnd + EPS) return;
    double hours = (now - lastEnd) / 3600.0;
    int runningJobs = 0;
    double harvestWh = 0;
    double payloadWh = 0;
    double jobWh = 0;
    for (Tile t : tiles) {
      for (SimJob j : t.jobs) if (j != null) runningJobs++;
      harvestWh += t.intervalHarvestWh;
      payloadWh += t.intervalPayloadWh;
      jobWh += t.intervalJobWh;
      t.intervalHarvestWh = 0;
      t.intervalPayloadWh = 0;
      t.intervalJobWh = 0;
    }
    series.add(new PolicyResult.SeriesPoint(now / 3600.0, harvestWh / hours, payloadWh / hours,
        jobWh / hours, runningJobs, pending.size()));
    for (int s : sampleTiles) {
      Tile t = tiles[s];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < t.n; k++) max = Math.max(max, t.state.junctionTempCelsius(k));
      samples.add(new PolicyResult.TileSample(t.id.value(), now / 3600.0, t.state.batteryEnergyWh(), max,
          t.state.plateTempCelsius()));
    }
  }

  private PolicyResult result() {
    double end = runSeconds;
    double useful = 0;
    double lost = 0;
    double executed = 0;
    double usefulWh = 0;
    double wastedWh = 0;
    long completed = 0;
    long lostJobs = 0;
    long withDeadline = 0;
    long missed = 0;
    List<Double> slowdowns = new ArrayList<>();
    for (SimJob j : allJobs) {
      double progress;
      if (j.state == SimJob.State.COMPLETED) {
        progress = j.spec.workGpuSeconds();
        completed++;
        OrinModule m = spec.orins().get(0);
        double ideal = j.spec.workGpuSeconds() / m.maxMode().speedFactor();
        slowdowns.add((j.completedSeconds - j.submitSeconds) / ideal);
      } else if (j.state == SimJob.State.RUNNING) {
        progress = j.doneGpuSeconds;
      } else {
        progress = j.committedGpuSeconds;
      }
      useful += progress;
      lost += j.lostGpuSeconds;
      executed += j.executedGpuSeconds;
      double inflightWh = j.state == SimJob.State.RUNNING ? j.energySinceCheckpointWh : 0.0;
      usefulWh += j.usefulEnergyWh + inflightWh;
      wastedWh += j.wastedEnergyWh + (j.state == SimJob.State.RUNNING ? 0.0 : j.energySinceCheckpointWh);
      if (j.lost) lostJobs++;
      Instant deadline = j.spec.deadline();
      if (deadline != null) {
        double dl = Duration.between(scenario.start(), deadline).toNanos() / 1e9;
        boolean done = j.state == SimJob.State.COMPLETED;
        if (done || dl <= end) {
          withDeadline++;
          if (!done || j.completedSeconds > dl + EPS) missed++;
        }
      }
    }
    double harvested = 0;
    double consumed = 0;
    double stored = 0;
    double loss = 0;
    double curtailed = 0;
    double unmet = 0;
    List<String> ids = new ArrayList<>(tiles.length);
    double[] perTile = new double[tiles.length];
    long brownouts = 0;
    long brownoutKills = 0;
    long shedSuspensions = 0;
    long thermalShutdowns = 0;
    long thermalThrottles = 0;
    double thermalViolationSeconds = 0;
    double housekeepingWh = 0;
    double idleWh = 0;
    double linkWh = 0;
    long[] losses = new long[Cause.values().length];
    for (Tile t : tiles) {
      for (int c = 0; c < losses.length; c++) losses[c] += t.losses[c];
      brownouts += t.brownouts;
      brownoutKills += t.brownoutKills;
      shedSuspensions += t.shedSuspensions;
      thermalShutdowns += t.thermalShutdowns;
      thermalThrottles += t.thermalThrottles;
      thermalViolationSeconds += t.thermalViolationSeconds;
      housekeepingWh += t.housekeepingWh;
      idleWh += t.idleWh;
      linkWh += t.linkWh;
      rejected += t.rejectedLandings;
      t.rejectedLandings = 0;
      PowerLedger l = t.ledger;
      harvested += l.harvestedWh();
      consumed += l.consumedWh();
      stored += l.storedWh();
      loss += l.lossWh();
      curtailed += l.curtailedWh();
      unmet += l.unmetWh();
      ids.add(t.id.value());
      perTile[t.index] = (t.workGpuSeconds - t.lostGpuSeconds) / 3600.0;
    }
    slowdowns.sort(Double::compare);
    PolicyResult.Metrics metrics = new PolicyResult.Metrics(
        harvested, usefulWh, useful / 3600.0, lost / 3600.0, arrivals.size(), completed, lostJobs,
        withDeadline == 0 ? 0.0 : 100.0 * missed / withDeadline, migrations, migrationBytes,
        thermalViolationSeconds, brownouts, percentile(slowdowns, 0.50), percentile(slowdowns, 0.95));
    PolicyResult.Energy energy = new PolicyResult.Energy(harvested, consumed, stored, loss, curtailed, unmet,
        housekeepingWh, usefulWh, wastedWh, idleWh, linkWh);
    PolicyResult.Counters counters = new PolicyResult.Counters(placements, preemptions, suspensions, modeChanges,
        rejected, brownoutKills, shedSuspensions, thermalShutdowns, thermalThrottles, executed / 3600.0, decisionRounds,
        losses[Cause.BROWNOUT.ordinal()], losses[Cause.SHEDDING.ordinal()], losses[Cause.THERMAL_SHUTDOWN.ordinal()],
        losses[Cause.DECISION.ordinal()]);
    return new PolicyResult(policy.name(), metrics, energy, counters, List.copyOf(series), List.copyOf(samples),
        List.copyOf(ids), perTile);
  }

  /** Nearest-rank percentile of sorted values; null when there are none. */
  static Double percentile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) return null;
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  // ------------------------------------------------------------------ one TILE

  /** One TILE and its Orins. */
  private final class Tile {
    final int index;
    final TileId id;
    final PlaneId plane;
    final int n;
    final SimConstellation.Cursor cursor;
    final EclipseTimeline timeline;
    final TilePhysics.State state;
    final PowerLedger ledger = new PowerLedger();
    final OrinModule[] modules;
    final PowerMode[] requested;
    final PowerMode[] tileCap;
    final ThermalGuardRules[] guards;
    /** The guards' dwell between two changes, s. */
    final double dwellSeconds;
    /** When each guard last changed anything, seconds from the scenario start (its dwell starts there). */
    final double[] guardChangedAt;
    final SimJob[] jobs;
    boolean shedding;
    boolean inBrownout;
    double workGpuSeconds;
    double lostGpuSeconds;
    // This TILE's own accounts (summed over TILEs in order, so the totals do not depend on threads).
    long brownouts;
    long brownoutKills;
    long shedSuspensions;
    long thermalShutdowns;
    long thermalThrottles;
    long rejectedLandings;
    double thermalViolationSeconds;
    double housekeepingWh;
    double idleWh;
    double linkWh;
    double intervalHarvestWh;
    double intervalPayloadWh;
    double intervalJobWh;
    /** Running instances that lost work, by cause. */
    final long[] losses = new long[Cause.values().length];
    /** Jobs this TILE sent back to pending since the last flush, in order. */
    final List<SimJob> requeued = new ArrayList<>();
    // Outgoing checkpoint transfers: slot, from, until (s).
    final List<double[]> transfers = new ArrayList<>(2);
    // Scratch, per sub-step.
    final double[] draw;
    final double[] runSeconds;
    final double[] jobDraw;
    final double[] idleDraw;
    final double[] linkWattSeconds;
    final double[] committedRunSeconds;
    final SimJob[] stepJob;
    final boolean[] completedInStep;
    // Report state.
    LazyForecast forecast;
    double forecastBudgetWatts;
    double forecastAt = Double.NEGATIVE_INFINITY;
    double lastReportAt = Double.NaN;
    double lastReportPlate;

    Tile(int index) {
      this.index = index;
      var orbit = constellation.tile(index);
      this.id = orbit.tileId();
      this.plane = orbit.planeId();
      this.n = spec.orinCount();
      this.cursor = constellation.cursor(index);
      this.timeline = constellation.timeline(index);
      this.state = TilePhysics.State.initial(spec, scenario.initial());
      this.modules = spec.orins().toArray(new OrinModule[0]);
      this.requested = new PowerMode[n];
      this.tileCap = new PowerMode[n];
      this.guards = new ThermalGuardRules[n];
      this.guardChangedAt = new double[n];
      this.jobs = new SimJob[n];
      this.dwellSeconds = settings.throttleDwell().toMillis() / 1000.0;
      for (int s = 0; s < n; s++) {
        requested[s] = modules[s].maxMode();
        guards[s] = new ThermalGuardRules(modules[s], spec.thermal());
        guardChangedAt[s] = Double.NEGATIVE_INFINITY;
      }
      this.draw = new double[n];
      this.runSeconds = new double[n];
      this.jobDraw = new double[n];
      this.idleDraw = new double[n];
      this.linkWattSeconds = new double[n];
      this.committedRunSeconds = new double[n];
      this.stepJob = new SimJob[n];
      this.completedInStep = new boolean[n];
    }

    PowerMode modeInForce(int s) {
      PowerMode m = requested[s];
      PowerMode g = guards[s].ceiling().orElse(null);
      if (g != null && g.budgetWatts() < m.budgetWatts()) m = g;
      if (tileCap[s] != null && tileCap[s].budgetWatts() < m.budgetWatts()) m = tileCap[s];
      return m;
    }

    /** Draw of slot {@code s} from now on, W. */
    double currentDraw(int s) {
      if (guards[s].shutDown()) return 0.0;
      SimJob j = jobs[s];
      boolean running = j != null && j.state == SimJob.State.RUNNING;
      return running
          ? OrinPowerModel.drawWatts(modules[s], modeInForce(s), j.spec.powerWatts(), 1)
          : OrinPowerModel.drawWatts(modules[s], modeInForce(s), 0.0, 0);
    }

    boolean canStart(int slot, JobSpec job) {
      return slot >= 0 && slot < n && jobs[slot] == null && !guards[slot].shutDown() && !shedding
          && job.memoryGb() <= modules[slot].memoryGb() + 1e-9 && allowed(job, slot);
    }

    private boolean allowed(JobSpec job, int slot) {
      JobSpec.PlacementConstraints c = job.placement();
      if (c == null) return true;
      if (c.planes() != null && !c.planes().isEmpty() && !c.planes().contains(plane.value())) return false;
      if (c.tiles() != null && !c.tiles().isEmpty() && !c.tiles().contains(id.value())) return false;
      return c.orinModules() == null || c.orinModules().isEmpty() || c.orinModules().contains(modules[slot].name());
    }

    void addTransfer(int slot, double from, double until) {
      if (until > from) transfers.add(new double[] {slot, from, until});
    }

    /** Checkpoints (when it can) and stops the job in {@code slot}; it goes back to pending. */
    void stopToPending(int slot, Cause cause) {
      SimJob j = jobs[slot];
      if (j == null) return;
      if (j.state == SimJob.State.RUNNING) {
        if (j.checkpointable) {
          j.checkpoint();
        } else {
          double lost = j.dropInstance();
          lostGpuSeconds += lost;
          if (lost > 0) losses[cause.ordinal()]++;
        }
      }
      j.state = SimJob.State.PENDING;
      j.tile = -1;
      j.slot = -1;
      jobs[slot] = null;
      requeued.add(j);
    }

    /** Moves the jobs this TILE sent back to pending into the simulation's pending set (on the main thread). */
    void flushRequeued() {
      if (requeued.isEmpty()) return;
      pending.addAll(requeued);
      requeued.clear();
    }

    /** Kills the job in {@code slot} (power lost, or its Orin shut down): work since its checkpoint is gone; it goes back to pending. */
    void kill(int slot, Cause cause) {
      SimJob j = jobs[slot];
      double lost = j.dropInstance();
      lostGpuSeconds += lost;
      if (lost > 0) losses[cause.ordinal()]++;
      j.state = SimJob.State.PENDING;
      j.tile = -1;
      j.slot = -1;
      jobs[slot] = null;
      requeued.add(j);
    }

    // -------------------------------------------------------------- stepping

    void step(double a, double b) {
      double t = a;
      while (t < b - EPS) {
        double e = Math.min(b, cursor.nextEdgeAfter(t));
        if (e - t < 1e-6) {
          t = e;
          continue;
        }
        subStep(t, e);
        t = e;
      }
      if (!transfers.isEmpty()) transfers.removeIf(x -> x[2] <= b);
      afterStep(b);
    }

    private void subStep(double t, double e) {
      double dt = e - t;
      // Checkpoints that finish crossing the link start on their target, if it can still take them.
      for (int s = 0; s < n; s++) {
        SimJob j = jobs[s];
        if (j != null && j.state == SimJob.State.MIGRATING && j.runFromSeconds < e) {
          if (shedding || guards[s].shutDown()) {
            rejectedLandings++;
            j.state = SimJob.State.PENDING;
            j.tile = -1;
            j.slot = -1;
            jobs[s] = null;
            requeued.add(j);
          } else {
            j.state = SimJob.State.RUNNING;
            j.doneGpuSeconds = j.committedGpuSeconds;
            j.runSinceCheckpointSeconds = 0;
          }
        }
      }
      // Orins: progress, checkpoints and completions over [t, e).
      for (int s = 0; s < n; s++) {
        runSeconds[s] = 0;
        committedRunSeconds[s] = 0;
        completedInStep[s] = false;
        linkWattSeconds[s] = 0;
        stepJob[s] = null;
        if (guards[s].shutDown()) {
          jobDraw[s] = 0;
          idleDraw[s] = 0;
          continue;
        }
        PowerMode mode = modeInForce(s);
        idleDraw[s] = OrinPowerModel.drawWatts(modules[s], mode, 0.0, 0);
        SimJob j = jobs[s];
        if (j == null || j.state != SimJob.State.RUNNING) {
          jobDraw[s] = 0;
          continue;
        }
        stepJob[s] = j;
        jobDraw[s] = OrinPowerModel.drawWatts(modules[s], mode, j.spec.powerWatts(), 1);
        double rate = OrinPowerModel.jobProgressRate(mode, 1);
        double start = Math.max(t, j.runFromSeconds);
        double avail = e - start;
        double ran = 0;
        while (avail > EPS && rate > 0) {
          double toComplete = (j.spec.workGpuSeconds() - j.doneGpuSeconds) / rate;
          double toCheckpoint = j.checkpointIntervalSeconds - j.runSinceCheckpointSeconds;
          double piece = Math.min(avail, Math.min(toComplete, toCheckpoint));
          piece = Math.max(0.0, piece);
          double work = rate * piece;
          j.doneGpuSeconds += work;
          j.executedGpuSeconds += work;
          workGpuSeconds += work;
          j.runSinceCheckpointSeconds += piece;
          ran += piece;
          avail -= piece;
          if (piece >= toComplete - EPS) {
            j.doneGpuSeconds = j.spec.workGpuSeconds();
            j.committedGpuSeconds = j.doneGpuSeconds;
            j.completedSeconds = start + ran;
            j.state = SimJob.State.COMPLETED;
            completedInStep[s] = true;
            jobs[s] = null;
            break;
          }
          if (j.checkpointable && j.runSinceCheckpointSeconds >= j.checkpointIntervalSeconds - EPS) {
            j.checkpoint();
            committedRunSeconds[s] = ran;
          }
        }
        runSeconds[s] = ran;
      }
      // Checkpoints on the link.
      if (!transfers.isEmpty()) {
        double w = scenario.links().transmitWatts();
        for (double[] x : transfers) {
          double overlap = Math.min(e, x[2]) - Math.max(t, x[1]);
          if (overlap > 0) linkWattSeconds[(int) x[0]] += w * overlap;
        }
      }
      for (int s = 0; s < n; s++) {
        draw[s] = (jobDraw[s] * runSeconds[s] + idleDraw[s] * (dt - runSeconds[s]) + linkWattSeconds[s]) / dt;
      }
      double fraction = cursor.fractionOver(t, e);
      double harvestedBefore = ledger.harvestedWh();
      TilePhysics.StepResult r = TilePhysics.step(spec, state, fraction, draw, dt, ledger);
      double served = r.orinServedFraction();
      double hkWh = (spec.housekeepingWatts() - r.unmetEssentialWatts()) * dt / 3600.0;
      housekeepingWh += hkWh;
      double payloadWh = 0;
      double jobWh = 0;
      for (int s = 0; s < n; s++) {
        double jWh = jobDraw[s] * runSeconds[s] * served / 3600.0;
        double iWh = idleDraw[s] * (dt - runSeconds[s]) * served / 3600.0;
        double lWh = linkWattSeconds[s] * served / 3600.0;
        idleWh += iWh;
        linkWh += lWh;
        payloadWh += jWh + iWh + lWh;
        jobWh += jWh;
        SimJob j = stepJob[s];
        if (j == null) continue;
        if (completedInStep[s]) {
          j.usefulEnergyWh += j.energySinceCheckpointWh + jWh;
          j.energySinceCheckpointWh = 0;
        } else {
          double committedWh = runSeconds[s] > 0 ? jWh * committedRunSeconds[s] / runSeconds[s] : 0.0;
          j.usefulEnergyWh += committedWh;
          j.energySinceCheckpointWh += jWh - committedWh;
        }
      }
      intervalHarvestWh += ledger.harvestedWh() - harvestedBefore;
      intervalPayloadWh += payloadWh;
      intervalJobWh += jobWh;
      if (r.payloadBrownout()) {
        if (!inBrownout) brownouts++;
        inBrownout = true;
        shedding = true;
        for (int s = 0; s < n; s++) {
          SimJob j = jobs[s];
          if (j != null && j.state == SimJob.State.RUNNING) {
            kill(s, Cause.BROWNOUT);
            brownoutKills++;
          }
        }
      } else {
        inBrownout = false;
      }
      double limit = spec.thermal().shutdownTempCelsius();
      for (int s = 0; s < n; s++) {
        if (state.junctionTempCelsius(s) >= limit) thermalViolationSeconds += dt;
      }
    }

    /** The Orins' thermal guards, then the TILE's load shedding, at the end of a step. */
    private void afterStep(double b) {
      for (int s = 0; s < n; s++) {
        boolean dwelt = b >= guardChangedAt[s] + dwellSeconds;
        ThermalGuardRules.Action action = guards[s].evaluate(state.junctionTempCelsius(s), modeInForce(s), dwelt);
        if (action != ThermalGuardRules.Action.NONE) guardChangedAt[s] = b;
        if (action == ThermalGuardRules.Action.SHUTDOWN) {
          thermalShutdowns++;
          SimJob j = jobs[s];
          if (j != null && j.state == SimJob.State.RUNNING) {
            if (agent == NodeAgent.SOOS) {
              stopToPending(s, Cause.THERMAL_SHUTDOWN);
            } else {
              kill(s, Cause.THERMAL_SHUTDOWN);
            }
          }
        } else if (action == ThermalGuardRules.Action.THROTTLE) {
          thermalThrottles++;
        }
      }
      manageLoad(b);
    }

    private void manageLoad(double b) {
      var battery = spec.battery();
      double payload = 0;
      for (int s = 0; s < n; s++) payload += currentDraw(s);
      double load = spec.housekeepingWatts() + payload;
      double solar = SolarArray.outputWatts(spec.solar(), cursor.fractionAt(b), spec.solar().cosIncidence(),
          Math.min(400.0, state.plateTempCelsius()));
      double energy = state.batteryEnergyWh();
      double lead = settings.shedLeadTime().toMillis() / 1000.0;
      // The shadow's end stops the drain when the sunlit array carries the load.
      double sunlitWatts = SolarArray.outputWatts(spec.solar(), 1.0, spec.solar().cosIncidence(),
          Math.min(400.0, state.plateTempCelsius()));
      double toSun = LoadShedRules.secondsToSun(sunlitWatts, load, cursor.secondsToSunlight(b));
      if (!shedding && agent == NodeAgent.SOOS
          && LoadShedRules.shouldShed(battery, energy, solar, load, lead, toSun)) {
        shedding = true;
      } else if (shedding && LoadShedRules.mayRelease(battery, energy, solar, load, lead,
          settings.shedReleasePercent(), toSun)) {
        shedding = false;
        Arrays.fill(tileCap, null);
        return;
      }
      if (!shedding || agent != NodeAgent.SOOS) return;
      List<LoadShedRules.OrinLoad> loads = new ArrayList<>(n);
      for (int s = 0; s < n; s++) {
        SimJob j = jobs[s];
        List<LoadShedRules.JobLoad> running = j != null && j.state == SimJob.State.RUNNING
            ? List.of(new LoadShedRules.JobLoad(j.id, j.spec.priority(), j.spec.powerWatts()))
            : List.of();
        loads.add(new LoadShedRules.OrinLoad(s, modules[s], modeInForce(s), !guards[s].shutDown(), running));
      }
      LoadShedRules.Plan plan = LoadShedRules.plan(Math.max(0.0, solar - spec.housekeepingWatts()), loads);
      boolean[] suspend = new boolean[n];
      for (LoadShedRules.Suspension sus : plan.suspensions()) suspend[sus.slot()] = true;
      // In slot order, as the TILE carries a plan out.
      for (int s = 0; s < n; s++) {
        PowerMode cap = plan.modeCaps().get(s);
        if (cap != null) tileCap[s] = cap;
        if (suspend[s]) {
          stopToPending(s, Cause.SHEDDING);
          shedSuspensions++;
        }
      }
    }

    // -------------------------------------------------------------- reports

    TileView view(double now, Instant nowInstant) {
      double[] draws = new double[n];
      double orinWatts = 0;
      for (int s = 0; s < n; s++) {
        draws[s] = currentDraw(s);
        orinWatts += draws[s];
      }
      double fraction = cursor.fractionAt(now);
      double plate = state.plateTempCelsius();
      double solar = SolarArray.outputWatts(spec.solar(), fraction, spec.solar().cosIncidence(), Math.min(400.0, plate));
      refreshForecast(now, nowInstant, draws);
      List<BudgetForecastPoint> points = forecast.from(nowInstant);
      double budget = forecastBudgetWatts;
      List<OrinReport> orins = new ArrayList<>(n);
      ThermalSpec thermal = spec.thermal();
      for (int s = 0; s < n; s++) {
        PowerMode mode = modeInForce(s);
        SimJob j = jobs[s];
        List<JobProgress> progress = j != null && j.state == SimJob.State.RUNNING
            ? List.of(new JobProgress(j.id, j.epoch, JobProgress.JobRunState.RUNNING, j.doneGpuSeconds,
                j.spec.workGpuSeconds(), j.committedGpuSeconds))
            : List.of();
        orins.add(new OrinReport(s, modules[s], mode.id(), mode.name(), draws[s], state.junctionTempCelsius(s),
            guards[s].health(), progress));
      }
      var battery = spec.battery();
      TileReport report = new TileReport(id, plane, nowInstant, cursor.stateAt(now), fraction,
          constellation.betaAngleDeg(index, nowInstant),
          timeline.upcoming(nowInstant, settings.reportEclipseCount()), solar,
          spec.housekeepingWatts() + orinWatts, state.batteryEnergyWh(), battery.capacityWh(), battery.reserveWh(),
          battery.stateOfChargePercent(state.batteryEnergyWh()), budget, points,
          plate, shedding, orins);
      double trend = Double.isNaN(lastReportAt) || now <= lastReportAt ? 0.0
          : (plate - lastReportPlate) / (now - lastReportAt);
      lastReportAt = now;
      lastReportPlate = plate;
      return new TileView(report, trend, true);
    }

    /**
     * A new forecast every {@code forecastRefresh} (staggered over the TILEs so the work spreads over rounds):
     * its points (computed when first read) and the compute budget now.
     */
    private void refreshForecast(double now, Instant nowInstant, double[] draws) {
      double refresh = settings.forecastRefresh().toMillis() / 1000.0;
      double interval = settings.decisionInterval().toMillis() / 1000.0;
      long rounds = Math.max(1, Math.round(refresh / interval));
      long round = Math.round(now / interval);
      boolean due = forecast == null || (now - forecastAt >= refresh - EPS)
          || (round % rounds == index % rounds && now - forecastAt >= interval - EPS);
      if (!due) return;
      forecast = new LazyForecast(spec, state, timeline, nowInstant, draws, forecastHorizon, settings.forecastInterval());
      if (policyReadsForecasts) forecast.prepare();
      forecastBudgetWatts = TileForecast.computeBudgetWattsNow(spec, state, timeline, nowInstant, forecastHorizon);
      forecastAt = now;
    }
  }
}
