package org.soos.tile.orin;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.soos.shared.id.JobId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.orin.ThermalGuardRules;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdateKind;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.JobProgress.JobRunState;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.thermal.ThermalSpec;
import org.soos.tile.exec.Workload;
import org.soos.tile.exec.WorkloadExecutor;
import org.soos.tile.power.PowerModeControl;

/**
 * One Jetson Orin server of a TILE (child {@code orin-<slot>} of its {@code TileActor}).
 *
 * <p><b>Owns</b> its power mode (the mode requested by the coordinator, a thermal ceiling set by its own
 * {@link ThermalGuard}, and a ceiling the TILE sets while shedding load; the slowest of the three is in
 * force), its jobs (one {@link Workload} each, progressing at the mode's speed, shared between them, with
 * periodic checkpoints), the highest placement epoch it has seen per job (epoch fencing), and the
 * junction temperature the TILE last told it. On a board (board mode) the mode in force is also put on the
 * hardware through its {@link PowerModeControl} (nvpmodel), at start and whenever it changes.
 *
 * <p><b>Who sends to it:</b> only its TILE: {@link Advance} every report round with the simulated
 * instant and the junction temperature; coordinator commands ({@link TileProtocol}) wrapped in
 * {@link Execute}; {@link SuspendJobs}, {@link CapPowerMode} and {@link PowerLost} when the TILE sheds
 * load or its payload bus is cut. Every message is answered with a {@link Status} to the TILE; job
 * commands are also answered with a {@link TileProtocol.JobAck} to the command's {@code replyTo}. Job
 * lifecycle changes go to the plane's coordinator as {@link CoordinatorProtocol.JobUpdate}.
 *
 * <p><b>Thermal guard</b>, without asking anyone: above the throttle temperature it drops one power
 * mode (again after each dwell while still hot; raised again below throttle minus hysteresis); at the
 * shutdown temperature it checkpoints and suspends every job and powers the module off until it has
 * cooled below throttle minus hysteresis.
 *
 * <p><b>On restart</b> (its TILE supervises it with restart) it loses its jobs, their progress since the
 * last checkpoint reported to the coordinator, and its epoch table; the coordinator sees the jobs missing
 * from the next report. There is no passivation.
 */
public final class OrinServer extends AbstractBehavior<OrinServer.Command> {

  /** What an Orin server accepts (from its TILE only). */
  public sealed interface Command permits Advance, Execute, SuspendJobs, CapPowerMode, PowerLost {}

  /**
   * Advance to {@code simTime}: run the jobs up to it, then apply the thermal guard to
   * {@code junctionTempCelsius}. Answered with a {@link Status} carrying {@code round}.
   */
  public record Advance(long round, Instant simTime, double junctionTempCelsius, ActorRef<Status> replyTo)
      implements Command {}

  /** A coordinator command for this slot, arrived at {@code simTime}. */
  public record Execute(TileProtocol.Command command, Instant simTime, ActorRef<Status> replyTo) implements Command {}

  /** Checkpoint and suspend these jobs (the TILE sheds load); {@code reason} goes to the coordinator. */
  public record SuspendJobs(List<JobId> jobIds, String reason, Instant simTime, ActorRef<Status> replyTo)
      implements Command {}

  /** Set (mode id) or lift (null) the TILE's power-mode ceiling. */
  public record CapPowerMode(Integer modeId, Instant simTime, ActorRef<Status> replyTo) implements Command {}

  /** The payload bus was cut at {@code simTime}: running jobs die; work since their checkpoint is lost. */
  public record PowerLost(Instant simTime, ActorRef<Status> replyTo) implements Command {}

  /**
   * The Orin's state after handling a message.
   *
   * @param slot the Orin's slot
   * @param round the {@link Advance} round answered, or -1 for other messages
   * @param report telemetry for the TILE report
   * @param drawWatts electrical draw from now on, W
   * @param running the running jobs, for the TILE's load shedding
   */
  public record Status(int slot, long round, OrinReport report, double drawWatts, List<JobLoad> running) {}

  /** A running job's share of the load. */
  public record JobLoad(JobId jobId, long epoch, int priority, double powerWatts, double memoryGb,
      boolean checkpointable) {}

  /** Reasons in acks and job updates. */
  public static final String STALE_EPOCH = "stale-epoch";
  public static final String NO_MEMORY = "no-memory";
  public static final String THERMAL_SHUTDOWN = "thermal-shutdown";
  public static final String BROWNOUT = "brownout";

  /** A finished job is listed in this many round reports before it is dropped from telemetry. */
  private static final int FINISHED_REPORT_ROUNDS = 3;

