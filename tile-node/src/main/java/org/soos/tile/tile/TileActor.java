package org.soos.tile.tile;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.power.BatterySpec;
import org.soos.shared.power.LoadShedRules;
import org.soos.shared.power.SolarArray;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.tile.TileForecast;
import org.soos.shared.tile.TileSpec;
import org.soos.shared.time.SimClock;
import org.soos.tile.exec.WorkloadExecutor;
import org.soos.tile.orin.OrinServer;
import org.soos.tile.sensor.SensorReadings;
import org.soos.tile.sensor.TileSensors;

/**
 * One TILE (actor name {@code tile-<id>} under the tile-node guardian).
 *
 * <p><b>Owns</b> the TILE's environment: its orbit, its eclipse timeline (predicted off the actor for
 * {@code prediction-orbits} orbits and predicted again before fewer than {@code prediction-margin-orbits}
 * remain), its power and thermal state behind {@link TileSensors} (simulated physics, stepped on the
 * {@link SimClock}), its load-shedding state, its latest forecast, and four {@link OrinServer} children
 * {@code orin-0..orin-3} (supervised with restart).
 *
 * <p><b>Cycle.</b> Every {@code report-interval} of wall time, and at the wall time of every predicted
 * shadow edge, it brings simulated time up to {@code clock.now()} in rounds: each round advances the
 * physics to the round's instant (sub-steps of at most {@code max-sub-step}, cut at shadow edges) with
 * the Orins' present draws, decides load shedding, and tells each Orin the instant and its junction
 * temperature; when all Orins have answered it sends the plane's coordinator a
 * {@link CoordinatorProtocol.ReportTile}. Rounds fall on every shadow edge (so a report's
 * {@code simTime} is the predicted edge itself), at most {@code max-round-step} apart, and on
 * {@code now}; reports are sent for edges and for {@code now}.
 *
 * <p><b>Who sends to it:</b> the plane's coordinator (any JVM), with {@link TileProtocol} commands; it
 * routes them by slot to its Orins, rejecting bad slots and, while shedding, new jobs
 * ({@code battery-floor}). Its Orins answer every message with their status.
 *
 * <p><b>Load shedding:</b> when the battery would reach its reserve floor within {@code shed-lead-time},
 * before its shadow pass ends, it lowers Orin power modes and checkpoints-and-suspends jobs, lowest priority first
 * ({@link LoadShedRules}), reports {@code shedding=true}, and lifts its mode ceilings once the battery
 * has recovered.
 *
 * <p><b>On restart</b> (the guardian supervises it with restart) the TILE starts over from its initial
 * conditions and its Orins are recreated empty; the coordinator rebuilds its view from the next report.
 * It is not sharded, so there is no passivation or rebalance.
 */
public final class TileActor extends AbstractBehavior<TileProtocol.Command> {

  /**
   * What every TILE of a node shares.
   *
   * @param clock the simulated clock
   * @param coordinators where reports and job updates for a plane go (sharding in production, a probe in tests)
   * @param eclipses eclipse prediction (Orekit in production)
   * @param predictionExecutor where predictions run (a dedicated dispatcher: they take tens of milliseconds)
   * @param workloads starts the Orins' job workloads
   * @param sensors creates each TILE's power and thermal sensors
   * @param board the Orin slot that is a real board, with its own executor and power-mode control (null: none)
   */
  public record Wiring(
      SimClock clock,
      Function<PlaneId, RecipientRef<CoordinatorProtocol.Command>> coordinators,
      EclipseSource eclipses,
      Executor predictionExecutor,
      WorkloadExecutor workloads,
      TileSensors.Factory sensors,
      BoardSlot board) {

    /** Wiring of a node without a board: every slot emulated. */
    public Wiring(SimClock clock, Function<PlaneId, RecipientRef<CoordinatorProtocol.Command>> coordinators,
        EclipseSource eclipses, Executor predictionExecutor, WorkloadExecutor workloads, TileSensors.Factory sensors) {
      this(clock, coordinators, eclipses, predictionExecutor, workloads, sensors, null);
    }

    /** The executor of {@code slot}. */
    WorkloadExecutor workloads(int slot) {
      return board != null && board.slot() == slot ? board.workloads() : workloads;
    }

    /** The power-mode control of {@code slot}. */
    org.soos.tile.power.PowerModeControl powerControl(int slot) {
      return board != null && board.slot() == slot ? board.powerControl() : org.soos.tile.power.PowerModeControl.NONE;
    }
  }

