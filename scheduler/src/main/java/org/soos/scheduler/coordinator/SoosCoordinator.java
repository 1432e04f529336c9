package org.soos.scheduler.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
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
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.ReportTile;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.time.ClockSettings;
import org.soos.shared.time.SimClock;

/**
 * The SOOS coordinator of one orbital plane (cluster-sharded on the {@code scheduler} role; entity id
 * = plane id).
 *
 * <p><b>Owns</b> the live view of its plane's TILEs: per TILE the latest {@link TileReport} (by
 * simulated time), the TILE's {@link ActorRef}, and the wall and simulated instants the report
 * arrived; a TILE silent for {@code stale-after-intervals} report intervals is marked stale. It also
 * keeps the latest {@link JobUpdate} per job (bounded), and publishes a {@link PlaneSummary} into the
 * {@link PlaneDirectory} (Distributed Data, local write, at most once per report interval).
 *
 * <p><b>Who sends to it:</b> TILE actors on tile-node JVMs ({@link ReportTile} every report interval
 * and at shadow transitions; {@link JobUpdate} from their Orins), through the sharding proxy keyed by
 * {@link CoordinatorProtocol#ENTITY_KEY}; the HTTP API ({@link GetTiles}, {@link GetTile},
 * {@link GetPlaneSummary}, {@link GetJobUpdates}) through {@code EntityRef.ask}.
 *
 * <p><b>Restart, passivation, rebalance:</b> everything is soft state and is lost; the next
 * incarnation starts empty and is whole again one report interval later, when every live TILE has
 * reported. Reports keep it alive; after {@code passivate-after-idle} without any message sharding
 * stops it, and it removes its plane from the directory when it stops.
 */
public final class SoosCoordinator extends AbstractBehavior<CoordinatorProtocol.Command> {

  /** The role the coordinators run on. */
  public static final String ROLE = "scheduler";

  // ---- queries (serializable: the asking node may be another scheduler JVM) -------------------

  /** Every TILE of the plane, sorted by id; replies {@link Tiles}. */
  public record GetTiles(ActorRef<Tiles> replyTo) implements CoordinatorProtocol.Command {}

  /** One TILE; replies {@link TileLookup} (empty when the plane has never heard of it). */
  public record GetTile(TileId tileId, ActorRef<TileLookup> replyTo) implements CoordinatorProtocol.Command {}

  /** The plane's summary computed now (not the last published one); replies {@link PlaneSummary}. */
  public record GetPlaneSummary(ActorRef<PlaneSummary> replyTo) implements CoordinatorProtocol.Command {}

  /** The latest update of every job the plane's Orins reported on; replies {@link JobUpdates}. */
  public record GetJobUpdates(ActorRef<JobUpdates> replyTo) implements CoordinatorProtocol.Command {}

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

  // ---- private messages -------------------------------------------------------------------------

  private enum Tick implements CoordinatorProtocol.Command {
    INSTANCE
  }

  private record SummaryWritten(Replicator.UpdateResponse<LWWMap<String, PlaneSummary>> response)
      implements CoordinatorProtocol.Command {}

  /** Per TILE: what arrived last and when; {@code stale} as of the last tick (for transition logs). */
  private static final class Entry {
    TileReport report;
    ActorRef<TileProtocol.Command> tile;
    Instant receivedAt;
    Instant receivedSimTime;
    boolean stale;