  private final TileId tileId;
  private final int slot;
  private final OrinModule module;
  private final ThermalSpec thermal;
  private final ThermalGuard guard;
  private final RecipientRef<CoordinatorProtocol.Command> coordinator;
  private final WorkloadExecutor executor;
  private final PowerModeControl powerControl;
  private int appliedModeId = Integer.MIN_VALUE;
  private final Map<JobId, Workload> running = new LinkedHashMap<>();
  private final Map<JobId, JobProgress> finished = new LinkedHashMap<>();
  private final Map<JobId, Integer> finishedRoundsLeft = new HashMap<>();
  private final Map<JobId, Long> highestEpoch = new HashMap<>();
  private PowerMode requestedMode;
  private PowerMode tileCeiling;
  private Instant simTime;
  private double junctionTempCelsius;

  /**
   * @param tileId the TILE
   * @param slot this Orin's slot
   * @param module the module type
   * @param thermal throttle, shutdown and hysteresis temperatures
   * @param throttleDwell simulated time between two thermal mode changes
   * @param coordinator the plane's coordinator, for job updates
   * @param executor runs the jobs' work
   * @param startSimTime simulated instant the server starts at
   * @param startJunctionTempCelsius junction temperature at start, degrees C
   */
  public static Behavior<Command> create(TileId tileId, int slot, OrinModule module, ThermalSpec thermal,
      Duration throttleDwell, RecipientRef<CoordinatorProtocol.Command> coordinator, WorkloadExecutor executor,
      Instant startSimTime, double startJunctionTempCelsius) {
    return create(tileId, slot, module, thermal, throttleDwell, coordinator, executor, PowerModeControl.NONE,
        startSimTime, startJunctionTempCelsius);
  }

  /**
   * An Orin server whose power mode in force is also put on hardware through {@code powerControl} (a
   * board's nvpmodel), at start and on every change.
   */
  public static Behavior<Command> create(TileId tileId, int slot, OrinModule module, ThermalSpec thermal,
      Duration throttleDwell, RecipientRef<CoordinatorProtocol.Command> coordinator, WorkloadExecutor executor,
      PowerModeControl powerControl, Instant startSimTime, double startJunctionTempCelsius) {
    return Behaviors.setup(ctx -> new OrinServer(ctx, tileId, slot, module, thermal,
        new ThermalGuard(module, thermal, throttleDwell), coordinator, executor, powerControl, startSimTime,
        startJunctionTempCelsius));
  }

  private OrinServer(ActorContext<Command> ctx, TileId tileId, int slot, OrinModule module, ThermalSpec thermal,
      ThermalGuard guard,
      RecipientRef<CoordinatorProtocol.Command> coordinator, WorkloadExecutor executor, PowerModeControl powerControl,
      Instant startSimTime, double startJunctionTempCelsius) {
    super(ctx);
    this.tileId = tileId;
    this.slot = slot;
    this.module = module;
    this.thermal = thermal;
    this.guard = guard;
    this.coordinator = coordinator;
    this.executor = executor;
    this.powerControl = powerControl == null ? PowerModeControl.NONE : powerControl;
    this.requestedMode = module.maxMode();
    this.simTime = startSimTime;
    this.junctionTempCelsius = startJunctionTempCelsius;
    applyModeInForce();
  }

  /** Hands the mode in force to the hardware when it changed since the last time. */
  private void applyModeInForce() {
    PowerMode m = modeInForce();
    if (m.id() == appliedModeId) return;
    appliedModeId = m.id();
    powerControl.apply(m);
  }