  /**
   * The Orin slot of a TILE that is a real board (board mode).
   *
   * @param slot the slot
   * @param workloads runs that slot's jobs (process jobs as OS processes)
   * @param powerControl puts that slot's mode in force on the board (nvpmodel)
   */
  public record BoardSlot(int slot, WorkloadExecutor workloads, org.soos.tile.power.PowerModeControl powerControl) {}

  /** Reason given to the coordinator for jobs the TILE suspends and StartJobs it rejects at the floor. */
  public static final String BATTERY_FLOOR = "battery-floor";

  private enum Tick implements TileProtocol.Command { INSTANCE }

  private enum TransitionDue implements TileProtocol.Command { INSTANCE }

  private record PredictionReady(EclipseSource.Prediction prediction) implements TileProtocol.Command {}

  private record PredictionFailed(Throwable cause) implements TileProtocol.Command {}

  private record OrinStatus(OrinServer.Status status) implements TileProtocol.Command {}

  private record Target(Instant at, boolean report) {}

  private static final String TICK_KEY = "tick";
  private static final String TRANSITION_KEY = "transition";
  /** Forecast is recomputed early when the Orins' draw moved by more than this, W. */
  private static final double FORECAST_LOAD_CHANGE_WATTS = 5.0;

  private final TimerScheduler<TileProtocol.Command> timers;
  private final TileOrbit orbit;
  private final TileSpec spec;
  private final TileSettings settings;
  private final Wiring wiring;
  private final SimClock clock;
  private final RecipientRef<CoordinatorProtocol.Command> coordinator;
  private final TileSensors sensors;
  private final double periodSeconds;
  private final Duration forecastHorizon;
  private final int n;
  private final List<ActorRef<OrinServer.Command>> orins;
  private final ActorRef<OrinServer.Status> statusAdapter;
  private final OrinServer.Status[] statuses;
  private final double[] draws;
  private final Integer[] tileCaps;
  private final boolean[] replied;
  private final Deque<Target> targets = new ArrayDeque<>();

  private EclipseSource.Prediction prediction;
  private boolean predictionInFlight;
  private Instant predictionRetryAt;
  private boolean predictionLateLogged;
  private Instant lastQueued;
  private long round;
  private boolean roundInFlight;
  private int repliedCount;
  private Target roundTarget;
  private SensorReadings roundReadings;
  private boolean shedding;
  private TileForecast.Forecast forecast;
  private Instant forecastAt;
  private double forecastOrinWatts;
  private Instant scheduledTransition;

  /**
   * @param orbit the TILE, its plane and orbit
   * @param spec its hardware
   * @param settings how it runs
   * @param wiring what the node's TILEs share
   * @param firstTickDelay wall delay of the first tick (stagger TILEs over the report interval)
   */
  public static Behavior<TileProtocol.Command> create(TileOrbit orbit, TileSpec spec, TileSettings settings,
      Wiring wiring, Duration firstTickDelay) {
    return Behaviors.withTimers(timers -> Behaviors.setup(
        ctx -> new TileActor(ctx, timers, orbit, spec, settings, wiring, firstTickDelay)));
  }

  private TileActor(ActorContext<TileProtocol.Command> ctx, TimerScheduler<TileProtocol.Command> timers,
      TileOrbit orbit, TileSpec spec, TileSettings settings, Wiring wiring, Duration firstTickDelay) {
    super(ctx);
    this.timers = timers;
    this.orbit = orbit;
    this.spec = spec;
    this.settings = settings;
    this.wiring = wiring;
    this.clock = wiring.clock();
    this.coordinator = wiring.coordinators().apply(orbit.planeId());
    this.periodSeconds = EclipseSource.periodSeconds(orbit.orbit());
    this.forecastHorizon = Duration.ofMillis(Math.round(settings.forecastOrbits() * periodSeconds * 1000.0));
    Instant start = clock.now();
    this.sensors = wiring.sensors().create(orbit.tileId(), spec, start);
    this.lastQueued = sensors.time();
    this.n = spec.orinCount();
    this.statusAdapter = ctx.messageAdapter(OrinServer.Status.class, OrinStatus::new);
    this.orins = new ArrayList<>(n);
    this.statuses = new OrinServer.Status[n];
    this.draws = new double[n];
    this.tileCaps = new Integer[n];
    this.replied = new boolean[n];
    double[] junctions = sensors.latest().junctionTempCelsius();
    for (int slot = 0; slot < n; slot++) {
      OrinModule module = spec.orins().get(slot);
      Behavior<OrinServer.Command> orin = OrinServer.create(orbit.tileId(), slot, module, spec.thermal(),
          settings.throttleDwell(), coordinator, wiring.workloads(slot), wiring.powerControl(slot), start, junctions[slot]);
      orins.add(ctx.spawn(Behaviors.supervise(orin).onFailure(SupervisorStrategy.restart()), "orin-" + slot));
      double idle = OrinServer.initialDrawWatts(module);
      draws[slot] = idle;
      statuses[slot] = new OrinServer.Status(slot, -1, new OrinReport(slot, module, module.maxMode().id(),
          module.maxMode().name(), idle, junctions[slot], OrinReport.OrinHealth.NOMINAL, List.of()), idle, List.of());
    }
    timers.startTimerAtFixedRate(TICK_KEY, Tick.INSTANCE, firstTickDelay, settings.reportInterval());
    requestPredictionIfDue(start);
  }

