package org.soos.scheduler.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The constellation-wide list of planes: every plane coordinator publishes its {@link PlaneSummary}
 * into one Akka Distributed Data map (plane id -> summary, last writer wins), replicated to every
 * scheduler node by gossip. Any node reads it locally, with no global lock and no coordinator asked.
 * A summary is at most one report interval (plus gossip) old; a coordinator removes its entry when it
 * stops (passivation or handoff) and the next owner republishes after the plane's next report.
 */
public final class PlaneDirectory {
  /** The replicated map: plane id (string) -> its latest summary. */
  public static final Key<LWWMap<String, PlaneSummary>> KEY = LWWMapKey.create("soos-planes");

  private PlaneDirectory() {}

  /** Every plane's summary as this node's replica has it, sorted by plane id. */
  public static CompletionStage<List<PlaneSummary>> summaries(ActorSystem<?> system, Duration timeout) {
    ActorRef<Replicator.Command> replicator = DistributedData.get(system).replicator();
    CompletionStage<Replicator.GetResponse<LWWMap<String, PlaneSummary>>> reply = AskPattern.ask(
        replicator,
        (ActorRef<Replicator.GetResponse<LWWMap<String, PlaneSummary>>> replyTo) ->
            new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo),
        timeout,
        system.scheduler());
    return reply.thenApply(response -> {
      if (response instanceof Replicator.GetSuccess<LWWMap<String, PlaneSummary>> success) {
        return success.get(KEY).getEntries().values().stream()
            .sorted(Comparator.comparing(PlaneSummary::planeId))
            .toList();
      }
      if (response instanceof Replicator.NotFound) {
        return List.of();
      }
      throw new IllegalStateException("reading the plane directory failed: " + response);
    });
  }
}
