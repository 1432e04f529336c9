package org.soos.scheduler.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;

/**
 * The durable truth of one job (cluster-sharded by job id, event-sourced): its spec, lifecycle,
 * current placement and epoch, last committed checkpoint and history. Every HTTP answer about a job
 * comes from here.
 *
 * <p>Epoch fencing: each placement increments the epoch; updates from an Orin are accepted only
 * for the current epoch, so a copy of the job left running on a node that was presumed lost can
 * never commit progress, checkpoints or completion.
 *
 * <p>Who sends to it: the HTTP API (submit, get, cancel), the plane coordinators (place, migrate,
 * requeue, Orin updates). On passivation, restart or rebalance it loses nothing: the state is
 * replayed from the journal (and snapshots every 100 events).
 */
public final class JobEntity
    extends EventSourcedBehaviorWithEnforcedReplies<JobEntity.Command, JobEntity.Event, JobEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Job");
  /** History entries kept in the state (the journal keeps everything). */
  static final int MAX_HISTORY = 200;

  private final JobId jobId;

  private JobEntity(JobId jobId) {
    super(PersistenceId.of(ENTITY_KEY.name(), jobId.value()));
    this.jobId = jobId;
  }

  /** Registers the sharded entity on scheduler-role nodes. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, ctx -> create(JobId.of(ctx.getEntityId()))).withRole("scheduler"));
  }

  public static Behavior<Command> create(JobId jobId) {
    return new JobEntity(jobId);
  }

  // ---------------------------------------------------------------- protocol

  /** Everything the entity accepts. */
  public sealed interface Command extends CborSerializable
      permits Submit, Get, Cancel, Place, BeginMigration, RecordUpdate, Requeue {}

  /** Accept a job. Idempotent: a second Submit to the same id replies with the existing job. */
  public record Submit(JobSpec spec, String idempotencyKey, Instant at, ActorRef<StatusReply<JobView>> replyTo)
      implements Command {}

  public record Get(ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  public record Cancel(String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /** Assign the job to an Orin under a new epoch (from PENDING or MIGRATING). */
  public record Place(TileId tileId, PlaneId planeId, int slot, String reason, Instant at,
      ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /** Start moving a running job: the source is asked to checkpoint under the current epoch. */
  public record BeginMigration(TileId toTile, PlaneId toPlane, int toSlot, String reason, Instant at,
      ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /**
   * What an Orin reported about the job under {@code epoch}.
   *
   * @param doneGpuSeconds work done (for CHECKPOINTED and SUSPENDED: covered by the checkpoint)
   */
  public record RecordUpdate(long epoch, UpdateKind kind, double doneGpuSeconds, long checkpointBytes,
      String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo) implements Command {}

  /** Put the job back to pending (its node was lost, or it was preempted); work since the last checkpoint is lost. */
  public record Requeue(long epoch, String reason, Instant at, ActorRef<StatusReply<JobView>> replyTo)
      implements Command {}

  /** Kinds of Orin updates, mirroring {@code CoordinatorProtocol.JobUpdateKind}. */
  public enum UpdateKind { STARTED, CHECKPOINTED, SUSPENDED, COMPLETED, STOPPED, FAILED }

  // ---------------------------------------------------------------- events

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = JobSubmitted.class, name = "submitted"),
      @JsonSubTypes.Type(value = JobPlaced.class, name = "placed"),
      @JsonSubTypes.Type(value = JobStarted.class, name = "started"),
      @JsonSubTypes.Type(value = CheckpointCommitted.class, name = "checkpoint"),
      @JsonSubTypes.Type(value = MigrationStarted.class, name = "migration-started"),
      @JsonSubTypes.Type(value = SourceReleased.class, name = "source-released"),
      @JsonSubTypes.Type(value = JobRequeued.class, name = "requeued"),
      @JsonSubTypes.Type(value = JobCompleted.class, name = "completed"),
      @JsonSubTypes.Type(value = JobFailed.class, name = "failed"),
      @JsonSubTypes.Type(value = JobCancelled.class, name = "cancelled")})
  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record JobSubmitted(JobId jobId, JobSpec spec, String idempotencyKey, Instant at) implements Event {}

  public record JobPlaced(TileId tileId, PlaneId planeId, int slot, long epoch, String reason, Instant at)
      implements Event {}

  public record JobStarted(long epoch, Instant at) implements Event {}

  public record CheckpointCommitted(long epoch, double doneGpuSeconds, long checkpointBytes, Instant at)
      implements Event {}

  public record MigrationStarted(long epoch, TileId toTile, PlaneId toPlane, int toSlot, String reason, Instant at)
      implements Event {}

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
   */
  public record State(
      JobId jobId, JobSpec spec, String idempotencyKey, JobStatus status, long epoch, Placement placement,
      Target target, double committedGpuSeconds, long checkpointBytes, double reportedGpuSeconds,
      double lostGpuSeconds, int migrations, Instant submittedAt, Instant updatedAt, List<HistoryEntry> history)
      implements CborSerializable {

    static State empty(JobId jobId) {
      return new State(jobId, null, null, null, 0, null, null, 0, 0, 0, 0, 0, null, null, List.of());
    }

    boolean exists() {
      return spec != null;
    }

    State with(JobStatus s, long e, Placement p, Target t, double committed, long bytes, double reported,
        double lost, int migs, Instant at, HistoryEntry h) {
      List<HistoryEntry> hist = new ArrayList<>(history);
      hist.add(h);
      if (hist.size() > MAX_HISTORY) hist = new ArrayList<>(hist.subList(hist.size() - MAX_HISTORY, hist.size()));
      return new State(jobId, spec, idempotencyKey, s, e, p, t, committed, bytes, reported, lost, migs,
          submittedAt, at, List.copyOf(hist));
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
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> b = newCommandHandlerWithReplyBuilder();
    b.forState(s -> !s.exists())
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error("unknown job " + jobId)))
        .onCommand(Cancel.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error("unknown job " + jobId)))
        .onCommand(Place.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error("unknown job " + jobId)))
        .onCommand(BeginMigration.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error("unknown job " + jobId)))
        .onCommand(RecordUpdate.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error("unknown job " + jobId)))
        .onCommand(Requeue.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error("unknown job " + jobId)));
    b.forState(s -> s.exists() && s.status().terminal())
        .onCommand(Submit.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Cancel.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Place.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(BeginMigration.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(RecordUpdate.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()))
        .onCommand(Requeue.class, (s, c) -> reject(c.replyTo(), "job is " + s.status()));
    b.forState(s -> s.exists() && !s.status().terminal())
        .onCommand(Submit.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s))))
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Place.class, this::onPlace)
        .onCommand(BeginMigration.class, this::onBeginMigration)
        .onCommand(RecordUpdate.class, this::onUpdate)
        .onCommand(Requeue.class, this::onRequeue);
    return b.build();
  }

  private ReplyEffect<Event, State> onSubmit(State s, Submit c) {
    return Effect().persist(new JobSubmitted(jobId, c.spec(), c.idempotencyKey(), c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onCancel(State s, Cancel c) {
    return Effect().persist(new JobCancelled(Objects.requireNonNullElse(c.reason(), "cancelled"), c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onPlace(State s, Place c) {
    if (s.status() != JobStatus.PENDING && s.status() != JobStatus.MIGRATING) {
      return reject(c.replyTo(), "cannot place a job that is " + s.status());
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

  private ReplyEffect<Event, State> onRequeue(State s, Requeue c) {
    if (c.epoch() != s.epoch()) return reject(c.replyTo(), staleEpoch(c.epoch(), s));
    if (s.status() == JobStatus.PENDING) return Effect().reply(c.replyTo(), StatusReply.success(JobView.of(s)));
    double lost = Math.max(0.0, s.reportedGpuSeconds() - s.committedGpuSeconds());
    return Effect().persist(new JobRequeued(s.epoch(), c.reason(), lost, c.at()))
        .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
  }

  private ReplyEffect<Event, State> onUpdate(State s, RecordUpdate c) {
    if (c.epoch() != s.epoch() || s.placement() == null) return reject(c.replyTo(), staleEpoch(c.epoch(), s));
    switch (c.kind()) {
      case STARTED:
        if (s.status() != JobStatus.PLACED) return ok(c.replyTo(), s);
        return Effect().persist(new JobStarted(c.epoch(), c.at())).thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      case CHECKPOINTED:
        if (s.status() == JobStatus.CHECKPOINTING) {
          return Effect().persist(List.of(
                  new CheckpointCommitted(c.epoch(), c.doneGpuSeconds(), c.checkpointBytes(), c.at()),
                  new SourceReleased(c.epoch(), c.doneGpuSeconds(), c.checkpointBytes(), c.at())))
              .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
        }
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
        if (s.status() == JobStatus.MIGRATING) return ok(c.replyTo(), s);
        List<Event> events = new ArrayList<>();
        if (c.checkpointBytes() > 0 && c.doneGpuSeconds() > s.committedGpuSeconds()) {
          events.add(new CheckpointCommitted(c.epoch(), c.doneGpuSeconds(), c.checkpointBytes(), c.at()));
        }
        double committed = Math.max(s.committedGpuSeconds(), c.checkpointBytes() > 0 ? c.doneGpuSeconds() : 0);
        double lost = Math.max(0.0, Math.max(s.reportedGpuSeconds(), c.doneGpuSeconds()) - committed);
        events.add(new JobRequeued(c.epoch(), Objects.requireNonNullElse(c.reason(), c.kind().name().toLowerCase()), lost, c.at()));
        return Effect().persist(events).thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      }
      case COMPLETED:
        return Effect().persist(new JobCompleted(c.epoch(), c.at())).thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      case FAILED:
        return Effect().persist(new JobFailed(c.epoch(), Objects.requireNonNullElse(c.reason(), "failed"), c.at()))
            .thenReply(c.replyTo(), st -> StatusReply.success(JobView.of(st)));
      default:
        return reject(c.replyTo(), "unknown update " + c.kind());
    }
  }

  private static String staleEpoch(long epoch, State s) {
    return "stale-epoch: update for epoch " + epoch + " but the job is at epoch " + s.epoch();
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<JobView>> replyTo, String why) {
    return Effect().reply(replyTo, StatusReply.error(why));
  }

  private ReplyEffect<Event, State> ok(ActorRef<StatusReply<JobView>> replyTo, State s) {
    return Effect().reply(replyTo, StatusReply.success(JobView.of(s)));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(JobSubmitted.class, (s, e) -> new State(e.jobId(), e.spec(), e.idempotencyKey(), JobStatus.PENDING,
            0, null, null, 0, 0, 0, 0, 0, e.at(), e.at(), List.of(new HistoryEntry(e.at(), "submitted", 0, ""))))
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
