package org.soos.scheduler.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.cluster.typed.Unsubscribe;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobStatus;
import org.soos.scheduler.job.JobView;
import org.soos.scheduler.policy.ClusterView;
import org.soos.scheduler.policy.Decision;
import org.soos.scheduler.policy.PendingJob;
import org.soos.scheduler.policy.PolicySettings;
import org.soos.scheduler.policy.RunningJob;
import org.soos.scheduler.policy.SchedulingPolicy;
import org.soos.scheduler.policy.SoosPolicy;
import org.soos.scheduler.policy.TileHealth;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.ReportTile;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.time.ClockSettings;
import org.soos.shared.time.SimClock;

/**
 * The SOOS coordinator of one orbital plane (cluster-sharded on the {@code scheduler} role; entity id
 * = plane id): it places the plane's jobs on Orins and moves them as eclipses and thermal limits come
 * and go.
 *
 * <p><b>Owns</b> (all soft state):
 * <ul>
 *   <li>the live view of its plane's TILEs: per TILE the latest {@link TileReport} (by simulated time), the
 *       TILE's {@link ActorRef}, the wall and simulated instants the report arrived, and the plate
 *       temperature trend between consecutive reports; a TILE silent for {@code stale-after-intervals}
 *       report intervals is stale (gets no work), one silent for {@code lost-after-intervals}, or whose
 *       tile-node is removed from or downed in the cluster, is lost (its jobs are requeued);</li>
 *   <li>per TILE its safe-mode verdict ({@link TileHealth}): a TILE in thermal or power emergency, or whose
 *       reports came from a new incarnation (its tile-node restarted) {@code health.max-restarts} times
 *       within {@code health.restart-window}, is unhealthy and gets no new work. The restart history is
 *       soft state: a restarted coordinator starts it afresh;</li>
 *   <li>the jobs of the plane as their entities last described them (registrations and replies): the
 *       queue of pending jobs and the jobs placed on its Orins, with the coordinator's own operations on
 *       them in flight and the checkpoint transfers it is timing;</li>
 *   <li>the latest {@link JobUpdate} per job (bounded) and the plane directory as last read;</li>
 *   <li>a copy of the plane's drained TILEs: the durable set lives in {@link TileDrains} (event-sourced),
 *       which pushes it on every change; the coordinator also reads it at start and every 10 s. The set is
 *       input to the pure policy ({@code TileView.drained}): no new work there, migratable jobs move away
 *       with reason {@code drain}, the rest finish.</li>
 * </ul>
 * It publishes a {@link PlaneSummary} into the {@link PlaneDirectory} (Distributed Data, local write,
 * at most once per report interval).
 *
 * <p><b>Decision round</b> every {@code decision-interval} of simulated time: it requeues the jobs of lost
 * TILEs and jobs missing from their TILE's reports, spills jobs that waited too long to a plane with free
 * Orins, builds a policy {@link ClusterView} and applies what {@link SchedulingPolicy#decide} returns:
 * place ({@link JobEntity.Place}, new epoch, then {@link TileProtocol.StartJob} from the committed
 * checkpoint), migrate ({@link JobEntity.BeginMigration}, {@link TileProtocol.CheckpointJob} with
 * {@code stopAfter} on the source; once the entity has the source's stop, wait the transfer time, then
 * place on the target), preempt or suspend ({@link JobEntity.Release} and a checkpoint-and-stop; the job is
 * pending again), set a power mode. Every Orin {@link JobUpdate} goes to its job entity; an update the
 * entity refuses as stale gets a {@link TileProtocol.StopJob} for that epoch, and so does any copy of a job
 * a TILE reports under an epoch that is no longer current.
 *
 * <p><b>Who sends to it:</b> TILE actors on tile-node JVMs ({@link ReportTile} every report interval and
 * at shadow transitions; {@link JobUpdate} from their Orins), through the sharding proxy keyed by
 * {@link CoordinatorProtocol#ENTITY_KEY}; job entities ({@link RegisterJob}); the HTTP API
 * ({@link GetTiles}, {@link GetTile}, {@link GetPlaneSummary}, {@link GetJobUpdates}, {@link GetJobs})
 * through {@code EntityRef.ask}; the cluster (membership events).
 *
 * <p><b>Restart, passivation, rebalance:</b> everything is soft state and is lost; the next incarnation
 * is whole again once every live TILE has reported (each report lists its Orins' jobs with their epochs;
 * the coordinator asks the job entities about the ones it does not know) and every waiting job has
 * registered again ({@code soos.scheduler.jobs.register-interval}). Running jobs keep running meanwhile.
 * Drains are not lost: the new incarnation reads them from {@link TileDrains} as it starts; until that
 * answer arrives (one round trip) it treats no TILE as drained, which can at worst place a job on a
 * drained TILE, from where the next round moves it again.
 * Reports keep it alive; after {@code passivate-after-idle} without any message sharding stops it, and it
 * removes its plane from the directory when it stops.
 */
public final class SoosCoordinator extends AbstractBehavior<CoordinatorProtocol.Command> {

  /** The role the coordinators run on. */
  public static final String ROLE = "scheduler";

  // ---- messages from job entities ----------------------------------------------------------

  /**
   * A job entity's account of its job, sent to the coordinator of the plane that should know it: when the
   * job is submitted or recovered, periodically while it is not finished, and when it is cancelled.
   */
  public record RegisterJob(JobView job) implements CoordinatorProtocol.Command {}

  // ---- queries (serializable: the asking node may be another scheduler JVM) -------------------

  /** Every TILE of the plane, sorted by id; replies {@link Tiles}. */
  public record GetTiles(ActorRef<Tiles> replyTo) implements CoordinatorProtocol.Command {}

  /** One TILE; replies {@link TileLookup} (empty when the plane has never heard of it). */
  public record GetTile(TileId tileId, ActorRef<TileLookup> replyTo) implements CoordinatorProtocol.Command {}

  /** The plane's summary computed now (not the last published one); replies {@link PlaneSummary}. */
  public record GetPlaneSummary(ActorRef<PlaneSummary> replyTo) implements CoordinatorProtocol.Command {}

  /** The latest update of every job the plane's Orins reported on; replies {@link JobUpdates}. */
  public record GetJobUpdates(ActorRef<JobUpdates> replyTo) implements CoordinatorProtocol.Command {}

  /** The jobs the coordinator tracks (queued or on its Orins), as last described; replies {@link Jobs}. */
  public record GetJobs(ActorRef<Jobs> replyTo) implements CoordinatorProtocol.Command {}

  /** Reply to {@link GetTiles}. */
  public record Tiles(PlaneId planeId, List<TileView> tiles) implements CborSerializable {}

  /**
   * Reply to {@link GetTile}.
   *
   * @param tileId the TILE asked for
   * @param tile its view, or null when unknown to this plane
   */
  public record TileLookup(TileId tileId, TileView tile) implements CborSerializable {
    /** The view, if the plane knows the TILE. */
    public Optional<TileView> view() {
      return Optional.ofNullable(tile);
    }
  }

  /** Reply to {@link GetJobUpdates}: latest update per job, oldest first. */
  public record JobUpdates(PlaneId planeId, List<JobUpdate> updates) implements CborSerializable {}

  /** Reply to {@link GetJobs}: the tracked jobs sorted by id. */
  public record Jobs(PlaneId planeId, List<JobView> jobs) implements CborSerializable {}

  /**
   * The plane's drained TILEs as {@link TileDrains} holds them (sent after every change and recovery, and
   * in reply to {@link TileDrains.Get}); replaces the coordinator's drained set.
   *
   * @param tileIds drained TILEs, sorted
   * @param reasons the operator's reason per TILE, same order
   */
  public record DrainedTiles(PlaneId planeId, List<TileId> tileIds, List<String> reasons)
      implements CoordinatorProtocol.Command {
    public DrainedTiles {
      tileIds = List.copyOf(tileIds);
      reasons = List.copyOf(reasons);
    }
  }

  // ---- wiring -------------------------------------------------------------------------------

