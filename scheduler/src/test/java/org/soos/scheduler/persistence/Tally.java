package org.soos.scheduler.persistence;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.util.Set;
import org.soos.shared.CborSerializable;

/** A minimal event-sourced entity that exercises journal, tags and snapshots of the shipped schema. */
final class Tally extends EventSourcedBehavior<Tally.Command, Tally.Added, Tally.State> {
  static final String TAG = "tally";

  interface Command extends CborSerializable {}

  record Add(int amount, ActorRef<Total> replyTo) implements Command {}

  record Get(ActorRef<Total> replyTo) implements Command {}

  record Added(int amount) implements CborSerializable {}

  record State(int total) implements CborSerializable {}

  record Total(int value) implements CborSerializable {}

  static Behavior<Command> create(String id) {
    return new Tally(PersistenceId.of("Tally", id));
  }

  private Tally(PersistenceId id) {
    super(id);
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public CommandHandler<Command, Added, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Add.class, (state, add) ->
            Effect().persist(new Added(add.amount())).thenReply(add.replyTo(), s -> new Total(s.total())))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), new Total(state.total())))
        .build();
  }

  @Override
  public EventHandler<State, Added> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Added.class, (state, added) -> new State(state.total() + added.amount()))
        .build();
  }

  @Override
  public Set<String> tagsFor(Added event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(2, 2);
  }
}
