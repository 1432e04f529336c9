package org.soos.scheduler.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.protocol.CoordinatorProtocol;

/**
 * The operator's drains of one plane's TILEs (cluster-sharded by plane id on the {@code scheduler} role,
 * event-sourced in the job journal): which TILEs are drained, why and since when. A drained TILE gets no
 * new work and its plane's coordinator moves its migratable jobs away ({@code SoosPolicy}, reason
 * {@code drain}); jobs that cannot migrate finish where they are.
 *
 * <p>Who sends to it: the HTTP API ({@link Drain}, {@link Undrain} from {@code POST} and {@code DELETE
 * /v1/tiles/{id}/drain}) and the plane's {@link SoosCoordinator} ({@link Get} when it starts and then
 * periodically). It tells the coordinator the whole drained set ({@link SoosCoordinator.DrainedTiles})
 * after every change and after every recovery, so a coordinator that moved or restarted learns it again.
 *
 * <p>Restart, passivation, rebalance: it loses nothing; the drained set is replayed from the journal. It
 * is not a remembered entity: it comes back when the coordinator (which asks it on start) or the API
 * next needs it.
 */
public final class TileDrains
    extends EventSourcedBehaviorWithEnforcedReplies<TileDrains.Command, TileDrains.Event, TileDrains.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "TileDrains");
  /** Longest reason kept, characters. */
  public static final int MAX_REASON_LENGTH = 200;

  /** Everything the entity accepts. */
  public sealed interface Command extends CborSerializable permits Drain, Undrain, Get {}

  /** Drain {@code tileId}; idempotent (a second drain keeps the first reason and instant). */
  public record Drain(TileId tileId, String reason, Instant at,
      ActorRef<StatusReply<SoosCoordinator.DrainedTiles>> replyTo) implements Command {}

  /** Undrain {@code tileId}; idempotent. */
  public record Undrain(TileId tileId, Instant at, ActorRef<StatusReply<SoosCoordinator.DrainedTiles>> replyTo)
      implements Command {}

  /** The drained set, now. */
  public record Get(ActorRef<SoosCoordinator.DrainedTiles> replyTo) implements Command {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = TileDrained.class, name = "drained"),
      @JsonSubTypes.Type(value = TileUndrained.class, name = "undrained")})
  public sealed interface Event extends CborSerializable {}

  public record TileDrained(TileId tileId, String reason, Instant at) implements Event {}

  public record TileUndrained(TileId tileId, Instant at) implements Event {}

  /** One drain: why and since when (simulated time). */
  public record DrainInfo(String reason, Instant since) implements CborSerializable {}

  /** The drained TILEs of the plane, by id. */
  public record State(Map<TileId, DrainInfo> drained) implements CborSerializable {
    public State {
      drained = java.util.Collections.unmodifiableMap(new TreeMap<>(drained));
    }

    State with(TileId tile, DrainInfo info) {
      Map<TileId, DrainInfo> m = new TreeMap<>(drained);
      if (info == null) m.remove(tile);
      else m.put(tile, info);
      return new State(m);
    }
  }

  private final PlaneId planeId;
  private final Function<PlaneId, RecipientRef<CoordinatorProtocol.Command>> coordinators;

  private TileDrains(PlaneId planeId, Function<PlaneId, RecipientRef<CoordinatorProtocol.Command>> coordinators) {
    super(PersistenceId.of(ENTITY_KEY.name(), planeId.value()));
    this.planeId = planeId;
    this.coordinators = coordinators;
  }

  /**
   * The drains of {@code planeId}.
   *
   * @param coordinators the coordinator of a plane, told of every change; null: tell nobody (tests)
   */
  public static Behavior<Command> create(PlaneId planeId,
      Function<PlaneId, RecipientRef<CoordinatorProtocol.Command>> coordinators) {
    return Behaviors.setup(ctx -> new TileDrains(planeId, coordinators));
  }

  /** Starts sharding of the drain entities on this node (hosting them when it has the scheduler role). */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY,
            ctx -> create(PlaneId.of(ctx.getEntityId()), plane -> SoosCoordinator.entityRef(system, plane)))
        .withRole(SoosCoordinator.ROLE));
  }

  /** The drains of {@code planeId}, wherever they run (sharding must be initialised). */
  public static EntityRef<Command> entityRef(ActorSystem<?> system, PlaneId planeId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, planeId.value());
  }

  /** The answer a coordinator and the API get: the plane and its drained TILEs with their reasons. */
  static SoosCoordinator.DrainedTiles answer(PlaneId planeId, State s) {
    return new SoosCoordinator.DrainedTiles(planeId, List.copyOf(s.drained().keySet()),
        s.drained().values().stream().map(DrainInfo::reason).toList());
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Drain.class, this::onDrain)
        .onCommand(Undrain.class, this::onUndrain)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), answer(planeId, s)))
        .build();
  }

  private ReplyEffect<Event, State> onDrain(State s, Drain c) {
    if (c.tileId() == null) return Effect().reply(c.replyTo(), StatusReply.error("tileId is required"));
    String reason = Objects.requireNonNullElse(c.reason(), "drain");
    if (reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
      return Effect().reply(c.replyTo(), StatusReply.error("reason must be 1-" + MAX_REASON_LENGTH + " characters"));
    }
    if (s.drained().containsKey(c.tileId())) return Effect().reply(c.replyTo(), StatusReply.success(answer(planeId, s)));
    return Effect().persist(new TileDrained(c.tileId(), reason, c.at()))
        .thenRun(this::tellCoordinator)
        .thenReply(c.replyTo(), st -> StatusReply.success(answer(planeId, st)));
  }

  private ReplyEffect<Event, State> onUndrain(State s, Undrain c) {
    if (c.tileId() == null) return Effect().reply(c.replyTo(), StatusReply.error("tileId is required"));
    if (!s.drained().containsKey(c.tileId())) return Effect().reply(c.replyTo(), StatusReply.success(answer(planeId, s)));
    return Effect().persist(new TileUndrained(c.tileId(), c.at()))
        .thenRun(this::tellCoordinator)
        .thenReply(c.replyTo(), st -> StatusReply.success(answer(planeId, st)));
  }

  private void tellCoordinator(State s) {
    if (coordinators == null) return;
    coordinators.apply(planeId).tell(answer(planeId, s));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(TileDrained.class, (s, e) -> s.with(e.tileId(), new DrainInfo(e.reason(), e.at())))
        .onEvent(TileUndrained.class, (s, e) -> s.with(e.tileId(), null))
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (!s.drained().isEmpty()) tellCoordinator(s);
        })
        .build();
  }
}