  /**
   * How a coordinator reaches job entities and which policy it runs.
   *
   * @param entities the job entity of a job (sharding in production, actors in tests)
   * @param policy the placement policy
   * @param policySettings its settings (also used for checkpoint transfer times)
   * @param drains the {@link TileDrains} of a plane; null: no TILE is ever drained
   */
  public record JobLinks(
      Function<JobId, RecipientRef<JobEntity.Command>> entities, SchedulingPolicy policy,
      PolicySettings policySettings, Function<PlaneId, RecipientRef<TileDrains.Command>> drains) {
    public JobLinks {
      Objects.requireNonNull(entities, "entities");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(policySettings, "policySettings");
    }

    /** Links without drains. */
    public JobLinks(Function<JobId, RecipientRef<JobEntity.Command>> entities, SchedulingPolicy policy,
        PolicySettings policySettings) {
      this(entities, policy, policySettings, null);
    }

    /** Job entities through cluster sharding, and the SOOS policy with {@code soos.scheduler.policy}. */
    public static JobLinks sharded(ActorSystem<?> system) {
      PolicySettings settings = PolicyConfig.fromConfig(system.settings().config());
      return new JobLinks(id -> JobEntity.entityRef(system, id), new SoosPolicy(settings), settings,
          plane -> TileDrains.entityRef(system, plane));
    }
  }

  // ---- private messages -------------------------------------------------------------------------

  private enum Tick implements CoordinatorProtocol.Command {
    INSTANCE
  }

  private enum DecisionTick implements CoordinatorProtocol.Command {
    INSTANCE
  }

  private record SummaryWritten(Replicator.UpdateResponse<LWWMap<String, PlaneSummary>> response)
      implements CoordinatorProtocol.Command {}

  private record DirectoryRead(Replicator.GetResponse<LWWMap<String, PlaneSummary>> response)
      implements CoordinatorProtocol.Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements CoordinatorProtocol.Command {}

  /** Time to read the drained set again from {@link TileDrains}. */
  private enum DrainsTick implements CoordinatorProtocol.Command {
    INSTANCE
  }

  /** How often the drained set is read again (changes are also pushed by {@link TileDrains}). */
  private static final Duration DRAINS_REFRESH = Duration.ofSeconds(10);

  /** What the coordinator asked a job entity. */
  private enum Op { PLACE, BEGIN_MIGRATION, RELEASE, REQUEUE, UPDATE, LOOKUP, REFRESH, ASSIGN }

  /** A job entity's answer (view on success, error text otherwise) to {@code op}. */
  private record EntityAnswer(JobId jobId, Op op, JobView view, String error, Object context)
      implements CoordinatorProtocol.Command {}

  /** What the coordinator asked a TILE. */
  private enum TileOp { START, CHECKPOINT, MODE }

  /** A TILE's acknowledgement (or the ask's failure) of {@code op}. */
  private record TileAnswer(JobId jobId, TileOp op, TileId tileId, int slot, long epoch, TileProtocol.JobAck ack,
      String error) implements CoordinatorProtocol.Command {}

  /** The checkpoint of a migrating job has arrived at its target. */
  private record TransferDone(JobId jobId, long epoch) implements CoordinatorProtocol.Command {}

  /** Context of a placement: where StartJob goes once the entity has the new epoch. */
  private record PlaceContext(TileId tileId, int slot, String reason) {}

  /** Context of a migration or release: where CheckpointJob goes once the entity has recorded it. */
  private record MoveContext(TileId fromTile, int fromSlot, long epoch, String what) {}

  /** Context of a lookup: the copy of the job a TILE reported. */
  private record CopyContext(TileId tileId, int slot, long epoch) {}

  /** Per TILE: what arrived last and when; {@code stale} as of the last tick (for transition logs). */
  private static final class Entry {
    TileReport report;
    ActorRef<TileProtocol.Command> tile;
    Instant receivedAt;
    Instant receivedSimTime;
    boolean stale;
    /** Silent for lost-after-intervals, or its node left the cluster: its jobs are requeued. */
    boolean lost;
    double plateTrendCelsiusPerSecond;
    /** When the TILE came back under a new incarnation (its tile-node restarted): crash-loop detection. */
    final TileHealth.Restarts restarts = new TileHealth.Restarts();
    /** The health verdict as of the last report or tick (for transition logs). */
    TileHealth.Assessment health = TileHealth.Assessment.HEALTHY;

    TileView view(boolean staleNow) {
      return new TileView(report, tile, receivedAt, receivedSimTime, staleNow || lost, health.problems());
    }
  }

  /** Per job: the coordinator's soft knowledge of it. */
  private static final class Tracked {
    final JobId id;
    JobView view;
    /** Wall instant the coordinator last heard of the job (registration, reply, report). */
    Instant heardAt;
    /** Wall instant of the last entity reply: a registration sent before it may be older news. */
    Instant repliedAt;
    /** Wall instant the coordinator learned the current placement (missing-from-report grace runs from it). */
    Instant placementSeenAt;
    /** Simulated instant since which the job waits in this plane's queue. */
    Instant pendingSince;
    /** An exclusive entity command (place, migrate, release, requeue, assign) is in flight. */
    boolean busy;
    boolean refreshing;
    int updatesInFlight;
    /** Where a placement in flight is going (reserves the slot in decision rounds). */
    TileId plannedTile;
    int plannedSlot;
    /** Transfer time of the migration under way, simulated seconds (recomputed after a failover). */
    double transferSeconds = Double.NaN;
    boolean transferScheduled;
    double reportedDoneGpuSeconds;
    /** Wall instant of the last update the coordinator synthesised from a report (rate limit). */
    Instant synthesisedAt;

    Tracked(JobId id) {
      this.id = id;
    }
  }

  // ---- sharding -----------------------------------------------------------------------------------

  /**
   * Starts sharding of the coordinators on this node (hosting them when it has the {@code scheduler}
   * role), with settings and clock read from the system's config.
   */
  public static ActorRef<ShardingEnvelope<CoordinatorProtocol.Command>> init(ActorSystem<?> system) {
    Config config = system.settings().config();
    return init(system, CoordinatorSettings.fromConfig(config),
        ClockSettings.fromConfig(config, Instant.now()).clock());
  }

  /**
   * Starts sharding of the coordinators on this node with the given settings and clock; job entities are
   * reached through sharding ({@link JobEntity#init}) and the policy is configured by
   * {@code soos.scheduler.policy}.
   */
  public static ActorRef<ShardingEnvelope<CoordinatorProtocol.Command>> init(
      ActorSystem<?> system, CoordinatorSettings settings, SimClock clock) {
    JobLinks links = JobLinks.sharded(system);
    ClusterShardingSettings sharding = ClusterShardingSettings.create(system).withRole(ROLE);
    sharding = sharding.withPassivationStrategy(
        sharding.passivationStrategySettings().withIdleEntityPassivation(settings.passivateAfterIdle()));
    return ClusterSharding.get(system).init(
        Entity.of(CoordinatorProtocol.ENTITY_KEY,
                ctx -> create(PlaneId.of(ctx.getEntityId()), settings, clock, InstantSource.system(), links))
            .withRole(ROLE)
            .withSettings(sharding));
  }

  /** The coordinator of {@code planeId}, wherever it runs (sharding must be initialised). */
  public static EntityRef<CoordinatorProtocol.Command> entityRef(ActorSystem<?> system, PlaneId planeId) {
    return ClusterSharding.get(system).entityRefFor(CoordinatorProtocol.ENTITY_KEY, planeId.value());
  }

  /** The coordinator of {@code planeId}, reading wall time from the system clock. */
  public static Behavior<CoordinatorProtocol.Command> create(
      PlaneId planeId, CoordinatorSettings settings, SimClock clock) {
    return create(planeId, settings, clock, InstantSource.system());
  }

