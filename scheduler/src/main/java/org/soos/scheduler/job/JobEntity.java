package org.soos.scheduler.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.RecoveryFailed;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.soos.scheduler.coordinator.PlaneChooser;
import org.soos.scheduler.coordinator.PlaneDirectory;
import org.soos.scheduler.coordinator.PlaneSummary;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.time.ClockSettings;
import org.soos.shared.time.SimClock;

/**
 * The durable truth of one job (cluster-sharded by job id, event-sourced): its spec, lifecycle,
 * current placement and epoch, last committed checkpoint, the plane whose coordinator queues it, and
 * its history. Every HTTP answer about a job comes from here.
 *
 * <p>Epoch fencing: each placement increments the epoch; updates from an Orin are accepted only
 * for the current epoch, so a copy of the job left running on a node that was presumed lost can
 * never commit progress, checkpoints or completion. A migration or preemption releases the source
 * only once the source Orin reports the job stopped (or suspended) after its checkpoint.
 *
 * <p>Who sends to it: the HTTP API (submit, get, cancel), the plane coordinators (place, migrate,
 * release, requeue, assign to another plane, Orin updates). It tells a coordinator: while the job is
 * not finished it registers with its plane's coordinator ({@link SoosCoordinator.RegisterJob}) at once
 * after submission and after every recovery, then every {@code register-interval}; when it is
 * cancelled it tells that coordinator, which stops it on its Orin. A pending job without a plane
 * chooses one from the {@link PlaneDirectory} ({@link PlaneChooser}) and records the choice
 * ({@link PlaneAssigned}).
 *
 * <p>Restart, passivation, rebalance: it loses nothing: the state is replayed from the journal (and
 * snapshots every 100 events). Sharding runs it with remember-entities, so a job that is not finished is
 * started again after any crash or rebalance and registers again; a finished (or unknown) job
 * passivates itself after {@code passivate-terminal-after} and leaves the remembered set.
 */