    TileView view(boolean staleNow) {
      return new TileView(report, tile, receivedAt, receivedSimTime, staleNow);
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

  /** Starts sharding of the coordinators on this node with the given settings and clock. */
  public static ActorRef<ShardingEnvelope<CoordinatorProtocol.Command>> init(
      ActorSystem<?> system, CoordinatorSettings settings, SimClock clock) {
    ClusterShardingSettings sharding = ClusterShardingSettings.create(system).withRole(ROLE);
    sharding = sharding.withPassivationStrategy(
        sharding.passivationStrategySettings().withIdleEntityPassivation(settings.passivateAfterIdle()));
    return ClusterSharding.get(system).init(
        Entity.of(CoordinatorProtocol.ENTITY_KEY,
                ctx -> create(PlaneId.of(ctx.getEntityId()), settings, clock, InstantSource.system()))
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
   * The coordinator of {@code planeId}.
   *
   * @param clock simulated time (stamps {@code receivedSimTime})
   * @param wall wall time (stamps {@code receivedAt}; staleness and publishing rate run on it)
   */
  public static Behavior<CoordinatorProtocol.Command> create(
      PlaneId planeId, CoordinatorSettings settings, SimClock clock, InstantSource wall) {
    return Behaviors.setup(ctx ->
        DistributedData.<CoordinatorProtocol.Command, LWWMap<String, PlaneSummary>>withReplicatorMessageAdapter(
            replicator -> Behaviors.withTimers(timers ->
                new SoosCoordinator(ctx, replicator, timers, planeId, settings, clock, wall))));
  }

  // ---- state ----------------------------------------------------------------------------------------

  private final ReplicatorMessageAdapter<CoordinatorProtocol.Command, LWWMap<String, PlaneSummary>> replicator;
  private final SelfUniqueAddress selfAddress;
  private final PlaneId planeId;
  private final CoordinatorSettings settings;
  private final SimClock clock;
  private final InstantSource wall;
  private final Map<TileId, Entry> tiles = new TreeMap<>();
  private final LinkedHashMap<JobId, JobUpdate> jobs = new LinkedHashMap<>();
  private Instant lastPublishedAt;
  private boolean published;
  private boolean dirty;

  private SoosCoordinator(
      ActorContext<CoordinatorProtocol.Command> context,
      ReplicatorMessageAdapter<CoordinatorProtocol.Command, LWWMap<String, PlaneSummary>> replicator,
      TimerScheduler<CoordinatorProtocol.Command> timers,
      PlaneId planeId,
      CoordinatorSettings settings,
      SimClock clock,
      InstantSource wall) {
    super(context);
    this.replicator = replicator;
    this.selfAddress = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.planeId = planeId;
    this.settings = settings;
    this.clock = clock;
    this.wall = wall;
    Duration tick = settings.reportInterval().dividedBy(4);
    timers.startTimerWithFixedDelay(Tick.INSTANCE, tick.toMillis() < 10 ? Duration.ofMillis(10) : tick);
    context.getLog().info("Coordinator of plane {} started", planeId);
  }

  @Override
  public Receive<CoordinatorProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReportTile.class, this::onReportTile)
        .onMessage(JobUpdate.class, this::onJobUpdate)
        .onMessage(GetTiles.class, this::onGetTiles)
        .onMessage(GetTile.class, this::onGetTile)
        .onMessage(GetPlaneSummary.class, this::onGetPlaneSummary)
        .onMessage(GetJobUpdates.class, this::onGetJobUpdates)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(SummaryWritten.class, this::onSummaryWritten)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

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
    } else if (entry.stale) {
      getContext().getLog().info("Plane {}: TILE {} reporting again after {} s of silence",
          planeId, report.tileId(), Duration.between(entry.receivedAt, now).toSeconds());
    }
    entry.report = report;
    entry.tile = message.tile();
    entry.receivedAt = now;
    entry.receivedSimTime = clock.toSim(now);
    entry.stale = false;
    dirty = true;
    maybePublish(now);
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onJobUpdate(JobUpdate update) {
    if (update.jobId() == null) {
      getContext().getLog().warn("Plane {}: ignoring a JobUpdate without jobId", planeId);
      return this;
    }
    if (update.tileId() == null || !tiles.containsKey(update.tileId())) {
      getContext().getLog().warn("Plane {}: job update for job {} from TILE {}, which has not reported to this plane",
          planeId, update.jobId(), update.tileId());
    }
    getContext().getLog().info("Plane {}: job {} {} on {} slot {} (epoch {}, {} GPU-s done{})",
        planeId, update.jobId(), update.kind(), update.tileId(), update.slot(), update.epoch(),
        update.doneGpuSeconds(), update.reason() == null || update.reason().isEmpty() ? "" : ", " + update.reason());
    jobs.remove(update.jobId());
    jobs.put(update.jobId(), update);
    while (jobs.size() > settings.maxJobUpdates()) {
      JobId oldest = jobs.keySet().iterator().next();
      jobs.remove(oldest);
    }
    return this;
  }

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
    query.replyTo().tell(PlaneSummary.of(planeId, views(now), now, clock.toSim(now)));
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onGetJobUpdates(GetJobUpdates query) {
    query.replyTo().tell(new JobUpdates(planeId, List.copyOf(jobs.values())));
    return this;
  }

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
    getContext().getLog().info("Coordinator of plane {} stopped", planeId);
    return this;
  }

  private void maybePublish(Instant now) {
    if (!dirty || tiles.isEmpty()) return;
    if (lastPublishedAt != null && Duration.between(lastPublishedAt, now).compareTo(settings.reportInterval()) < 0) {
      return;
    }
    PlaneSummary summary = PlaneSummary.of(planeId, views(now), now, clock.toSim(now));
    replicator.askUpdate(
        replyTo -> new Replicator.Update<>(PlaneDirectory.KEY, LWWMap.create(), Replicator.writeLocal(), replyTo,
            map -> map.put(selfAddress, planeId.value(), summary)),
        SummaryWritten::new);
    lastPublishedAt = now;
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