  /**
   * The coordinator of {@code planeId}, with job entities reached through sharding.
   *
   * @param clock simulated time (stamps {@code receivedSimTime}, drives decision rounds)
   * @param wall wall time (stamps {@code receivedAt}; staleness and publishing rate run on it)
   */
  public static Behavior<CoordinatorProtocol.Command> create(
      PlaneId planeId, CoordinatorSettings settings, SimClock clock, InstantSource wall) {
    return Behaviors.setup(ctx -> create(planeId, settings, clock, wall, JobLinks.sharded(ctx.getSystem())));
  }

  /**
   * The coordinator of {@code planeId}.
   *
   * @param clock simulated time (stamps {@code receivedSimTime}, drives decision rounds)
   * @param wall wall time (stamps {@code receivedAt}; staleness and publishing rate run on it)
   * @param links job entities and the policy
   */
  public static Behavior<CoordinatorProtocol.Command> create(
      PlaneId planeId, CoordinatorSettings settings, SimClock clock, InstantSource wall, JobLinks links) {
    return Behaviors.setup(ctx ->
        DistributedData.<CoordinatorProtocol.Command, LWWMap<String, PlaneSummary>>withReplicatorMessageAdapter(
            replicator -> Behaviors.withTimers(timers ->
                new SoosCoordinator(ctx, replicator, timers, planeId, settings, clock, wall, links))));
  }

  // ---- state ----------------------------------------------------------------------------------------

  private static final String DECISION_TIMER = "decide";

  private final ReplicatorMessageAdapter<CoordinatorProtocol.Command, LWWMap<String, PlaneSummary>> replicator;
  private final TimerScheduler<CoordinatorProtocol.Command> timers;
  private final SelfUniqueAddress selfAddress;
  private final PlaneId planeId;
  private final CoordinatorSettings settings;
  private final SimClock clock;
  private final InstantSource wall;
  private final JobLinks links;
  private final ActorRef<ClusterEvent.MemberEvent> memberAdapter;
  private final Instant startedAt;
  private final Map<TileId, Entry> tiles = new TreeMap<>();
  private final LinkedHashMap<JobId, JobUpdate> updates = new LinkedHashMap<>();
  private final Map<JobId, Tracked> jobs = new TreeMap<>();
  /** Wall instant of the last lookup of a job a TILE reported but the coordinator did not know. */
  private final Map<JobId, Instant> lookups = new HashMap<>();
  /** Wall instant of the last StopJob per stale copy (job@tile#slot:epoch), to send it once per timeout. */
  private final Map<String, Instant> stopsSent = new HashMap<>();
  /** TILEs an operator drained, as {@link TileDrains} last said (empty until it has answered). */
  private java.util.Set<TileId> drained = java.util.Set.of();
  private List<PlaneSummary> directory = List.of();
  private Instant lastPublishedAt;
  private int lastPublishedPending = -1;
  private boolean published;
  private boolean dirty;