  @Override
  public Receive<TileProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(TransitionDue.INSTANCE, this::onTransitionDue)
        .onMessage(OrinStatus.class, this::onOrinStatus)
        .onMessage(PredictionReady.class, this::onPredictionReady)
        .onMessage(PredictionFailed.class, this::onPredictionFailed)
        .onMessage(TileProtocol.StartJob.class, this::onStartJob)
        .onMessage(TileProtocol.CheckpointJob.class,
            c -> forward(c.slot(), c, c.replyTo(), c.jobId(), c.epoch()))
        .onMessage(TileProtocol.StopJob.class, c -> forward(c.slot(), c, null, c.jobId(), c.epoch()))
        .onMessage(TileProtocol.SetPowerMode.class, c -> forward(c.slot(), c, c.replyTo(), null, 0L))
        .build();
  }

  // ---------------------------------------------------------------- cycle

  private Behavior<TileProtocol.Command> onTick() {
    Instant now = clock.now();
    requestPredictionIfDue(now);
    if (prediction == null) return this;
    if (roundInFlight) {
      // An Orin did not answer the last round (it is restarting): report with what we have.
      getContext().getLog().debug("{}: round {} incomplete ({} of {} Orins answered)", orbit.tileId(), round,
          repliedCount, n);
      completeRound();
    }
    enqueueUpTo(now);
    processTargets();
    return this;
  }

  private Behavior<TileProtocol.Command> onTransitionDue() {
    scheduledTransition = null;
    if (prediction == null) return this;
    enqueueUpTo(clock.now());
    processTargets();
    if (!roundInFlight) scheduleTransition();
    return this;
  }

  /** Queues round targets from the last queued instant up to {@code now}: shadow edges, steps, now. */
  private void enqueueUpTo(Instant now) {
    EclipseTimeline timeline = prediction.timeline();
    Instant limit = now;
    Instant lastUsable = timeline.until().minusNanos(1);
    if (limit.isAfter(lastUsable)) {
      limit = lastUsable;
      if (!predictionLateLogged) {
        getContext().getLog().warn("{}: eclipse prediction ends at {}; waiting for the next one", orbit.tileId(),
            timeline.until());
        predictionLateLogged = true;
      }
    }
    if (!limit.isAfter(lastQueued)) return;
    Duration maxStep = settings.maxRoundStep();
    Instant t = lastQueued;
    while (t.isBefore(limit)) {
      Instant next = t.plus(maxStep);
      boolean report = false;
      Optional<Instant> edge = timeline.nextTransitionAfter(t);
      if (edge.isPresent() && !edge.get().isAfter(next) && !edge.get().isAfter(limit)) {
        next = edge.get();
        report = true;
      }
      if (!next.isBefore(limit)) {
        next = limit;
        report = true;
      }
      targets.add(new Target(next, report));
      t = next;
    }
    lastQueued = limit;
  }

  private void processTargets() {
    while (!roundInFlight && !targets.isEmpty()) {
      startRound(targets.poll());
    }
  }

  private void startRound(Target target) {
    Instant t = target.at();
    SensorReadings r = sensors.advance(t, draws, prediction.timeline());
    if (r.payloadBrownout()) {
      getContext().getLog().warn("{}: payload bus cut at the battery floor before {} ({} Wh unmet)", orbit.tileId(),
          t, String.format("%.2f", r.unmetWattHours()));
      shedding = true;
      for (ActorRef<OrinServer.Command> orin : orins) orin.tell(new OrinServer.PowerLost(t, statusAdapter));
    }
    manageLoad(r);
    round++;
    roundInFlight = true;
    repliedCount = 0;
    Arrays.fill(replied, false);
    roundTarget = target;
    roundReadings = r;
    double[] junctions = r.junctionTempCelsius();
    for (int slot = 0; slot < n; slot++) {
      orins.get(slot).tell(new OrinServer.Advance(round, t, junctions[slot], statusAdapter));
    }
  }

  private Behavior<TileProtocol.Command> onOrinStatus(OrinStatus msg) {
    OrinServer.Status s = msg.status();
    int slot = s.slot();
    statuses[slot] = s;
    draws[slot] = s.drawWatts();
    if (roundInFlight && s.round() == round && !replied[slot]) {
      replied[slot] = true;
      repliedCount++;
      if (repliedCount == n) {
        completeRound();
        processTargets();
        if (!roundInFlight) scheduleTransition();
      }
    }
    return this;
  }

  private void completeRound() {
    roundInFlight = false;
    if (roundTarget.report()) report(roundReadings);
  }

  /** Arms a wall-clock timer for the next predicted shadow edge after the simulated time queued so far. */
  private void scheduleTransition() {
    EclipseTimeline timeline = prediction.timeline();
    Optional<Instant> next = timeline.nextTransitionAfter(lastQueued);
    if (next.isEmpty() || !next.get().isBefore(timeline.until())) return;
    if (next.get().equals(scheduledTransition)) return;
    Duration sim = Duration.between(clock.now(), next.get());
    Duration wall = sim.isNegative() ? Duration.ZERO : clock.wallDurationOf(sim).plusMillis(1);
    timers.startSingleTimer(TRANSITION_KEY, TransitionDue.INSTANCE, wall);
    scheduledTransition = next.get();
  }

  // ---------------------------------------------------------------- load shedding

  private void manageLoad(SensorReadings r) {
    BatterySpec battery = spec.battery();
    double payload = 0.0;
    for (double d : draws) payload += d;
    double load = spec.housekeepingWatts() + payload;
    double solar = r.solarInputWatts();
    double energy = r.batteryEnergyWh();
    double lead = settings.shedLeadTime().toNanos() / 1e9;
    double toSun = secondsToSun(r, load);
    if (!shedding && LoadShedRules.shouldShed(battery, energy, solar, load, lead, toSun)) {
      shedding = true;
      getContext().getLog().info("{}: battery {} Wh, reserve floor {} Wh within {}: shedding load", orbit.tileId(),
          String.format("%.1f", energy), String.format("%.1f", battery.reserveWh()), settings.shedLeadTime());
    } else if (shedding && LoadShedRules.mayRelease(battery, energy, solar, load, lead,
        settings.shedReleasePercent(), toSun)) {
      shedding = false;
      getContext().getLog().info("{}: battery {} Wh recovered: load shedding ends", orbit.tileId(),
          String.format("%.1f", energy));
      for (int slot = 0; slot < n; slot++) {
        if (tileCaps[slot] != null) {
          tileCaps[slot] = null;
          orins.get(slot).tell(new OrinServer.CapPowerMode(null, r.simTime(), statusAdapter));
        }
      }
      return;
    }
    if (!shedding) return;
    List<LoadShedRules.OrinLoad> loads = new ArrayList<>(n);
    for (int slot = 0; slot < n; slot++) {
      OrinServer.Status s = statuses[slot];
      OrinModule module = spec.orins().get(slot);
      List<LoadShedRules.JobLoad> jobs = new ArrayList<>(s.running().size());
      for (OrinServer.JobLoad j : s.running()) {
        jobs.add(new LoadShedRules.JobLoad(j.jobId(), j.priority(), j.powerWatts()));
      }
      boolean on = s.report().health() != OrinReport.OrinHealth.SHUTDOWN;
      loads.add(new LoadShedRules.OrinLoad(slot, module,
          module.mode(s.report().powerModeId()).orElse(module.maxMode()), on, jobs));
    }
    LoadShedRules.Plan plan =
        LoadShedRules.plan(Math.max(0.0, solar - spec.housekeepingWatts()), loads);
    if (plan.isEmpty()) return;
    plan.modeCaps().forEach((slot, mode) -> {
      tileCaps[slot] = mode.id();
      orins.get(slot).tell(new OrinServer.CapPowerMode(mode.id(), r.simTime(), statusAdapter));
    });
    Map<Integer, List<JobId>> bySlot = new LinkedHashMap<>();
    for (LoadShedRules.Suspension s : plan.suspensions()) {
      bySlot.computeIfAbsent(s.slot(), k -> new ArrayList<>()).add(s.jobId());
    }
    bySlot.forEach((slot, ids) -> orins.get(slot).tell(
        new OrinServer.SuspendJobs(List.copyOf(ids), BATTERY_FLOOR, r.simTime(), statusAdapter)));
    getContext().getLog().info("{}: shedding to {} W of Orin load: mode ceilings {}, suspending {}", orbit.tileId(),
        String.format("%.1f", plan.estimatedPayloadWatts()), plan.modeCaps(), plan.suspensions());
  }

  /**
   * Seconds until the array carries {@code loadWatts} again: to the end of the present shadow pass when the
   * sunlit array (at the present plate temperature) covers the load, 0 in sunlight; +infinity when the
   * timeline is not known or sunlight would not stop the drain.
   */
  private double secondsToSun(SensorReadings r, double loadWatts) {
    if (prediction == null) return Double.POSITIVE_INFINITY;
    EclipseTimeline timeline = prediction.timeline();
    Instant t = r.simTime();
    if (!timeline.covers(t)) return Double.POSITIVE_INFINITY;
    double sunlitWatts = SolarArray.outputWatts(spec.solar(), 1.0, spec.solar().cosIncidence(),
        Math.min(400.0, r.plateTempCelsius()));
    double toPassEnd;
    if (timeline.stateAt(t) == EclipseState.SUNLIT) {
      toPassEnd = 0.0;
    } else {
      List<EclipseWindow> pass = timeline.upcoming(t, 1);
      toPassEnd = pass.isEmpty() || pass.get(0).end() == null ? Double.POSITIVE_INFINITY
          : Math.max(0.0, Duration.between(t, pass.get(0).end()).toNanos() / 1e9);
    }
    return LoadShedRules.secondsToSun(sunlitWatts, loadWatts, toPassEnd);
  }

  // ---------------------------------------------------------------- reports

  private void report(SensorReadings r) {
    Instant t = r.simTime();
    EclipseTimeline timeline = prediction.timeline();
    double orinWatts = 0.0;
    for (double d : draws) orinWatts += d;
    double budget = TileForecast.computeBudgetWattsNow(spec, sensors.state(), timeline, t, forecastHorizon);
    refreshForecastIfDue(t, orinWatts);
    List<BudgetForecastPoint> points = new ArrayList<>(forecast.points().size());
    for (BudgetForecastPoint p : forecast.points()) {
      if (!p.at().isBefore(t)) points.add(p);
    }
    List<OrinReport> orinReports = new ArrayList<>(n);
    for (OrinServer.Status s : statuses) orinReports.add(s.report());
    BatterySpec battery = spec.battery();
    TileReport report = new TileReport(
        orbit.tileId(),
        orbit.planeId(),
        t,
        timeline.stateAt(t),
        r.sunlitFraction(),
        prediction.betaAngleDegAt(t),
        List.copyOf(timeline.upcoming(t, settings.reportEclipseCount())),
        r.solarInputWatts(),
        spec.housekeepingWatts() + orinWatts,
        r.batteryEnergyWh(),
        battery.capacityWh(),
        battery.reserveWh(),
        battery.stateOfChargePercent(r.batteryEnergyWh()),
        budget,
        List.copyOf(points),
        r.plateTempCelsius(),
        shedding,
        List.copyOf(orinReports));
    coordinator.tell(new CoordinatorProtocol.ReportTile(report, getContext().getSelf()));
  }

  private void refreshForecastIfDue(Instant t, double orinWatts) {
    boolean due = forecast == null
        || !t.isBefore(forecastAt.plus(settings.forecastRefresh()))
        || Math.abs(orinWatts - forecastOrinWatts) > FORECAST_LOAD_CHANGE_WATTS
        || prediction.timeline().stateAt(t) != prediction.timeline().stateAt(forecastAt);
    if (!due) return;
    forecast = TileForecast.forecast(spec, sensors.state(), prediction.timeline(), t, draws.clone(), forecastHorizon,
        settings.forecastInterval());
    forecastAt = t;
    forecastOrinWatts = orinWatts;
  }

  // ---------------------------------------------------------------- eclipse prediction

  private void requestPredictionIfDue(Instant now) {
    if (predictionInFlight) return;
    if (prediction != null) {
      double leftSeconds = Duration.between(now, prediction.timeline().until()).toNanos() / 1e9;
      if (leftSeconds >= settings.predictionMarginOrbits() * periodSeconds) return;
    }
    if (predictionRetryAt != null && now.isBefore(predictionRetryAt)) return;
    predictionInFlight = true;
    Instant earliest = sensors.time().isBefore(now) ? sensors.time() : now;
    Instant from = earliest.minusSeconds(60);
    Instant until = now.plusMillis(Math.round(settings.predictionOrbits() * periodSeconds * 1000.0));
    EclipseSource eclipses = wiring.eclipses();
    CompletableFuture<EclipseSource.Prediction> future = CompletableFuture.supplyAsync(
        () -> eclipses.predict(orbit.orbit(), from, until), wiring.predictionExecutor());
    getContext().pipeToSelf(future, (p, error) -> error == null ? new PredictionReady(p) : new PredictionFailed(error));
  }

  private Behavior<TileProtocol.Command> onPredictionReady(PredictionReady msg) {
    predictionInFlight = false;
    EclipseSource.Prediction p = msg.prediction();
    if (!p.timeline().covers(sensors.time())) {
      getContext().getLog().warn("{}: discarding eclipse prediction [{}, {}) that misses the TILE's time {}",
          orbit.tileId(), p.timeline().from(), p.timeline().until(), sensors.time());
      return this;
    }
    boolean first = prediction == null;
    prediction = p;
    predictionLateLogged = false;
    forecast = null;
    scheduledTransition = null;
    if (first) {
      getContext().getLog().debug("{}: eclipse timeline until {} with {} shadow passes", orbit.tileId(),
          p.timeline().until(), p.timeline().windows().size());
    }
    if (!roundInFlight) scheduleTransition();
    return this;
  }

  private Behavior<TileProtocol.Command> onPredictionFailed(PredictionFailed msg) {
    predictionInFlight = false;
    predictionRetryAt = clock.now().plusSeconds(Math.max(60, Math.round(periodSeconds / 20)));
    getContext().getLog().error("{}: eclipse prediction failed; retrying after {}", orbit.tileId(), predictionRetryAt,
        msg.cause());
    return this;
  }

  // ---------------------------------------------------------------- commands

  private Behavior<TileProtocol.Command> onStartJob(TileProtocol.StartJob c) {
    if (shedding && c.slot() >= 0 && c.slot() < n) {
      if (c.replyTo() != null) {
        c.replyTo().tell(new TileProtocol.JobAck(c.jobId(), c.epoch(), false,
            BATTERY_FLOOR + ": the TILE is shedding load at its battery reserve floor"));
      }
      return this;
    }
    return forward(c.slot(), c, c.replyTo(), c.jobId(), c.epoch());
  }

  private Behavior<TileProtocol.Command> forward(int slot, TileProtocol.Command c,
      ActorRef<TileProtocol.JobAck> replyTo, JobId jobId, long epoch) {
    if (slot < 0 || slot >= n) {
      if (replyTo != null) {
        replyTo.tell(new TileProtocol.JobAck(jobId, epoch, false,
            "bad-slot: slot " + slot + " is not 0.." + (n - 1)));
      }
      return this;
    }
    orins.get(slot).tell(new OrinServer.Execute(c, commandTime(), statusAdapter));
    return this;
  }

  /**
   * The simulated instant a command takes effect: now. When no round is pending and no shadow edge lies
   * between, the physics is first brought up to now with the old draws, so the new draw counts from now.
   */
  private Instant commandTime() {
    Instant now = clock.now();
    if (prediction == null || roundInFlight || !targets.isEmpty() || !now.isAfter(sensors.time())) return now;
    EclipseTimeline timeline = prediction.timeline();
    if (!now.isBefore(timeline.until())) return now;
    Optional<Instant> edge = timeline.nextTransitionAfter(sensors.time());
    if (edge.isPresent() && !edge.get().isAfter(now)) return now;
    if (Duration.between(sensors.time(), now).compareTo(settings.maxRoundStep()) > 0) return now;
    SensorReadings r = sensors.advance(now, draws, timeline);
    if (now.isAfter(lastQueued)) lastQueued = now;
    if (r.payloadBrownout()) {
      shedding = true;
      for (ActorRef<OrinServer.Command> orin : orins) orin.tell(new OrinServer.PowerLost(now, statusAdapter));
    }
    return now;
  }
}