  /** Idle draw of a freshly started server, W (what its TILE assumes before the first status). */
  public static double initialDrawWatts(OrinModule module) {
    return OrinPowerModel.drawWatts(module, module.maxMode(), 0.0, 0);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Advance.class, this::onAdvance)
        .onMessage(Execute.class, this::onExecute)
        .onMessage(SuspendJobs.class, this::onSuspendJobs)
        .onMessage(CapPowerMode.class, this::onCapPowerMode)
        .onMessage(PowerLost.class, this::onPowerLost)
        .build();
  }

  private Behavior<Command> onAdvance(Advance msg) {
    advanceTo(msg.simTime());
    junctionTempCelsius = msg.junctionTempCelsius();
    PowerMode before = modeInForce();
    ThermalGuardRules.Action action = guard.evaluate(msg.simTime(), junctionTempCelsius, before);
    switch (action) {
      case SHUTDOWN -> {
        getContext().getLog().warn("{}/orin-{}: junction {} C reached shutdown {} C: checkpointing and suspending {} job(s)",
            tileId, slot, fmt(junctionTempCelsius), fmt(thermal.shutdownTempCelsius()), running.size());
        suspendAll(THERMAL_SHUTDOWN);
      }
      case THROTTLE, RELEASE, RECOVER -> getContext().getLog().info("{}/orin-{}: thermal guard {} at junction {} C: {} -> {}",
          tileId, slot, action, fmt(junctionTempCelsius), before.name(), modeInForce().name());
      case NONE -> { }
    }
    applyModeInForce();
    msg.replyTo().tell(status(msg.round()));
    for (Iterator<Map.Entry<JobId, Integer>> it = finishedRoundsLeft.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<JobId, Integer> e = it.next();
      if (e.getValue() <= 1) {
        finished.remove(e.getKey());
        it.remove();
      } else {
        e.setValue(e.getValue() - 1);
      }
    }
    return this;
  }

  private Behavior<Command> onExecute(Execute msg) {
    advanceTo(msg.simTime());
    TileProtocol.Command c = msg.command();
    if (c instanceof TileProtocol.StartJob s) {
      startJob(s);
    } else if (c instanceof TileProtocol.CheckpointJob cp) {
      checkpointJob(cp);
    } else if (c instanceof TileProtocol.StopJob st) {
      stopJob(st);
    } else if (c instanceof TileProtocol.SetPowerMode pm) {
      setPowerMode(pm);
    } else {
      getContext().getLog().warn("{}/orin-{}: ignoring unknown command {}", tileId, slot, c);
    }
    applyModeInForce();
    msg.replyTo().tell(status(-1));
    return this;
  }

  private Behavior<Command> onSuspendJobs(SuspendJobs msg) {
    advanceTo(msg.simTime());
    for (JobId id : msg.jobIds()) {
      Workload w = running.remove(id);
      if (w != null) suspend(w, msg.reason());
    }
    applyModeInForce();
    msg.replyTo().tell(status(-1));
    return this;
  }

  private Behavior<Command> onCapPowerMode(CapPowerMode msg) {
    advanceTo(msg.simTime());
    tileCeiling = msg.modeId() == null ? null : module.mode(msg.modeId()).orElse(tileCeiling);
    applyModeInForce();
    msg.replyTo().tell(status(-1));
    return this;
  }

  private Behavior<Command> onPowerLost(PowerLost msg) {
    advanceTo(msg.simTime());
    if (!running.isEmpty()) {
      getContext().getLog().warn("{}/orin-{}: payload power lost: {} job(s) lose their work since the last checkpoint",
          tileId, slot, running.size());
    }
    for (Workload w : new ArrayList<>(running.values())) {
      running.remove(w.jobId());
      finish(w, JobRunState.STOPPED, w.checkpointedGpuSeconds());
      update(w, JobUpdateKind.FAILED, w.checkpointedGpuSeconds(), 0L, BROWNOUT);
      w.release();
    }
    applyModeInForce();
    msg.replyTo().tell(status(-1));
    return this;
  }

  private void startJob(TileProtocol.StartJob s) {
    JobSpec spec = s.spec();
    long highest = highestEpoch.getOrDefault(s.jobId(), Long.MIN_VALUE);
    if (s.epoch() <= highest) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, STALE_EPOCH + ": epoch " + s.epoch() + " <= " + highest);
      return;
    }
    if (spec == null) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, "invalid-spec: spec is required");
      return;
    }
    if (guard.shutDown()) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, THERMAL_SHUTDOWN + ": junction " + fmt(junctionTempCelsius) + " C");
      return;
    }
    if (spec.kind() == null || !executor.supports(spec.kind())) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, "unsupported-kind: " + spec.kind() + " jobs do not run on this node");
      return;
    }
    double memoryInUse = 0.0;
    for (Workload w : running.values()) {
      if (!w.jobId().equals(s.jobId())) memoryInUse += w.spec().memoryGb();
    }
    if (memoryInUse + spec.memoryGb() > module.memoryGb() + 1e-9) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, NO_MEMORY + ": needs " + spec.memoryGb() + " GiB, "
          + (module.memoryGb() - memoryInUse) + " GiB free of " + module.memoryGb());
      return;
    }
    Workload w;
    try {
      w = executor.start(s.jobId(), s.epoch(), spec, s.resumeFromGpuSeconds());
    } catch (IllegalArgumentException e) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, "invalid-spec: " + e.getMessage());
      return;
    } catch (java.io.UncheckedIOException e) {
      ack(s.replyTo(), s.jobId(), s.epoch(), false, "cannot-start: " + e.getMessage());
      return;
    }
    highestEpoch.put(s.jobId(), s.epoch());
    Workload previous = running.put(s.jobId(), w);
    if (previous != null) previous.release();
    finished.remove(s.jobId());
    finishedRoundsLeft.remove(s.jobId());
    ack(s.replyTo(), s.jobId(), s.epoch(), true, null);
    update(w, JobUpdateKind.STARTED, w.doneGpuSeconds(), 0L, null);
  }

  private void checkpointJob(TileProtocol.CheckpointJob c) {
    Workload w = running.get(c.jobId());
    if (w == null) {
      String why = finished.containsKey(c.jobId()) ? "not-running: " + finished.get(c.jobId()).state() : "unknown-job";
      ack(c.replyTo(), c.jobId(), c.epoch(), false, why);
      return;
    }
    if (c.epoch() < w.epoch()) {
      ack(c.replyTo(), c.jobId(), c.epoch(), false, STALE_EPOCH + ": running epoch " + w.epoch());
      return;
    }
    if (c.epoch() > w.epoch()) {
      ack(c.replyTo(), c.jobId(), c.epoch(), false, "unknown-epoch: running epoch " + w.epoch());
      return;
    }
    if (!w.checkpointable()) {
      ack(c.replyTo(), c.jobId(), c.epoch(), false, "not-checkpointable");
      return;
    }
    long bytes = w.checkpoint();
    if (w.failureReason() != null) {
      ack(c.replyTo(), c.jobId(), c.epoch(), false, "checkpoint-failed: " + w.failureReason());
      fail(w);
      return;
    }
    update(w, JobUpdateKind.CHECKPOINTED, w.checkpointedGpuSeconds(), bytes, "requested");
    if (c.stopAfter()) {
      running.remove(w.jobId());
      finish(w, JobRunState.STOPPED, w.checkpointedGpuSeconds());
      update(w, JobUpdateKind.STOPPED, w.checkpointedGpuSeconds(), bytes, "checkpoint-and-stop");
      w.release();
    }
    ack(c.replyTo(), c.jobId(), c.epoch(), true, null);
  }

  private void stopJob(TileProtocol.StopJob s) {
    highestEpoch.merge(s.jobId(), s.epoch(), Math::max);
    Workload w = running.get(s.jobId());
    if (w == null) {
      getContext().getLog().debug("{}/orin-{}: stop for {} which does not run here", tileId, slot, s.jobId());
      return;
    }
    if (s.epoch() < w.epoch()) {
      getContext().getLog().info("{}/orin-{}: ignoring stale stop of {} (epoch {} < running {})", tileId, slot,
          s.jobId(), s.epoch(), w.epoch());
      return;
    }
    running.remove(w.jobId());
    finish(w, JobRunState.STOPPED, w.doneGpuSeconds());
    update(w, JobUpdateKind.STOPPED, w.doneGpuSeconds(), 0L, s.reason());
    w.release();
  }

  private void setPowerMode(TileProtocol.SetPowerMode p) {
    Optional<PowerMode> mode = module.mode(p.modeId());
    if (mode.isEmpty()) {
      ack(p.replyTo(), null, 0L, false, "unknown-mode: " + module + " modes are "
          + module.modes().stream().map(m -> m.id() + "=" + m.name()).toList());
      return;
    }
    requestedMode = mode.get();
    ack(p.replyTo(), null, 0L, true, null);
  }

  /** Runs the jobs from the last instant to {@code until}, splitting at checkpoints and completions. */
  private void advanceTo(Instant until) {
    if (!until.isAfter(simTime)) return;
    double remaining = Duration.between(simTime, until).toNanos() / 1e9;
    simTime = until;
    if (guard.shutDown()) return;
    PowerMode mode = modeInForce();
    int guardCount = 0;
    while (remaining > 1e-9 && !running.isEmpty()) {
      if (++guardCount > 1_000_000) {
        throw new IllegalStateException("workload stepping did not converge on " + tileId + "/orin-" + slot);
      }
      double rate = OrinPowerModel.jobProgressRate(mode, running.size());
      double piece = remaining;
      for (Workload w : running.values()) piece = Math.min(piece, w.secondsToNextEvent(rate));
      piece = Math.max(0.0, piece);
      List<Workload> completed = new ArrayList<>(0);
      List<Workload> failed = new ArrayList<>(0);
      for (Workload w : running.values()) {
        switch (w.run(piece, rate)) {
          case CHECKPOINTED -> update(w, JobUpdateKind.CHECKPOINTED, w.checkpointedGpuSeconds(),
              w.spec().checkpoint().sizeBytes(), "periodic");
          case COMPLETED -> completed.add(w);
          case FAILED -> failed.add(w);
          case NONE -> { }
        }
      }
      for (Workload w : failed) fail(w);
      for (Workload w : completed) {
        running.remove(w.jobId());
        finish(w, JobRunState.COMPLETED, w.doneGpuSeconds());
        update(w, JobUpdateKind.COMPLETED, w.doneGpuSeconds(), 0L, null);
        w.release();
      }
      remaining -= piece;
    }
  }

  /** The work failed: the job stops here and the coordinator hears why. */
  private void fail(Workload w) {
    running.remove(w.jobId());
    String reason = w.failureReason() == null ? "failed" : w.failureReason();
    getContext().getLog().warn("{}/orin-{}: job {} (epoch {}) failed: {}", tileId, slot, w.jobId(), w.epoch(), reason);
    finish(w, JobRunState.STOPPED, w.checkpointedGpuSeconds());
    update(w, JobUpdateKind.FAILED, w.checkpointedGpuSeconds(), 0L, reason);
    w.release();
  }

  private void suspendAll(String reason) {
    for (Workload w : new ArrayList<>(running.values())) {
      running.remove(w.jobId());
      suspend(w, reason);
    }
  }

  private void suspend(Workload w, String reason) {
    long bytes = w.checkpoint();
    finish(w, JobRunState.SUSPENDED, w.checkpointedGpuSeconds());
    update(w, JobUpdateKind.SUSPENDED, w.checkpointedGpuSeconds(), bytes, reason);
    w.release();
  }

  private void finish(Workload w, JobRunState state, double doneGpuSeconds) {
    finished.put(w.jobId(), new JobProgress(w.jobId(), w.epoch(), state, doneGpuSeconds, w.spec().workGpuSeconds(),
        w.checkpointedGpuSeconds()));
    finishedRoundsLeft.put(w.jobId(), FINISHED_REPORT_ROUNDS);
  }

  /** The slowest of the requested mode, the thermal ceiling and the TILE's ceiling. */
  private PowerMode modeInForce() {
    PowerMode m = requestedMode;
    Optional<PowerMode> thermal = guard.ceiling();
    if (thermal.isPresent() && thermal.get().budgetWatts() < m.budgetWatts()) m = thermal.get();
    if (tileCeiling != null && tileCeiling.budgetWatts() < m.budgetWatts()) m = tileCeiling;
    return m;
  }

  private double drawWatts() {
    if (guard.shutDown()) return 0.0;
    double sum = 0.0;
    for (Workload w : running.values()) sum += w.spec().powerWatts();
    int n = running.size();
    return OrinPowerModel.drawWatts(module, modeInForce(), n == 0 ? 0.0 : Math.max(0.0, sum / n), n);
  }

  private Status status(long round) {
    List<JobProgress> jobs = new ArrayList<>(running.size() + finished.size());
    List<JobLoad> loads = new ArrayList<>(running.size());
    for (Workload w : running.values()) {
      jobs.add(new JobProgress(w.jobId(), w.epoch(), JobRunState.RUNNING, w.doneGpuSeconds(),
          w.spec().workGpuSeconds(), w.checkpointedGpuSeconds()));
      loads.add(new JobLoad(w.jobId(), w.epoch(), w.spec().priority(), w.spec().powerWatts(), w.spec().memoryGb(),
          w.checkpointable()));
    }
    jobs.addAll(finished.values());
    PowerMode mode = modeInForce();
    double draw = drawWatts();
    OrinReport report = new OrinReport(slot, module, mode.id(), mode.name(), draw, junctionTempCelsius,
        guard.health(), List.copyOf(jobs));
    return new Status(slot, round, report, draw, List.copyOf(loads));
  }

  private void update(Workload w, JobUpdateKind kind, double doneGpuSeconds, long bytes, String reason) {
    coordinator.tell(new CoordinatorProtocol.JobUpdate(tileId, slot, w.jobId(), w.epoch(), kind, doneGpuSeconds, bytes,
        reason));
  }

  private static void ack(ActorRef<TileProtocol.JobAck> replyTo, JobId jobId, long epoch, boolean accepted,
      String reason) {
    if (replyTo != null) replyTo.tell(new TileProtocol.JobAck(jobId, epoch, accepted, reason));
  }

  private static String fmt(double celsius) {
    return String.format("%.1f", celsius);
  }
}