  private SoosCoordinator(
      ActorContext<CoordinatorProtocol.Command> context,
      ReplicatorMessageAdapter<CoordinatorProtocol.Command, LWWMap<String, PlaneSummary>> replicator,
      TimerScheduler<CoordinatorProtocol.Command> timers,
      PlaneId planeId,
      CoordinatorSettings settings,
      SimClock clock,
      InstantSource wall,
      JobLinks links) {
    super(context);
    this.replicator = replicator;
    this.timers = timers;
    this.selfAddress = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.planeId = planeId;
    this.settings = settings;
    this.clock = clock;
    this.wall = wall;
    this.links = links;
    this.startedAt = wall.instant();
    Duration tick = settings.reportInterval().dividedBy(4);
    timers.startTimerWithFixedDelay(Tick.INSTANCE, tick.toMillis() < 10 ? Duration.ofMillis(10) : tick);
    Duration round = clock.wallDurationOf(settings.decisionInterval());
    timers.startTimerWithFixedDelay(DECISION_TIMER, DecisionTick.INSTANCE,
        round.toMillis() < 20 ? Duration.ofMillis(20) : round);
    if (links.drains() != null) {
      timers.startTimerWithFixedDelay(DrainsTick.INSTANCE, Duration.ZERO, DRAINS_REFRESH);
    }
    this.memberAdapter = context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(memberAdapter, ClusterEvent.MemberEvent.class));
    context.getLog().info("Coordinator of plane {} started (policy {}, decision round every {} simulated = {} wall)",
        planeId, links.policy().name(), settings.decisionInterval(), round);
  }

  @Override
  public Receive<CoordinatorProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReportTile.class, this::onReportTile)
        .onMessage(JobUpdate.class, this::onJobUpdate)
        .onMessage(RegisterJob.class, this::onRegisterJob)
        .onMessage(GetTiles.class, this::onGetTiles)
        .onMessage(GetTile.class, this::onGetTile)
        .onMessage(GetPlaneSummary.class, this::onGetPlaneSummary)
        .onMessage(GetJobUpdates.class, this::onGetJobUpdates)
        .onMessage(GetJobs.class, this::onGetJobs)
        .onMessage(DrainedTiles.class, this::onDrainedTiles)
        .onMessageEquals(DrainsTick.INSTANCE, this::onDrainsTick)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(DecisionTick.INSTANCE, this::onDecisionTick)
        .onMessage(EntityAnswer.class, this::onEntityAnswer)
        .onMessage(TileAnswer.class, this::onTileAnswer)
        .onMessage(TransferDone.class, this::onTransferDone)
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onMessage(SummaryWritten.class, this::onSummaryWritten)
        .onMessage(DirectoryRead.class, this::onDirectoryRead)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // ---- TILE reports -----------------------------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onReportTile(ReportTile message) {
    TileReport report = message.report();
    if (report == null || message.tile() == null || report.tileId() == null || report.simTime() == null) {
      getContext().getLog().warn("Plane {}: ignoring an incomplete ReportTile (report, tile ref, tileId and simTime "
          + "are required): {}", planeId, message);
      return this;
    }
    if (!planeId.equals(report.planeId())) {
      getContext().getLog().warn("Plane {}: ignoring report of TILE {} that belongs to plane {}",
          planeId, report.tileId(), report.planeId());
      return this;
    }
    Entry entry = tiles.get(report.tileId());
    if (entry != null && report.simTime().isBefore(entry.report.simTime())) {
      getContext().getLog().debug("Plane {}: ignoring out-of-order report of TILE {} ({} < {})",
          planeId, report.tileId(), report.simTime(), entry.report.simTime());
      return this;
    }
    Instant now = wall.instant();
    if (entry == null) {
      entry = new Entry();
      tiles.put(report.tileId(), entry);
      getContext().getLog().info("Plane {}: TILE {} reporting ({} TILEs)", planeId, report.tileId(), tiles.size());
    } else {
      if (entry.stale || entry.lost) {
        getContext().getLog().info("Plane {}: TILE {} reporting again after {} s of silence",
            planeId, report.tileId(), Duration.between(entry.receivedAt, now).toSeconds());
      }
      double dtSeconds = Duration.between(entry.report.simTime(), report.simTime()).toMillis() / 1000.0;
      if (dtSeconds >= 1.0) {
        entry.plateTrendCelsiusPerSecond = (report.plateTempCelsius() - entry.report.plateTempCelsius()) / dtSeconds;
      }
    }
    if (entry.tile != null && !entry.tile.equals(message.tile())) {
      entry.restarts.record(now);
      getContext().getLog().info("Plane {}: TILE {} reports from a new incarnation ({} -> {}): its tile-node restarted",
          planeId, report.tileId(), entry.tile, message.tile());
    }
    entry.report = report;
    entry.tile = message.tile();
    updateHealth(entry, now);
    entry.receivedAt = now;
    entry.receivedSimTime = clock.toSim(now);
    entry.stale = false;
    entry.lost = false;
    dirty = true;
    reconcileCopies(entry, now);
    maybePublish(now);
    return this;
  }

  /**
   * Checks every job the report shows running against what the coordinator knows: a copy under an epoch
   * that is no longer current is told to stop; a job the coordinator does not know is looked up; the
   * current copy's progress is noted.
   */
  private void reconcileCopies(Entry entry, Instant now) {
    TileId tileId = entry.report.tileId();
    for (OrinReport orin : entry.report.orins()) {
      for (JobProgress p : orin.jobs()) {
        if (p.jobId() == null) continue;
        if (p.state() != JobProgress.JobRunState.RUNNING && p.state() != JobProgress.JobRunState.CHECKPOINTING) continue;
        Tracked t = jobs.get(p.jobId());
        if (t == null) {
          lookup(p.jobId(), new CopyContext(tileId, orin.slot(), p.epoch()), now);
          continue;
        }
        if (t.busy || t.updatesInFlight > 0) continue;
        JobView v = t.view;
        if (isCurrentCopy(v, tileId, orin.slot(), p.epoch())) {
          t.heardAt = now;
          t.reportedDoneGpuSeconds = p.doneGpuSeconds();
          continue;
        }
        if (p.epoch() > v.epoch()) {
          refresh(t);
        } else {
          stopCopy(tileId, orin.slot(), p.jobId(), p.epoch(),
              "stale-epoch: job is " + v.state() + " at epoch " + v.epoch(), now);
        }
      }
    }
  }

  private static boolean isCurrentCopy(JobView v, TileId tileId, int slot, long epoch) {
    return v.placement() != null && v.state().onAnOrin() && v.epoch() == epoch
        && tileId.equals(v.placement().tileId()) && slot == v.placement().slot();
  }

  // ---- Orin updates and job registrations --------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onJobUpdate(JobUpdate update) {
    if (update.jobId() == null || update.kind() == null) {
      getContext().getLog().warn("Plane {}: ignoring a JobUpdate without jobId or kind", planeId);
      return this;
    }
    if (update.tileId() == null || !tiles.containsKey(update.tileId())) {
      getContext().getLog().warn("Plane {}: job update for job {} from TILE {}, which has not reported to this plane",
          planeId, update.jobId(), update.tileId());
    }
    boolean routine = update.kind() == CoordinatorProtocol.JobUpdateKind.CHECKPOINTED && "periodic".equals(update.reason());
    if (routine ? getContext().getLog().isDebugEnabled() : getContext().getLog().isInfoEnabled()) {
      String line = String.format("Plane %s: job %s %s on %s slot %d (epoch %d, %.1f GPU-s done%s)", planeId,
          update.jobId(), update.kind(), update.tileId(), update.slot(), update.epoch(), update.doneGpuSeconds(),
          update.reason() == null || update.reason().isEmpty() ? "" : ", " + update.reason());
      if (routine) getContext().getLog().debug(line);
      else getContext().getLog().info(line);
    }
    updates.remove(update.jobId());
    updates.put(update.jobId(), update);
    while (updates.size() > settings.maxJobUpdates()) {
      JobId oldest = updates.keySet().iterator().next();
      updates.remove(oldest);
    }
    Tracked t = jobs.get(update.jobId());
    if (t != null) t.updatesInFlight++;
    JobEntity.UpdateKind kind = JobEntity.UpdateKind.valueOf(update.kind().name());
    askEntity(update.jobId(), Op.UPDATE, replyTo -> new JobEntity.RecordUpdate(update.epoch(), kind,
        update.doneGpuSeconds(), update.checkpointBytes(), update.reason(), clock.now(), replyTo), update);
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onRegisterJob(RegisterJob message) {
    JobView v = message.job();
    if (v == null || v.id() == null || v.state() == null || v.spec() == null) {
      getContext().getLog().warn("Plane {}: ignoring an incomplete job registration: {}", planeId, message);
      return this;
    }
    Instant now = wall.instant();
    Tracked t = jobs.get(v.id());
    if (v.state().terminal()) {
      if (v.state() != JobStatus.SUCCEEDED) stopPlacedCopy(v, v.state().name().toLowerCase(), now);
      if (t != null) forget(t, "job " + v.state());
      return this;
    }
    if (t == null) {
      t = new Tracked(v.id());
      jobs.put(v.id(), t);
      getContext().getLog().debug("Plane {}: job {} registered ({}, epoch {})", planeId, v.id(), v.state(), v.epoch());
      accept(t, v, now, false);
    } else if (!t.busy && (t.repliedAt == null
        || Duration.between(t.repliedAt, now).compareTo(settings.reportInterval()) > 0)) {
      accept(t, v, now, false);
    }
    t.heardAt = now;
    return this;
  }

  /** Takes {@code v} as the job's truth and reacts to what changed. */
  private void accept(Tracked t, JobView v, Instant now, boolean fromReply) {
    JobView prev = t.view;
    t.view = v;
    t.heardAt = now;
    if (fromReply) t.repliedAt = now;
    if (v.state().terminal()) {
      forget(t, "job " + v.state());
      return;
    }
    if (v.state() == JobStatus.PENDING && (prev == null || prev.state() != JobStatus.PENDING)) {
      t.pendingSince = clock.now();
    }
    if (v.placement() != null && (prev == null || !Objects.equals(prev.placement(), v.placement()))) {
      t.placementSeenAt = now;
      t.reportedDoneGpuSeconds = 0;
    }
    if (v.state() == JobStatus.MIGRATING && !t.transferScheduled) scheduleTransfer(t);
  }

  private void forget(Tracked t, String why) {
    jobs.remove(t.id);
    timers.cancel(transferKey(t.id));
    getContext().getLog().debug("Plane {}: no longer tracking job {} ({})", planeId, t.id, why);
  }

  // ---- decision round -----------------------------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onDecisionTick() {
    Instant now = wall.instant();
    Instant simNow = clock.now();
    readDirectory();
    requeueJobsOfLostTiles(now);
    reconcileMissing(now);
    forgetSilentJobs(now);
    spill(simNow);
    ClusterView view = clusterView(simNow);
    if (view.pending().isEmpty() && view.running().isEmpty()) return this;
    List<Decision> decisions;
    try {
      decisions = links.policy().decide(view);
    } catch (RuntimeException e) {
      getContext().getLog().error("Plane {}: policy {} failed on {} pending and {} running jobs", planeId,
          links.policy().name(), view.pending().size(), view.running().size(), e);
      return this;
    }
    for (Decision d : decisions) apply(d);
    return this;
  }

  /** Re-assesses a TILE's health (safe mode) and logs when it enters or leaves it. */
  private void updateHealth(Entry entry, Instant now) {
    TileHealth.Settings h = settings.health();
    TileHealth.Assessment next = TileHealth.assess(entry.report, entry.restarts.within(now, h.restartWindow()), h);
    if (next.healthy() != entry.health.healthy()) {
      if (next.healthy()) {
        getContext().getLog().info("Plane {}: TILE {} healthy again: given work", planeId, entry.report.tileId());
      } else {
        getContext().getLog().warn("Plane {}: TILE {} unhealthy, given no work: {}", planeId, entry.report.tileId(),
            String.join("; ", next.problems()));
      }
    }
    entry.health = next;
  }

  /** The policy's view of the plane: live TILEs, jobs waiting, jobs placed (slots reserved by moves included). */
  private ClusterView clusterView(Instant simNow) {
    Map<TileId, org.soos.scheduler.policy.TileView> live = new TreeMap<>();
    Instant now = wall.instant();
    for (Map.Entry<TileId, Entry> e : tiles.entrySet()) {
      Entry entry = e.getValue();
      if (entry.lost || isStale(entry, now)) continue;
      updateHealth(entry, now);
      live.put(e.getKey(), new org.soos.scheduler.policy.TileView(entry.report, entry.plateTrendCelsiusPerSecond,
          entry.health.healthy(), drained.contains(e.getKey())));
    }
    List<PendingJob> pending = new ArrayList<>();
    List<RunningJob> running = new ArrayList<>();
    for (Tracked t : jobs.values()) {
      JobView v = t.view;
      JobSpec spec = v.spec();
      if (t.busy && t.plannedTile != null) {
        running.add(new RunningJob(t.id, spec, t.plannedTile, planeId, t.plannedSlot, v.epoch() + 1,
            v.committedGpuSeconds(), simNow, true));
        continue;
      }
      switch (v.state()) {
        case PENDING -> {
          if (!t.busy) pending.add(new PendingJob(t.id, spec, v.committedGpuSeconds(), v.submittedAt()));
        }
        case PLACED, RUNNING, CHECKPOINTING -> {
          JobEntity.Placement p = v.placement();
          if (p == null || !planeId.equals(p.planeId())) continue;
          double done = Math.max(v.progressGpuSeconds(), t.reportedDoneGpuSeconds);
          running.add(new RunningJob(t.id, spec, p.tileId(), planeId, p.slot(), v.epoch(), done,
              p.placedAt() == null ? simNow : p.placedAt(), t.busy || v.state() == JobStatus.CHECKPOINTING));
        }
        case MIGRATING -> {
          JobEntity.Target target = v.migratingTo();
          if (target != null && planeId.equals(target.planeId())) {
            running.add(new RunningJob(t.id, spec, target.tileId(), planeId, target.slot(), v.epoch(),
                v.committedGpuSeconds(), simNow, true));
          }
        }
        default -> { }
      }
    }
    return new ClusterView(simNow, live, pending, running);
  }

  private void apply(Decision d) {
    Tracked t = jobs.get(d.jobId());
    if (d instanceof Decision.SetPowerMode m) {
      setPowerMode(m);
      return;
    }
    if (t == null || t.busy) return;
    JobView v = t.view;
    if (d instanceof Decision.Place p) {
      if (v.state() != JobStatus.PENDING) return;
      place(t, p.tileId(), p.planeId(), p.slot(), p.reason());
    } else if (d instanceof Decision.Migrate m) {
      if (!v.state().onAnOrin() || v.placement() == null) return;
      getContext().getLog().info("Plane {}: migrating job {} from {}/orin-{} to {}/orin-{} ({}), epoch {}, "
              + "transfer {} s", planeId, t.id, m.fromTile(), m.fromSlot(), m.toTile(), m.toSlot(), m.reason(),
          v.epoch(), String.format("%.1f", m.transferSeconds()));
      t.busy = true;
      t.transferSeconds = m.transferSeconds();
      MoveContext ctx = new MoveContext(m.fromTile(), m.fromSlot(), v.epoch(), "migration (" + m.reason() + ")");
      askEntity(t.id, Op.BEGIN_MIGRATION, replyTo -> new JobEntity.BeginMigration(m.toTile(), m.toPlane(), m.toSlot(),
          m.reason(), clock.now(), replyTo), ctx);
    } else if (d instanceof Decision.Preempt p) {
      release(t, p.tileId(), p.slot(), "preempted for " + p.forJob() + " (" + p.reason() + ")");
    } else if (d instanceof Decision.Suspend s) {
      release(t, s.tileId(), s.slot(), "suspended (" + s.reason() + ")");
    }
  }

  private void place(Tracked t, TileId tileId, PlaneId plane, int slot, String reason) {
    t.busy = true;
    t.plannedTile = tileId;
    t.plannedSlot = slot;
    askEntity(t.id, Op.PLACE, replyTo -> new JobEntity.Place(tileId, plane, slot, reason, clock.now(), replyTo),
        new PlaceContext(tileId, slot, reason));
  }

  private void release(Tracked t, TileId tileId, int slot, String reason) {
    JobView v = t.view;
    if (!v.state().onAnOrin() || v.state() == JobStatus.CHECKPOINTING) return;
    getContext().getLog().info("Plane {}: releasing job {} from {}/orin-{}: {}, epoch {}", planeId, t.id, tileId, slot,
        reason, v.epoch());
    t.busy = true;
    long epoch = v.epoch();
    askEntity(t.id, Op.RELEASE, replyTo -> new JobEntity.Release(epoch, reason, clock.now(), replyTo),
        new MoveContext(tileId, slot, epoch, reason));
  }

  private void requeue(Tracked t, long epoch, String reason) {
    if (t.busy) return;
    getContext().getLog().info("Plane {}: requeueing job {} (epoch {}): {}", planeId, t.id, epoch, reason);
    t.busy = true;
    double done = t.view.epoch() == epoch ? t.reportedDoneGpuSeconds : 0.0;
    askEntity(t.id, Op.REQUEUE, replyTo -> new JobEntity.Requeue(epoch, reason, done, clock.now(), replyTo), null);
  }

  private void setPowerMode(Decision.SetPowerMode m) {
    Entry entry = tiles.get(m.tileId());
    if (entry == null) return;
    OrinReport orin = orin(entry.report, m.slot());
    if (orin != null && orin.powerModeId() == m.modeId()) return;
    getContext().getLog().info("Plane {}: power mode {} on {}/orin-{} for job {} ({})", planeId, m.modeId(), m.tileId(),
        m.slot(), m.jobId(), m.reason());
    getContext().ask(TileProtocol.JobAck.class, entry.tile, settings.askTimeout(),
        replyTo -> new TileProtocol.SetPowerMode(m.slot(), m.modeId(), replyTo),
        (ack, err) -> new TileAnswer(m.jobId(), TileOp.MODE, m.tileId(), m.slot(), 0L, ack, errorText(err)));
  }

  // ---- node loss, missing jobs, spill -------------------------------------------------------------

  private void requeueJobsOfLostTiles(Instant now) {
    for (Map.Entry<TileId, Entry> e : tiles.entrySet()) {
      Entry entry = e.getValue();
      Duration silent = Duration.between(entry.receivedAt, now);
      if (!entry.lost && silent.compareTo(settings.lostAfter()) > 0) {
        entry.lost = true;
        dirty = true;
        getContext().getLog().warn("Plane {}: TILE {} silent for {} s: lost; its jobs restart elsewhere from their "
            + "last checkpoint", planeId, e.getKey(), silent.toSeconds());
      }
    }
    boolean settledIn = Duration.between(startedAt, now).compareTo(settings.lostAfter()) > 0;
    for (Tracked t : List.copyOf(jobs.values())) {
      JobView v = t.view;
      if (t.busy || !v.state().onAnOrin() || v.placement() == null || !planeId.equals(v.placement().planeId())) continue;
      TileId tile = v.placement().tileId();
      Entry entry = tiles.get(tile);
      if (entry != null && entry.lost) {
        requeue(t, v.epoch(), "node-lost: TILE " + tile + " silent for "
            + Duration.between(entry.receivedAt, now).toSeconds() + " s or its node left the cluster");
      } else if (entry == null && settledIn) {
        requeue(t, v.epoch(), "node-lost: TILE " + tile + " has not reported since this coordinator started "
            + Duration.between(startedAt, now).toSeconds() + " s ago");
      }
    }
  }

  /**
   * A job the entity places on a live TILE must show up in that TILE's reports once the operation timeout
   * has passed: finished there (its update was lost: recorded from the report), or missing (requeued).
   */
  private void reconcileMissing(Instant now) {
    for (Tracked t : List.copyOf(jobs.values())) {
      JobView v = t.view;
      if (t.busy || t.updatesInFlight > 0 || !v.state().onAnOrin() || v.placement() == null) continue;
      JobEntity.Placement p = v.placement();
      if (!planeId.equals(p.planeId())) continue;
      Entry entry = tiles.get(p.tileId());
      if (entry == null || entry.lost || t.placementSeenAt == null) continue;
      if (!entry.receivedAt.isAfter(t.placementSeenAt.plus(settings.operationTimeout()))) continue;
      JobProgress copy = null;
      OrinReport orin = orin(entry.report, p.slot());
      if (orin != null) {
        for (JobProgress jp : orin.jobs()) {
          if (t.id.equals(jp.jobId()) && jp.epoch() == v.epoch()) copy = jp;
        }
      }
      if (copy == null) {
        requeue(t, v.epoch(), "missing: " + p.tileId() + "/orin-" + p.slot() + " no longer reports it");
        continue;
      }
      if (t.synthesisedAt != null
          && Duration.between(t.synthesisedAt, now).compareTo(settings.operationTimeout()) < 0) {
        continue;
      }
      if (t.repliedAt != null && Duration.between(t.repliedAt, now).compareTo(settings.reportInterval().multipliedBy(2)) < 0) {
        continue;
      }
      JobEntity.UpdateKind kind = switch (copy.state()) {
        case RUNNING, CHECKPOINTING -> v.state() == JobStatus.PLACED ? JobEntity.UpdateKind.STARTED : null;
        case COMPLETED -> JobEntity.UpdateKind.COMPLETED;
        case SUSPENDED -> JobEntity.UpdateKind.SUSPENDED;
        case STOPPED -> JobEntity.UpdateKind.STOPPED;
      };
      if (kind == null) continue;
      long bytes = copy.checkpointedGpuSeconds() > 0 && v.spec().checkpoint() != null
          ? v.spec().checkpoint().sizeBytes() : 0L;
      double done = kind == JobEntity.UpdateKind.COMPLETED || kind == JobEntity.UpdateKind.STARTED
          ? copy.doneGpuSeconds() : copy.checkpointedGpuSeconds();
      getContext().getLog().info("Plane {}: job {} is {} on {}/orin-{} (epoch {}) by the TILE's report; recording it",
          planeId, t.id, copy.state(), p.tileId(), p.slot(), v.epoch());
      t.synthesisedAt = now;
      t.updatesInFlight++;
      JobUpdate update = new JobUpdate(p.tileId(), p.slot(), t.id, v.epoch(),
          CoordinatorProtocol.JobUpdateKind.valueOf(kind.name()), done, bytes, "from-report");
      askEntity(t.id, Op.UPDATE, replyTo -> new JobEntity.RecordUpdate(update.epoch(), kind, done, bytes,
          "from-report", clock.now(), replyTo), update);
    }
  }

  private void forgetSilentJobs(Instant now) {
    for (Iterator<Tracked> it = jobs.values().iterator(); it.hasNext(); ) {
      Tracked t = it.next();
      if (t.busy || t.transferScheduled || t.updatesInFlight > 0) continue;
      if (Duration.between(t.heardAt, now).compareTo(settings.forgetAfter()) > 0) {
        it.remove();
        getContext().getLog().debug("Plane {}: forgetting job {} (not heard of for {} s)", planeId, t.id,
            Duration.between(t.heardAt, now).toSeconds());
      }
    }
    lookups.values().removeIf(at -> Duration.between(at, now).compareTo(settings.forgetAfter()) > 0);
    stopsSent.values().removeIf(at -> Duration.between(at, now).compareTo(settings.forgetAfter()) > 0);
  }

  /** Hands jobs that waited longer than spill-after to the plane with the most spare Orins, if any. */
  private void spill(Instant simNow) {
    for (Tracked t : List.copyOf(jobs.values())) {
      JobView v = t.view;
      if (t.busy || v.state() != JobStatus.PENDING || t.pendingSince == null) continue;
      Duration waited = Duration.between(t.pendingSince, simNow);
      if (waited.compareTo(settings.spillAfter()) <= 0) continue;
      Optional<PlaneId> target = PlaneChooser.spillTarget(v.spec(), directory, planeId);
      t.pendingSince = simNow; // try again after another spill-after, whatever happens now
      if (target.isEmpty()) continue;
      String reason = "spill from " + planeId + ": no Orin for " + waited.toMinutes() + " min";
      getContext().getLog().info("Plane {}: handing job {} to plane {} ({})", planeId, t.id, target.get(), reason);
      t.busy = true;
      PlaneId to = target.get();
      askEntity(t.id, Op.ASSIGN, replyTo -> new JobEntity.AssignPlane(to, planeId, reason, simNow, replyTo), to);
    }
  }

  private void readDirectory() {
    replicator.askGet(replyTo -> new Replicator.Get<>(PlaneDirectory.KEY, Replicator.readLocal(), replyTo),
        DirectoryRead::new);
  }

  private Behavior<CoordinatorProtocol.Command> onDirectoryRead(DirectoryRead read) {
    if (read.response() instanceof Replicator.GetSuccess<LWWMap<String, PlaneSummary>> success) {
      directory = List.copyOf(success.get(PlaneDirectory.KEY).getEntries().values());
    } else if (read.response() instanceof Replicator.NotFound) {
      directory = List.of();
    }
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onMemberChanged(MemberChanged changed) {
    ClusterEvent.MemberEvent event = changed.event();
    if (!(event instanceof ClusterEvent.MemberRemoved) && !(event instanceof ClusterEvent.MemberDowned)) return this;
    akka.actor.Address address = event.member().address();
    for (Map.Entry<TileId, Entry> e : tiles.entrySet()) {
      Entry entry = e.getValue();
      if (!entry.lost && address.equals(entry.tile.path().address())) {
        entry.lost = true;
        dirty = true;
        getContext().getLog().warn("Plane {}: TILE {} lost: its node {} is {}; its jobs restart elsewhere from their "
            + "last checkpoint", planeId, e.getKey(), address, event.member().status());
      }
    }
    requeueJobsOfLostTiles(wall.instant());
    return this;
  }

  // ---- migrations ----------------------------------------------------------------------------------

  private void scheduleTransfer(Tracked t) {
    JobView v = t.view;
    JobEntity.Target target = v.migratingTo();
    if (target == null) return;
    double seconds = t.transferSeconds;
    if (Double.isNaN(seconds)) {
      // Learned after a failover: the transfer time of this hop.
      long bytes = v.spec().checkpoint() == null ? 0 : v.spec().checkpoint().sizeBytes();
      seconds = links.policySettings().transferSeconds(bytes, planeId.equals(target.planeId()));
    }
    Duration wallDelay = clock.wallDurationOf(Duration.ofMillis(Math.round(seconds * 1000.0)));
    t.transferScheduled = true;
    timers.startSingleTimer(transferKey(t.id), new TransferDone(t.id, v.epoch()), wallDelay);
    getContext().getLog().info("Plane {}: job {} checkpoint ({} GPU-s) travelling to {}/orin-{}: {} s", planeId, t.id,
        String.format("%.1f", v.committedGpuSeconds()), target.tileId(), target.slot(), String.format("%.1f", seconds));
  }

  private Behavior<CoordinatorProtocol.Command> onTransferDone(TransferDone done) {
    Tracked t = jobs.get(done.jobId());
    if (t == null) return this;
    t.transferScheduled = false;
    t.transferSeconds = Double.NaN;
    JobView v = t.view;
    if (v.state() != JobStatus.MIGRATING || v.epoch() != done.epoch() || v.migratingTo() == null) return this;
    if (t.busy) {
      // Another command on the job is in flight: look again after it has been answered.
      t.transferScheduled = true;
      timers.startSingleTimer(transferKey(t.id), done, clock.wallDurationOf(settings.decisionInterval()));
      return this;
    }
    JobEntity.Target target = v.migratingTo();
    Entry entry = tiles.get(target.tileId());
    Instant now = wall.instant();
    if (entry == null || entry.lost || isStale(entry, now)) {
      requeue(t, v.epoch(), "migration target " + target.tileId() + " is not reporting");
      return this;
    }
    OrinReport orin = orin(entry.report, target.slot());
    if (orin == null || orin.health() != OrinReport.OrinHealth.NOMINAL) {
      requeue(t, v.epoch(), "migration target " + target.tileId() + "/orin-" + target.slot() + " is not available");
      return this;
    }
    place(t, target.tileId(), target.planeId(), target.slot(), "migration (" + target.reason() + ")");
    return this;
  }

  private static String transferKey(JobId id) {
    return "transfer-" + id.value();
  }

  // ---- answers ------------------------------------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onEntityAnswer(EntityAnswer a) {
    Instant now = wall.instant();
    Tracked t = jobs.get(a.jobId());
    switch (a.op()) {
      case UPDATE -> onUpdateAnswer(t, a, now);
      case LOOKUP -> onLookupAnswer(a, now);
      case REFRESH -> {
        if (t == null) return this;
        t.refreshing = false;
        if (a.error() != null) {
          if (a.error().startsWith("unknown job")) forget(t, a.error());
          return this;
        }
        if (!t.busy) accept(t, a.view(), now, true);
      }
      case PLACE -> onPlaceAnswer(t, a, now);
      case BEGIN_MIGRATION, RELEASE -> onMoveAnswer(t, a, now);
      case REQUEUE -> {
        if (t == null) return this;
        t.busy = false;
        if (a.error() != null) {
          getContext().getLog().info("Plane {}: job {} not requeued: {}", planeId, a.jobId(), a.error());
          refresh(t);
          return this;
        }
        accept(t, a.view(), now, true);
      }
      case ASSIGN -> {
        if (t == null) return this;
        t.busy = false;
        if (a.error() != null) {
          getContext().getLog().info("Plane {}: job {} stays: {}", planeId, a.jobId(), a.error());
          if (a.error().startsWith(JobEntity.QUEUED_ELSEWHERE)) forget(t, a.error());
          else refresh(t);
          return this;
        }
        forget(t, "queued by plane " + a.context());
      }
    }
    return this;
  }

  private void onUpdateAnswer(Tracked t, EntityAnswer a, Instant now) {
    JobUpdate update = (JobUpdate) a.context();
    if (t != null) t.updatesInFlight = Math.max(0, t.updatesInFlight - 1);
    if (a.error() != null) {
      String error = a.error();
      boolean refused = error.startsWith("stale-epoch") || error.startsWith("job is ") || error.startsWith("unknown job");
      if (refused && (update.kind() == CoordinatorProtocol.JobUpdateKind.STARTED
          || update.kind() == CoordinatorProtocol.JobUpdateKind.CHECKPOINTED)) {
        stopCopy(update.tileId(), update.slot(), update.jobId(), update.epoch(), error, now);
      } else {
        getContext().getLog().info("Plane {}: job {} update {} (epoch {}) not recorded: {}", planeId, update.jobId(),
            update.kind(), update.epoch(), error);
      }
      if (t != null && refused && !t.busy) refresh(t);
      return;
    }
    JobView v = a.view();
    if (t == null) {
      if (v.state().terminal() || !belongsHere(v)) return;
      t = new Tracked(v.id());
      jobs.put(v.id(), t);
    }
    if (t.busy) {
      // An exclusive command is in flight: its answer carries newer news; only keep the progress.
      t.heardAt = now;
      return;
    }
    accept(t, v, now, true);
    if (v.state().terminal()) {
      getContext().getLog().info("Plane {}: job {} {} (epoch {}, {} migration(s), {} GPU-s lost)", planeId, v.id(),
          v.state(), v.epoch(), v.migrations(), String.format("%.1f", v.lostGpuSeconds()));
    }
  }

  private void onLookupAnswer(EntityAnswer a, Instant now) {
    CopyContext copy = (CopyContext) a.context();
    if (a.error() != null) {
      if (a.error().startsWith("unknown job")) stopCopy(copy.tileId(), copy.slot(), a.jobId(), copy.epoch(), a.error(), now);
      return;
    }
    JobView v = a.view();
    Tracked t = jobs.get(a.jobId());
    if (t == null && !v.state().terminal() && belongsHere(v)) {
      t = new Tracked(v.id());
      jobs.put(v.id(), t);
      accept(t, v, now, true);
      getContext().getLog().info("Plane {}: learned job {} ({}, epoch {}) from {}'s report", planeId, v.id(), v.state(),
          v.epoch(), copy.tileId());
    }
    if (!isCurrentCopy(v, copy.tileId(), copy.slot(), copy.epoch()) && copy.epoch() <= v.epoch()) {
      stopCopy(copy.tileId(), copy.slot(), a.jobId(), copy.epoch(),
          "stale-epoch: job is " + v.state() + " at epoch " + v.epoch(), now);
    }
  }

  /** Whether this plane should track the job: it runs here, moves here, or waits in this plane's queue. */
  private boolean belongsHere(JobView v) {
    if (v.placement() != null) return planeId.equals(v.placement().planeId());
    if (v.migratingTo() != null) return planeId.equals(v.migratingTo().planeId());
    return false;
  }

  private void onPlaceAnswer(Tracked t, EntityAnswer a, Instant now) {
    if (t == null) return;
    t.busy = false;
    t.plannedTile = null;
    PlaceContext ctx = (PlaceContext) a.context();
    if (a.error() != null) {
      getContext().getLog().info("Plane {}: job {} not placed on {}/orin-{}: {}", planeId, a.jobId(), ctx.tileId(),
          ctx.slot(), a.error());
      if (a.error().startsWith(JobEntity.QUEUED_ELSEWHERE)) {
        forget(t, a.error()); // another plane's coordinator queues it now
      } else {
        refresh(t);
      }
      return;
    }
    JobView v = a.view();
    accept(t, v, now, true);
    JobEntity.Placement p = v.placement();
    if (p == null) return;
    getContext().getLog().info("Plane {}: placed job {} on {}/orin-{} at epoch {} ({}), resuming from {} GPU-s",
        planeId, v.id(), p.tileId(), p.slot(), p.epoch(), ctx.reason(), String.format("%.1f", v.committedGpuSeconds()));
    Entry entry = tiles.get(p.tileId());
    if (entry == null) return; // missing-from-report handling requeues it
    long epoch = p.epoch();
    double resumeFrom = v.committedGpuSeconds();
    getContext().ask(TileProtocol.JobAck.class, entry.tile, settings.askTimeout(),
        replyTo -> new TileProtocol.StartJob(p.slot(), v.id(), epoch, v.spec(), resumeFrom, replyTo),
        (ack, err) -> new TileAnswer(v.id(), TileOp.START, p.tileId(), p.slot(), epoch, ack, errorText(err)));
  }

  private void onMoveAnswer(Tracked t, EntityAnswer a, Instant now) {
    if (t == null) return;
    t.busy = false;
    MoveContext ctx = (MoveContext) a.context();
    if (a.error() != null) {
      getContext().getLog().info("Plane {}: job {} {} not started: {}", planeId, a.jobId(), ctx.what(), a.error());
      t.transferSeconds = Double.NaN;
      refresh(t);
      return;
    }
    accept(t, a.view(), now, true);
    Entry entry = tiles.get(ctx.fromTile());
    if (entry == null) return;
    getContext().ask(TileProtocol.JobAck.class, entry.tile, settings.askTimeout(),
        replyTo -> new TileProtocol.CheckpointJob(ctx.fromSlot(), a.jobId(), ctx.epoch(), true, replyTo),
        (ack, err) -> new TileAnswer(a.jobId(), TileOp.CHECKPOINT, ctx.fromTile(), ctx.fromSlot(), ctx.epoch(), ack,
            errorText(err)));
  }

  private Behavior<CoordinatorProtocol.Command> onTileAnswer(TileAnswer a) {
    Tracked t = a.jobId() == null ? null : jobs.get(a.jobId());
    if (a.ack() == null) {
      getContext().getLog().debug("Plane {}: {} of job {} on {}/orin-{} unanswered: {}", planeId, a.op(), a.jobId(),
          a.tileId(), a.slot(), a.error());
      return this;
    }
    if (a.ack().accepted()) return this;
    String reason = a.ack().reason();
    switch (a.op()) {
      case START -> {
        getContext().getLog().info("Plane {}: {}/orin-{} refused job {} at epoch {}: {}", planeId, a.tileId(), a.slot(),
            a.jobId(), a.epoch(), reason);
        if (t != null && t.view.epoch() == a.epoch() && t.view.state() == JobStatus.PLACED) {
          requeue(t, a.epoch(), "start-rejected: " + reason);
        }
      }
      case CHECKPOINT -> {
        getContext().getLog().info("Plane {}: {}/orin-{} refused to checkpoint job {} at epoch {}: {}", planeId,
            a.tileId(), a.slot(), a.jobId(), a.epoch(), reason);
        // not-running: the job just finished or was suspended; its update says which.
        if (reason != null && reason.startsWith("not-running")) return this;
        stopCopy(a.tileId(), a.slot(), a.jobId(), a.epoch(), "checkpoint-rejected", wall.instant());
        if (t != null && t.view.epoch() == a.epoch() && t.view.state().onAnOrin()) {
          requeue(t, a.epoch(), "checkpoint-rejected: " + reason);
        }
      }
      case MODE -> getContext().getLog().warn("Plane {}: {}/orin-{} refused power mode change: {}", planeId, a.tileId(),
          a.slot(), reason);
    }
    return this;
  }

  // ---- entity and TILE plumbing ---------------------------------------------------------------------

  private void askEntity(JobId id, Op op,
      akka.japi.function.Function<ActorRef<StatusReply<JobView>>, JobEntity.Command> command, Object context) {
    RecipientRef<JobEntity.Command> ref;
    try {
      ref = links.entities().apply(id);
    } catch (RuntimeException e) {
      ref = null;
    }
    if (ref == null) {
      getContext().getSelf().tell(new EntityAnswer(id, op, null, "job entities unavailable for " + id, context));
      return;
    }
    getContext().askWithStatus(JobView.class, ref, settings.askTimeout(), command,
        (view, error) -> new EntityAnswer(id, op, view, errorText(error), context));
  }

  private void lookup(JobId id, CopyContext copy, Instant now) {
    Instant last = lookups.get(id);
    if (last != null && Duration.between(last, now).compareTo(settings.operationTimeout()) < 0) return;
    lookups.put(id, now);
    askEntity(id, Op.LOOKUP, JobEntity.Get::new, copy);
  }

  private void refresh(Tracked t) {
    if (t.refreshing) return;
    t.refreshing = true;
    askEntity(t.id, Op.REFRESH, JobEntity.Get::new, null);
  }

  /** Tells a TILE to stop a copy of a job under {@code epoch} (once per operation timeout per copy). */
  private void stopCopy(TileId tileId, int slot, JobId jobId, long epoch, String reason, Instant now) {
    Entry entry = tileId == null ? null : tiles.get(tileId);
    if (entry == null) return;
    String key = jobId.value() + "@" + tileId.value() + "#" + slot + ":" + epoch;
    Instant last = stopsSent.get(key);
    if (last != null && Duration.between(last, now).compareTo(settings.operationTimeout()) < 0) return;
    stopsSent.put(key, now);
    getContext().getLog().info("Plane {}: stopping job {} on {}/orin-{} under epoch {}: {}", planeId, jobId, tileId, slot,
        epoch, reason);
    entry.tile.tell(new TileProtocol.StopJob(slot, jobId, epoch, reason));
  }

  /** A cancelled or failed job that was placed in this plane: its Orin stops it. */
  private void stopPlacedCopy(JobView v, String reason, Instant now) {
    JobEntity.Placement p = v.placement();
    if (p == null || !planeId.equals(p.planeId())) return;
    stopCopy(p.tileId(), p.slot(), v.id(), p.epoch(), reason, now);
  }

  private static String errorText(Throwable error) {
    if (error == null) return null;
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message;
  }

  private static OrinReport orin(TileReport report, int slot) {
    for (OrinReport o : report.orins()) if (o.slot() == slot) return o;
    return null;
  }

  // ---- queries ------------------------------------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onGetTiles(GetTiles query) {
    query.replyTo().tell(new Tiles(planeId, views(wall.instant())));
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onGetTile(GetTile query) {
    Entry entry = query.tileId() == null ? null : tiles.get(query.tileId());
    TileView view = entry == null ? null : entry.view(isStale(entry, wall.instant()));
    query.replyTo().tell(new TileLookup(query.tileId(), view));
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onGetPlaneSummary(GetPlaneSummary query) {
    Instant now = wall.instant();
    query.replyTo().tell(PlaneSummary.of(planeId, views(now), pendingCount(), now, clock.toSim(now)));
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onGetJobUpdates(GetJobUpdates query) {
    query.replyTo().tell(new JobUpdates(planeId, List.copyOf(updates.values())));
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onGetJobs(GetJobs query) {
    List<JobView> views = jobs.values().stream().map(t -> t.view)
        .sorted(Comparator.comparing(JobView::id)).toList();
    query.replyTo().tell(new Jobs(planeId, views));
    return this;
  }

  // ---- drains ----------------------------------------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onDrainedTiles(DrainedTiles message) {
    if (message.planeId() != null && !planeId.equals(message.planeId())) return this;
    java.util.Set<TileId> next = java.util.Set.copyOf(message.tileIds());
    if (!next.equals(drained)) {
      getContext().getLog().info("Plane {}: drained TILEs now {} (reasons {})", planeId, new java.util.TreeSet<>(next),
          message.reasons());
      drained = next;
      dirty = true;
    }
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onDrainsTick() {
    RecipientRef<TileDrains.Command> ref;
    try {
      ref = links.drains().apply(planeId);
    } catch (RuntimeException e) {
      return this;
    }
    if (ref != null) ref.tell(new TileDrains.Get(getContext().getSelf().narrow()));
    return this;
  }

  // ---- staleness and the plane directory -----------------------------------------------------------

  private Behavior<CoordinatorProtocol.Command> onTick() {
    Instant now = wall.instant();
    for (Map.Entry<TileId, Entry> e : tiles.entrySet()) {
      Entry entry = e.getValue();
      boolean staleNow = isStale(entry, now);
      if (staleNow != entry.stale) {
        entry.stale = staleNow;
        dirty = true;
        if (staleNow) {
          getContext().getLog().warn("Plane {}: TILE {} silent for {} ms, marked stale",
              planeId, e.getKey(), Duration.between(entry.receivedAt, now).toMillis());
        }
      }
    }
    if (pendingCount() != lastPublishedPending) dirty = true;
    maybePublish(now);
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onSummaryWritten(SummaryWritten written) {
    if (!(written.response() instanceof Replicator.UpdateSuccess)) {
      getContext().getLog().warn("Plane {}: publishing the plane summary failed: {}", planeId, written.response());
    }
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onPostStop() {
    if (published) {
      // Fire and forget: this actor is gone, nobody is left to read the reply.
      ActorSystem<?> system = getContext().getSystem();
      DistributedData.get(system).replicator().tell(new Replicator.Update<>(
          PlaneDirectory.KEY, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(),
          map -> map.remove(selfAddress, planeId.value())));
    }
    Cluster.get(getContext().getSystem()).subscriptions().tell(new Unsubscribe<>(memberAdapter));
    getContext().getLog().info("Coordinator of plane {} stopped", planeId);
    return this;
  }

  private int pendingCount() {
    int n = 0;
    for (Tracked t : jobs.values()) if (t.view.state() == JobStatus.PENDING) n++;
    return n;
  }

  private void maybePublish(Instant now) {
    if (!dirty || tiles.isEmpty()) return;
    if (lastPublishedAt != null && Duration.between(lastPublishedAt, now).compareTo(settings.reportInterval()) < 0) {
      return;
    }
    int pending = pendingCount();
    PlaneSummary summary = PlaneSummary.of(planeId, views(now), pending, now, clock.toSim(now));
    replicator.askUpdate(
        replyTo -> new Replicator.Update<>(PlaneDirectory.KEY, LWWMap.create(), Replicator.writeLocal(), replyTo,
            map -> map.put(selfAddress, planeId.value(), summary)),
        SummaryWritten::new);
    lastPublishedAt = now;
    lastPublishedPending = pending;
    published = true;
    dirty = false;
  }

  private List<TileView> views(Instant now) {
    List<TileView> out = new ArrayList<>(tiles.size());
    for (Entry entry : tiles.values()) {
      out.add(entry.view(isStale(entry, now)));
    }
    return out;
  }

  private boolean isStale(Entry entry, Instant now) {
    return Duration.between(entry.receivedAt, now).compareTo(settings.staleAfter()) > 0;
  }
}
