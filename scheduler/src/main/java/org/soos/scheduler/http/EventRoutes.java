package org.soos.scheduler.http;

import akka.NotUsed;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.soos.scheduler.index.JobIndex;
import org.soos.scheduler.index.LifecycleEvent;
import org.soos.shared.id.JobId;

/**
 * {@code GET /v1/events[?job=ID]}: server-sent events of job lifecycle changes, live from this node's
 * {@link JobIndex} (a BroadcastHub over the journal's job tag). Each event: {@code event:} the change
 * (submitted, queued, placed, running, checkpoint, migration-started, release-started, source-released,
 * requeued, succeeded, failed, cancelled), {@code id:} its journal ordering, {@code data:} a {@link LifecycleEvent} as
 * JSON. A comment line every {@code events-keep-alive} keeps idle connections open.
 *
 * <p>Live only: a reconnecting client gets the changes from its reconnection on ({@code Last-Event-ID}
 * is not replayed); {@code GET /v1/jobs/{id}} has each job's full history. A client that does not keep
 * up loses the oldest undelivered events beyond {@value #CLIENT_BUFFER}, never slowing other clients
 * or the index. At most {@code max-event-streams} streams at once (503 above).
 */
public final class EventRoutes extends AllDirectives {
  /** Events buffered per client before the oldest are dropped. */
  static final int CLIENT_BUFFER = 512;
  private static final Set<String> PARAMETERS = Set.of("job");

  private final JobIndex index;
  private final ApiSettings api;
  private final AtomicInteger open = new AtomicInteger();

  public EventRoutes(JobIndex index, ApiSettings api) {
    this.index = index;
    this.api = api;
  }

  public Route routes() {
    return path(akka.http.javadsl.server.PathMatchers.segment("v1").slash("events"), () -> get(() -> parameterMap(this::events)));
  }

  private Route events(Map<String, String> parameters) {
    for (String name : parameters.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ProblemException.badInput(name, "unknown query parameter " + name + "; /v1/events takes job");
      }
    }
    Optional<JobId> job = Optional.ofNullable(parameters.get("job")).map(text -> {
      try {
        return JobId.of(text);
      } catch (IllegalArgumentException e) {
        throw ProblemException.badInput("job", e.getMessage());
      }
    });
    // Counted while materialized (a response never sent never counts); the check is a soft cap.
    if (open.get() >= api.maxEventStreams()) {
      throw new ProblemException(StatusCodes.SERVICE_UNAVAILABLE,
          "too many open event streams (" + api.maxEventStreams() + "); try again later", null);
    }
    Source<ServerSentEvent, NotUsed> stream = index.events()
        .filter(e -> job.isEmpty() || job.get().equals(e.jobId()))
        .buffer(CLIENT_BUFFER, OverflowStrategy.dropHead())
        .map(EventRoutes::toSse)
        .keepAlive(api.eventsKeepAlive(), ServerSentEvent::heartbeat)
        .watchTermination((mat, done) -> {
          open.incrementAndGet();
          done.whenComplete((d, failure) -> open.decrementAndGet());
          return mat;
        });
    return completeOK(stream, EventStreamMarshalling.toEventStream());
  }

  static ServerSentEvent toSse(LifecycleEvent e) {
    try {
      String data = JsonSupport.mapper().writeValueAsString(e);
      return ServerSentEvent.create(data, e.type(), Long.toString(e.offset()));
    } catch (JsonProcessingException failure) {
      throw new IllegalStateException("cannot render a lifecycle event as JSON", failure);
    }
  }

  /** Event streams open right now. */
  public int openStreams() {
    return open.get();
  }
}