public final class JobEntity
    extends EventSourcedBehaviorWithEnforcedReplies<JobEntity.Command, JobEntity.Event, JobEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Job");
  /** History entries kept in the state (the journal keeps everything). */
  static final int MAX_HISTORY = 200;
  /** The role job entities run on. */
  public static final String ROLE = "scheduler";
  /** Start of the error a coordinator gets for a pending job that another plane's coordinator queues. */
  public static final String QUEUED_ELSEWHERE = "job is queued by plane";
  /** Reason an Orin gives when its payload power was cut: the job lost its work since the last checkpoint. */
  public static final String BROWNOUT = "brownout";

  private static final String REGISTER_TIMER = "register";
  private static final String PASSIVATE_TIMER = "passivate";

  private final JobId jobId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Links links;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private boolean choosingPlane;
  private boolean replayFailed;

  private JobEntity(JobId jobId, ActorContext<Command> context, TimerScheduler<Command> timers, Links links,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(ENTITY_KEY.name(), jobId.value()));
    this.jobId = jobId;
    this.context = context;
    this.timers = timers;
    this.links = links;
    this.shard = shard;
  }

  /**
   * What a job entity needs besides its journal to keep a coordinator informed.
   *
   * @param coordinators the coordinator of a plane (sharding in production, an actor in tests)
   * @param planes reads the plane directory
   * @param constellationPlanes every plane of the constellation (used while the directory is empty)
   * @param clock simulated time, for the instants of the events the entity records on its own
   * @param settings registration and passivation timing
   */
  public record Links(
      Function<PlaneId, RecipientRef<CoordinatorProtocol.Command>> coordinators,
      Supplier<CompletionStage<List<PlaneSummary>>> planes,
      List<PlaneId> constellationPlanes,
      SimClock clock,
      JobSettings settings) {
    public Links {
      Objects.requireNonNull(coordinators, "coordinators");
      Objects.requireNonNull(planes, "planes");
      constellationPlanes = List.copyOf(constellationPlanes);
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(settings, "settings");
    }

    /** Links through cluster sharding and the plane directory of {@code system}. */
    public static Links sharded(ActorSystem<?> system, SimClock clock) {
      Config config = system.settings().config();
      JobSettings settings = JobSettings.fromConfig(config);
      Duration readTimeout = settings.registerInterval();
      return new Links(
          plane -> SoosCoordinator.entityRef(system, plane),
          () -> PlaneDirectory.summaries(system, readTimeout),
          planesOf(config),
          clock,
          settings);
    }
  }

  /** Registers the sharded entity on scheduler-role nodes, with the clock read from config. */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system) {
    return init(system, ClockSettings.fromConfig(system.settings().config(), Instant.now()).clock());
  }

  /**
   * Registers the sharded entity on scheduler-role nodes: remember-entities with the event-sourced
   * store (the JDBC journal), so every job that is not finished comes back after a crash or rebalance.
   */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, SimClock clock) {
    Links links = Links.sharded(system, clock);
    ClusterShardingSettings settings = ClusterShardingSettings.create(system)
        .withRole(ROLE)
        .withRememberEntities(true)
        .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
    return ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, ctx -> create(JobId.of(ctx.getEntityId()), links, ctx.getShard()))
            .withRole(ROLE)
            .withSettings(settings));
  }

  /** The job entity of {@code jobId}, wherever it runs (sharding must be initialised). */
  public static akka.cluster.sharding.typed.javadsl.EntityRef<Command> entityRef(ActorSystem<?> system, JobId jobId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, jobId.value());
  }

  /** A job entity that talks to no coordinator (entity tests). */
  public static Behavior<Command> create(JobId jobId) {
    return create(jobId, null, null);
  }

  /**
   * A job entity.
   *
   * @param links where coordinators and the plane directory are; null: the job registers nowhere
   * @param shard its shard, for passivation; null when not sharded
   */
  public static Behavior<Command> create(JobId jobId, Links links, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> {
      Optional<String> quarantined = JobQuarantine.get(ctx.getSystem()).reason(jobId.value());
      if (quarantined.isPresent()) return quarantinedBehavior(jobId, quarantined.get());
      return Behaviors.withTimers(timers -> new JobEntity(jobId, ctx, timers, links, shard));
    });
  }

  /**
   * A job whose journal could not be replayed on this node: every command with a reply gets an error
   * naming the job; nothing is replayed or persisted again (no restart loop of the shard).
   */
  static Behavior<Command> quarantinedBehavior(JobId jobId, String reason) {
    String error = JobQuarantine.ERROR_PREFIX + " job " + jobId + " is quarantined on this node: " + reason;
    return Behaviors.receiveMessage(command -> {
      ActorRef<StatusReply<JobView>> replyTo = replyToOf(command);
      if (replyTo != null) replyTo.tell(StatusReply.error(error));
      return Behaviors.same();
    });
  }

  private static ActorRef<StatusReply<JobView>> replyToOf(Command command) {
    if (command instanceof Submit c) return c.replyTo();
    if (command instanceof Get c) return c.replyTo();
    if (command instanceof Cancel c) return c.replyTo();
    if (command instanceof Place c) return c.replyTo();
    if (command instanceof BeginMigration c) return c.replyTo();
    if (command instanceof Release c) return c.replyTo();
    if (command instanceof RecordUpdate c) return c.replyTo();
    if (command instanceof Requeue c) return c.replyTo();
    if (command instanceof AssignPlane c) return c.replyTo();
    return null;
  }

  /** The planes of the constellation configured under {@code soos.constellation}, or none if it cannot be built. */
  static List<PlaneId> planesOf(Config config) {
    try {
      Instant simStart = ClockSettings.fromConfig(config, Instant.now()).simStart();
      return ConstellationSpec.fromConfig(config, simStart).build().stream()
          .map(TileOrbit::planeId).distinct().sorted().toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  // ---------------------------------------------------------------- protocol

  /** Everything the entity accepts. */
  public sealed interface Command extends CborSerializable
      permits Submit, Get, Cancel, Place, BeginMigration, Release, RecordUpdate, Requeue, AssignPlane,
          RegisterTick, PlanesRead, PassivateTick {}

  /** Accept a job. Idempotent: a second Submit to the same id replies with the existing job. */
  public record Submit(JobSpec spec, String idempotencyKey, Instant at, ActorRef<StatusReply<JobView>> replyTo)
      implements Command {}

  public record Get(ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  public record Cancel(String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /**
   * Assign the job to an Orin under a new epoch (from PENDING or MIGRATING). A pending job queued by one
   * plane's coordinator may only be placed in that plane.
   */
  public record Place(TileId tileId, PlaneId planeId, int slot, String reason, Instant at,
      ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /** Start moving a running job: the source is asked to checkpoint under the current epoch. */
  public record BeginMigration(TileId toTile, PlaneId toPlane, int toSlot, String reason, Instant at,
      ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /**
   * Free the job's Orin (preemption, or a TILE that cannot carry it): the source is asked to checkpoint
   * and stop under {@code epoch}; once it has, the job is pending again with that checkpoint.
   */
  public record Release(long epoch, String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo)
      implements Command {}

  /**
   * What an Orin reported about the job under {@code epoch}.
   *
   * @param doneGpuSeconds work done (for CHECKPOINTED and SUSPENDED: covered by the checkpoint)
   */
  public record RecordUpdate(long epoch, UpdateKind kind, double doneGpuSeconds, long checkpointBytes,
      String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /**
   * Put the job back to pending (its node was lost, its start was refused, it went missing); work since
   * the last checkpoint is lost.
   *
   * @param doneGpuSeconds work the copy under {@code epoch} was last seen to have done (from its TILE's
   *     reports), to count what is lost; 0 when unknown
   */
  public record Requeue(long epoch, String reason, double doneGpuSeconds, Instant at,
      ActorRef<StatusReply<JobView>> replyTo) implements Command {
    /** A requeue without news of the copy's progress. */
    public Requeue(long epoch, String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo) {
      this(epoch, reason, 0.0, at, replyTo);
    }
  }

  /**
   * Queue a pending job with another plane's coordinator (spill). Accepted only while the job is pending
   * and queued by {@code fromPlane} (or by none), so a stale request cannot take a job from its queue.
   */
  public record AssignPlane(PlaneId planeId, PlaneId fromPlane, String reason, Instant at,
      ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /** Time to register with the coordinator again. */
  private enum RegisterTick implements Command { INSTANCE }

  /** Time to leave memory (the job is finished or unknown). */
  private enum PassivateTick implements Command { INSTANCE }

  /** The plane directory as read for choosing a plane (empty when the read failed). */
  private record PlanesRead(List<PlaneSummary> summaries) implements Command {}

  /** Kinds of Orin updates, mirroring {@code CoordinatorProtocol.JobUpdateKind}. */
  public enum UpdateKind { STARTED, CHECKPOINTED, SUSPENDED, COMPLETED, STOPPED, FAILED }

  // ---------------------------------------------------------------- events

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = JobSubmitted.class, name = "submitted"),
      @JsonSubTypes.Type(value = PlaneAssigned.class, name = "plane-assigned"),
      @JsonSubTypes.Type(value = JobPlaced.class, name = "placed"),
      @JsonSubTypes.Type(value = JobStarted.class, name = "started"),
      @JsonSubTypes.Type(value = CheckpointCommitted.class, name = "checkpoint"),
      @JsonSubTypes.Type(value = MigrationStarted.class, name = "migration-started"),
      @JsonSubTypes.Type(value = ReleaseStarted.class, name = "release-started"),
      @JsonSubTypes.Type(value = SourceReleased.class, name = "source-released"),
      @JsonSubTypes.Type(value = JobRequeued.class, name = "requeued"),
      @JsonSubTypes.Type(value = JobCompleted.class, name = "completed"),
      @JsonSubTypes.Type(value = JobFailed.class, name = "failed"),
      @JsonSubTypes.Type(value = JobCancelled.class, name = "cancelled")})
  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record JobSubmitted(JobId jobId, JobSpec spec, String idempotencyKey, Instant at) implements Event {}

  /** The job is queued by this plane's coordinator (first choice, or a spill from another plane). */
  public record PlaneAssigned(PlaneId planeId, String reason, Instant at) implements Event {}

  public record JobPlaced(TileId tileId, PlaneId planeId, int slot, long epoch, String reason, Instant at)
      implements Event {}

  public record JobStarted(long epoch, Instant at) implements Event {}

  public record CheckpointCommitted(long epoch, double doneGpuSeconds, long checkpointBytes, Instant at)
      implements Event {}

  public record MigrationStarted(long epoch, TileId toTile, PlaneId toPlane, int toSlot, String reason, Instant at)
      implements Event {}

  /** The source was asked to checkpoint and stop so that its Orin is free; the job will be pending again. */
  public record ReleaseStarted(long epoch, String reason, Instant at) implements Event {}

  /** The source stopped after its checkpoint; the checkpoint travels to the target. */
  public record SourceReleased(long epoch, double doneGpuSeconds, long checkpointBytes, Instant at)
      implements Event {}

  public record JobRequeued(long epoch, String reason, double lostGpuSeconds, Instant at) implements Event {}

  public record JobCompleted(long epoch, Instant at) implements Event {}

  public record JobFailed(long epoch, String reason, Instant at) implements Event {}

  public record JobCancelled(String reason, Instant at) implements Event {}

  // ---------------------------------------------------------------- state

  /** Where a job runs (or will). */
  public record Placement(TileId tileId, PlaneId planeId, int slot, long epoch, Instant placedAt)
      implements CborSerializable {}

  /** Where a migration is taking the job. */
  public record Target(TileId tileId, PlaneId planeId, int slot, String reason) implements CborSerializable {}

  /** One line of a job's history. */
  public record HistoryEntry(Instant at, String event, long epoch, String detail) implements CborSerializable {}

  /**
   * @param spec null until submitted
   * @param epoch epoch of the current (or last) placement; 0 before the first
   * @param committedGpuSeconds work covered by the last committed checkpoint
   * @param reportedGpuSeconds best known work done (from the Orin's last update under the current epoch)
   * @param lostGpuSeconds work redone because it was lost after a checkpoint (node loss, suspension without checkpoint)
   * @param planeId the plane whose coordinator queues the job (the plane of its last placement, or the
   *     one it was assigned to); null before the first choice
   */
  public record State(
      JobId jobId, JobSpec spec, String idempotencyKey, JobStatus status, long epoch, Placement placement,
      Target target, double committedGpuSeconds, long checkpointBytes, double reportedGpuSeconds,
      double lostGpuSeconds, int migrations, Instant submittedAt, Instant updatedAt, List<HistoryEntry> history,
      PlaneId planeId)
      implements CborSerializable {

    static State empty(JobId jobId) {
      return new State(jobId, null, null, null, 0, null, null, 0, 0, 0, 0, 0, null, null, List.of(), null);
    }

    boolean exists() {
      return spec != null;
    }

    State with(JobStatus s, long e, Placement p, Target t, double committed, long bytes, double reported,
        double lost, int migs, Instant at, HistoryEntry h) {
      return new State(jobId, spec, idempotencyKey, s, e, p, t, committed, bytes, reported, lost, migs,
          submittedAt, at, appended(h), p != null ? p.planeId() : planeId);
    }

    State withPlane(PlaneId plane, Instant at, HistoryEntry h) {
      return new State(jobId, spec, idempotencyKey, status, epoch, placement, target, committedGpuSeconds,
          checkpointBytes, reportedGpuSeconds, lostGpuSeconds, migrations, submittedAt, at, appended(h), plane);
    }

    private List<HistoryEntry> appended(HistoryEntry h) {
      List<HistoryEntry> hist = new ArrayList<>(history);
      hist.add(h);
      if (hist.size() > MAX_HISTORY) hist = new ArrayList<>(hist.subList(hist.size() - MAX_HISTORY, hist.size()));
      return List.copyOf(hist);
    }

    /**
     * The plane whose coordinator should know the job now: where it runs, where it is moving to, or
     * where it is queued; null when no plane has been chosen yet.
     */
    public PlaneId currentPlane() {
      if (placement != null) return placement.planeId();
      if (target != null) return target.planeId();
      return planeId;
    }
  }

  // ---------------------------------------------------------------- behaviour

  @Override
  public State emptyState() {
    return State.empty(jobId);
  }

  /** Tag of every job event: the read side (job index, event stream, metrics) follows it. */
  public static final String TAG = "job";

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, signal) -> onRecovered(state))
        .onSignal(RecoveryFailed.class, (state, signal) -> onRecoveryFailed(signal.getFailure()))
        .build();
  }

  /**
   * The journal of this job cannot be replayed (corrupt payload, foreign row, unreadable database):
   * logged loudly and quarantined on this node; the entity then stops, and when sharding starts it
   * again it answers every command with an error naming the job instead of replaying again.
   */
  private void onRecoveryFailed(Throwable failure) {
    // Akka may signal the same failed replay more than once; log and count it once per incarnation.
    if (replayFailed) return;
    replayFailed = true;
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String reason = "its journal cannot be replayed: " + root.getClass().getSimpleName() + ": " + root.getMessage();
    context.getLog().error("Job {} quarantined: {}; other jobs are unaffected, repair or remove its journal rows "
        + "(persistence id {}) and restart this node to bring it back", jobId, reason, persistenceId().id(), failure);
    JobQuarantine.get(context.getSystem()).quarantine(jobId.value(), reason);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> b = newCommandHandlerWithReplyBuilder();
    b.forState(s -> !s.exists())
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(Get.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(Cancel.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(Place.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(BeginMigration.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(Release.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(RecordUpdate.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(Requeue.class, (s, c) -> unknown(c.replyTo()))
        .onCommand(AssignPlane.class, (s, c) -> unknown(c.replyTo()));
    b.forState(s -> s.exists() && s.status().terminal())
        .onCommand(Submit.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Cancel.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Place.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(BeginMigration.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(Release.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(RecordUpdate.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(Requeue.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(AssignPlane.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()));
    b.forState(s -> s.exists() && !s.status().terminal())
        .onCommand(Submit.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Place.class, this::onPlace)
        .onCommand(BeginMigration.class, this::onBeginMigration)
        .onCommand(Release.class, this::onRelease)
        .onCommand(RecordUpdate.class, this::onUpdate)
        .onCommand(Requeue.class, this::onRequeue)
        .onCommand(AssignPlane.class, this::onAssignPlane);
    b.forAnyState()
        .onCommand(RegisterTick.class, (s, c) -> onRegisterTick(s))
        .onCommand(PlanesRead.class, this::onPlanesRead)
        .onCommand(PassivateTick.class, (s, c) -> onPassivateTick(s));
    return b.build();
  }

  private ReplyEffect<Event, State> unknown(ActorRef<StatusReply<JobView>> replyTo) {
    schedulePassivation();
    return Effect().reply(replyTo, StatusReply.error("unknown job " + jobId));
  }

  private ReplyEffect<Event, State> onSubmit(State s, Submit c) {
    timers.cancel(PASSIVATE_TIMER);
    return Effect().persist(new JobSubmitted(jobId, c.spec(), c.idempotencyKey(), c.at()))
        .thenRun(this::keepCoordinatorInformed)
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onCancel(State s, Cancel c) {
    PlaneId plane = s.currentPlane();
    return Effect().persist(new JobCancelled(Objects.requireNonNullElse(c.reason(), "cancelled"), c.at()))
        .thenRun(st -> {
          // The coordinator stops the job on its Orin (or drops it from its queue).
          if (plane != null) tellCoordinator(plane, st);
          finished();
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onPlace(State s, Place c) {
    if (s.status() != JobStatus.PENDING && s.status() != JobStatus.MIGRATING) {
      return reject(c.replyTo(), "cannot place a job that is " + s.status());
    }
    if (s.status() == JobStatus.PENDING && s.planeId() != null && !s.planeId().equals(c.planeId())) {
      return reject(c.replyTo(), QUEUED_ELSEWHERE + " " + s.planeId() + ", not " + c.planeId());
    }
    return Effect().persist(new JobPlaced(c.tileId(), c.planeId(), c.slot(), s.epoch() + 1, c.reason(), c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onBeginMigration(State s, BeginMigration c) {
    if (s.status() != JobStatus.RUNNING && s.status() != JobStatus.PLACED) {
      return reject(c.replyTo(), "cannot migrate a job that is " + s.status());
    }
    return Effect().persist(new MigrationStarted(s.epoch(), c.toTile(), c.toPlane(), c.toSlot(), c.reason(), c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onRelease(State s, Release c) {
    if (c.epoch() != s.epoch()) return reject(c.replyTo(), staleEpoch(c.epoch(), s));
    if (s.status() != JobStatus.RUNNING && s.status() != JobStatus.PLACED) {
      return reject(c.replyTo(), "cannot release a job that is " + s.status());
    }
    return Effect().persist(new ReleaseStarted(s.epoch(), Objects.requireNonNullElse(c.reason(), "released"), c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onRequeue(State s, Requeue c) {
    if (c.epoch() != s.epoch()) return reject(c.replyTo(), staleEpoch(c.epoch(), s));
    if (s.status() == JobStatus.PENDING) return Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s)));
    double done = Math.min(s.spec().workGpuSeconds(), Math.max(s.reportedGpuSeconds(), c.doneGpuSeconds()));
    double lost = Math.max(0.0, done - s.committedGpuSeconds());
    return Effect().persist(new JobRequeued(s.epoch(), c.reason(), lost, c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onAssignPlane(State s, AssignPlane c) {
    if (s.status() != JobStatus.PENDING) return reject(c.replyTo(), "cannot move the queue of a job that is " + s.status());
    if (s.planeId() != null && !s.planeId().equals(c.fromPlane())) {
      return reject(c.replyTo(), QUEUED_ELSEWHERE + " " + s.planeId() + ", not " + c.fromPlane());
    }
    if (c.planeId().equals(s.planeId())) return ok(c.replyTo(), s);
    return Effect().persist(new PlaneAssigned(c.planeId(), Objects.requireNonNullElse(c.reason(), "assigned"), c.at()))
        .thenRun(this::keepCoordinatorInformed)
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onUpdate(State s, RecordUpdate c) {
    if (c.epoch() != s.epoch() || s.placement() == null) return reject(c.replyTo(), staleEpoch(c.epoch(), s));
    switch (c.kind()) {
      case STARTED:
        if (s.status() != JobStatus.PLACED) return ok(c.replyTo(), s);
        return Effect().persist(new JobStarted(c.epoch(), c.at())).thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      case CHECKPOINTED:
        // While checkpointing for a move the source still runs the job: it is released only once it has stopped.
        if (c.doneGpuSeconds() <= s.committedGpuSeconds()) return ok(c.replyTo(), s);
        return Effect().persist(new CheckpointCommitted(c.epoch(), c.doneGpuSeconds(), c.checkpointBytes(), c.at()))
            .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      case SUSPENDED:
      case STOPPED: {
        if (s.status() == JobStatus.CHECKPOINTING) {
          double done = Math.max(s.committedGpuSeconds(), c.checkpointBytes() > 0 ? c.doneGpuSeconds() : s.committedGpuSeconds());
          return Effect().persist(new SourceReleased(c.epoch(), done, Math.max(c.checkpointBytes(), s.checkpointBytes()), c.at()))
              .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
        }
        return Effect().persist(requeueAfterStop(s, c, Objects.requireNonNullElse(c.reason(), c.kind().name().toLowerCase())))
            .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      }
      case COMPLETED:
        return Effect().persist(new JobCompleted(c.epoch(), c.at()))
            .thenRun(st -> finished())
            .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      case FAILED:
        if (c.reason() != null && c.reason().startsWith(BROWNOUT)) {
          // The node lost power under the job: not the job's fault. It runs again from its last checkpoint.
          return Effect().persist(requeueAfterStop(s, c, c.reason()))
              .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
        }
        return Effect().persist(new JobFailed(c.epoch(), Objects.requireNonNullElse(c.reason(), "failed"), c.at()))
            .thenRun(st -> finished())
            .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      default:
        return reject(c.replyTo(), "unknown update " + c.kind());
    }
  }

  /** The job stopped on its Orin outside a migration: keep its checkpoint, count what is lost, queue it again. */
  private static List<Event> requeueAfterStop(State s, RecordUpdate c, String reason) {
    List<Event> events = new ArrayList<>();
    if (c.checkpointBytes() > 0 && c.doneGpuSeconds() > s.committedGpuSeconds()) {
      events.add(new CheckpointCommitted(c.epoch(), c.doneGpuSeconds(), c.checkpointBytes(), c.at()));
    }
    double committed = Math.max(s.committedGpuSeconds(), c.checkpointBytes() > 0 ? c.doneGpuSeconds() : 0);
    double lost = Math.max(0.0, Math.max(s.reportedGpuSeconds(), c.doneGpuSeconds()) - committed);
    events.add(new JobRequeued(c.epoch(), reason, lost, c.at()));
    return events;
  }

  // ---------------------------------------------------------------- keeping a coordinator informed

  private void onRecovered(State s) {
    if (!s.exists() || s.status().terminal()) {
      schedulePassivation();
    } else {
      keepCoordinatorInformed(s);
    }
  }

  /** Registers now and every register-interval while the job is not finished. */
  private void keepCoordinatorInformed(State s) {
    if (links == null) return;
    timers.startTimerWithFixedDelay(REGISTER_TIMER, RegisterTick.INSTANCE, links.settings().registerInterval());
    register(s);
  }

  private ReplyEffect<Event, State> onRegisterTick(State s) {
    if (!s.exists() || s.status().terminal()) {
      timers.cancel(REGISTER_TIMER);
    } else {
      register(s);
    }
    return Effect().noReply();
  }

  private void register(State s) {
    if (links == null) return;
    PlaneId plane = s.currentPlane();
    if (plane != null) {
      tellCoordinator(plane, s);
    } else if (!choosingPlane) {
      choosingPlane = true;
      CompletionStage<List<PlaneSummary>> read;
      try {
        read = links.planes().get();
      } catch (RuntimeException e) {
        read = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      context.pipeToSelf(read, (summaries, error) -> new PlanesRead(error == null ? summaries : List.of()));
    }
  }

  private ReplyEffect<Event, State> onPlanesRead(State s, PlanesRead read) {
    choosingPlane = false;
    if (!s.exists() || s.status() != JobStatus.PENDING || s.currentPlane() != null) return Effect().noReply();
    Optional<PlaneId> plane = PlaneChooser.choose(jobId, s.spec(), read.summaries(), links.constellationPlanes(), Set.of());
    if (plane.isEmpty()) {
      context.getLog().warn("Job {}: no plane allows it yet ({} planes in the directory); trying again in {}", jobId,
          read.summaries().size(), links.settings().registerInterval());
      return Effect().noReply();
    }
    String reason = read.summaries().isEmpty() ? "constellation plane" : "weighted by spare Orins";
    return Effect().persist(new PlaneAssigned(plane.get(), reason, links.clock().now()))
        .thenRun(this::register)
        .thenNoReply();
  }

  private void tellCoordinator(PlaneId plane, State s) {
    if (links == null) return;
    try {
      links.coordinators().apply(plane).tell(new SoosCoordinator.RegisterJob(JobView.of(s)));
    } catch (RuntimeException e) {
      context.getLog().warn("Job {}: cannot reach the coordinator of plane {}: {}", jobId, plane, e.getMessage());
    }
  }

  private void finished() {
    timers.cancel(REGISTER_TIMER);
    schedulePassivation();
  }

  private void schedulePassivation() {
    if (shard == null || links == null) return;
    timers.startSingleTimer(PASSIVATE_TIMER, PassivateTick.INSTANCE, links.settings().passivateTerminalAfter());
  }

  private ReplyEffect<Event, State> onPassivateTick(State s) {
    if (shard != null && (!s.exists() || s.status().terminal())) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
    return Effect().noReply();
  }

  // ---------------------------------------------------------------- replies

  private static String staleEpoch(long epoch, State s) {
    return "stale-epoch: update for epoch " + epoch + " but the job is at epoch " + s.epoch()
        + (s.placement() == null ? " and not placed" : "");
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<JobView>> replyTo, String why) {
    return Effect().reply(replyTo, StatusReply.error(why));
  }

  private ReplyEffect<Event, State> ok(ActorRef<StatusReply<JobView>> replyTo, State s) {
    return Effect().reply(replyTo, StatusReply.success(JobView.of(s)));
  }

  /** An event the job's history cannot contain: replay fails and the job is quarantined. */
  private static State failReplay(String why) {
    throw new IllegalStateException(why);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(JobSubmitted.class, (s, e) -> s.exists()
            ? failReplay("a second JobSubmitted (at " + e.at() + ") for job " + jobId
                + ", submitted at " + s.submittedAt() + ": a corrupt or foreign journal row")
            : new State(e.jobId(), e.spec(), e.idempotencyKey(), JobStatus.PENDING,
            0, null, null, 0, 0, 0, 0, 0, e.at(), e.at(), List.of(new HistoryEntry(e.at(), "submitted", 0, "")), null))
        .onEvent(PlaneAssigned.class, (s, e) -> s.withPlane(e.planeId(), e.at(),
            new HistoryEntry(e.at(), "queued", s.epoch(), "plane " + e.planeId() + " (" + e.reason() + ")")))
        .onEvent(JobPlaced.class, (s, e) -> s.with(JobStatus.PLACED, e.epoch(),
            new Placement(e.tileId(), e.planeId(), e.slot(), e.epoch(), e.at()), null, s.committedGpuSeconds(),
            s.checkpointBytes(), s.committedGpuSeconds(), s.lostGpuSeconds(),
            s.status() == JobStatus.MIGRATING ? s.migrations() + 1 : s.migrations(), e.at(),
            new HistoryEntry(e.at(), "placed", e.epoch(), e.tileId() + "/orin-" + e.slot() + " (" + e.reason() + ")")))
        .onEvent(JobStarted.class, (s, e) -> s.with(JobStatus.RUNNING, s.epoch(), s.placement(), null,
            s.committedGpuSeconds(), s.checkpointBytes(), s.reportedGpuSeconds(), s.lostGpuSeconds(), s.migrations(), e.at(),
            new HistoryEntry(e.at(), "running", e.epoch(), s.placement().tileId() + "/orin-" + s.placement().slot())))
        .onEvent(CheckpointCommitted.class, (s, e) -> s.with(s.status(), s.epoch(), s.placement(), s.target(),
            Math.max(s.committedGpuSeconds(), e.doneGpuSeconds()), e.checkpointBytes(),
            Math.max(s.reportedGpuSeconds(), e.doneGpuSeconds()), s.lostGpuSeconds(), s.migrations(), e.at(),
            new HistoryEntry(e.at(), "checkpoint", e.epoch(), String.format("%.1f GPU-s, %d bytes", e.doneGpuSeconds(), e.checkpointBytes()))))
        .onEvent(MigrationStarted.class, (s, e) -> s.with(JobStatus.CHECKPOINTING, s.epoch(), s.placement(),
            new Target(e.toTile(), e.toPlane(), e.toSlot(), e.reason()), s.committedGpuSeconds(), s.checkpointBytes(),
            s.reportedGpuSeconds(), s.lostGpuSeconds(), s.migrations(), e.at(),
            new HistoryEntry(e.at(), "migration-started", e.epoch(), "to " + e.toTile() + "/orin-" + e.toSlot() + " (" + e.reason() + ")")))
        .onEvent(ReleaseStarted.class, (s, e) -> s.with(JobStatus.CHECKPOINTING, s.epoch(), s.placement(), null,
            s.committedGpuSeconds(), s.checkpointBytes(), s.reportedGpuSeconds(), s.lostGpuSeconds(), s.migrations(),
            e.at(), new HistoryEntry(e.at(), "release-started", e.epoch(), e.reason())))
        .onEvent(SourceReleased.class, (s, e) -> s.with(
            s.target() == null ? JobStatus.PENDING : JobStatus.MIGRATING, s.epoch(), null, s.target(),
            Math.max(s.committedGpuSeconds(), e.doneGpuSeconds()), e.checkpointBytes(),
            Math.max(s.committedGpuSeconds(), e.doneGpuSeconds()), s.lostGpuSeconds(), s.migrations(), e.at(),
            new HistoryEntry(e.at(), "source-released", e.epoch(), String.format("checkpoint %.1f GPU-s", e.doneGpuSeconds()))))
        .onEvent(JobRequeued.class, (s, e) -> s.with(JobStatus.PENDING, s.epoch(), null, null,
            s.committedGpuSeconds(), s.checkpointBytes(), s.committedGpuSeconds(), s.lostGpuSeconds() + e.lostGpuSeconds(),
            s.migrations(), e.at(), new HistoryEntry(e.at(), "requeued", e.epoch(), e.reason())))
        .onEvent(JobCompleted.class, (s, e) -> s.with(JobStatus.SUCCEEDED, s.epoch(), s.placement(), null,
            s.spec().workGpuSeconds(), s.checkpointBytes(), s.spec().workGpuSeconds(), s.lostGpuSeconds(), s.migrations(),
            e.at(), new HistoryEntry(e.at(), "succeeded", e.epoch(), "")))
        .onEvent(JobFailed.class, (s, e) -> s.with(JobStatus.FAILED, s.epoch(), s.placement(), null,
            s.committedGpuSeconds(), s.checkpointBytes(), s.reportedGpuSeconds(), s.lostGpuSeconds(), s.migrations(),
            e.at(), new HistoryEntry(e.at(), "failed", e.epoch(), e.reason())))
        .onEvent(JobCancelled.class, (s, e) -> s.with(JobStatus.CANCELLED, s.epoch(), s.placement(), null,
            s.committedGpuSeconds(), s.checkpointBytes(), s.reportedGpuSeconds(), s.lostGpuSeconds(), s.migrations(),
            e.at(), new HistoryEntry(e.at(), "cancelled", s.epoch(), e.reason())))
        .build();
  }
}
