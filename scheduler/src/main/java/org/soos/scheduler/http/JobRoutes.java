package org.soos.scheduler.http;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.pattern.StatusReply;
import akka.stream.Materializer;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.soos.scheduler.index.JobIndex;
import org.soos.scheduler.index.JobPage;
import org.soos.scheduler.index.JobQuery;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobQuarantine;
import org.soos.scheduler.job.JobStatus;
import org.soos.scheduler.job.JobView;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.time.SimClock;

/**
 * Jobs over HTTP. Submit, get and cancel go to the job's entity ({@code EntityRef.ask}): they are
 * authoritative. The list comes from this node's {@link JobIndex}: eventually consistent (it trails
 * the journal by the read journal's refresh interval).
 *
 * <ul>
 *   <li>{@code POST /v1/jobs} (bearer token when configured): body = {@link JobSpec} JSON, read by
 *       {@link JobSpecReader} before anything is persisted; 202 with {@code Location: /v1/jobs/{id}}
 *       and the {@link JobView}. {@code Idempotency-Key}: the id is derived from the key, so a repeat
 *       (or a concurrent duplicate) answers 202 with the same job ({@code Idempotent-Replayed: true}
 *       when this request did not create it); the same key with a different spec is 422 naming
 *       {@code Idempotency-Key}.
 *   <li>{@code GET /v1/jobs/{id}}: the {@link JobView}; 404 naming {@code id} when unknown.
 *   <li>{@code DELETE /v1/jobs/{id}[?reason=...]} (bearer token when configured): cancels; 200 with
 *       the view (also for an already cancelled job); 409 naming {@code id} when it already succeeded
 *       or failed; 404 when unknown.
 *   <li>{@code GET /v1/jobs[?state=RUNNING,PENDING][&plane=p0][&tile=p0-t3][&limit=100][&cursor=..|&offset=..]}:
 *       a {@link JobPage} of {@code JobSummary}s in submission order.
 * </ul>
 */
public final class JobRoutes extends AllDirectives {
  /** Query parameters of the list. */
  static final Set<String> LIST_PARAMETERS = Set.of("state", "plane", "tile", "limit", "cursor", "offset");
  static final Set<String> CANCEL_PARAMETERS = Set.of("reason");
  static final int MAX_REASON_LENGTH = 200;
  /** Retry-After of a submission that could not be stored. */
  static final long SUBMIT_RETRY_AFTER_SECONDS = 5;
  /** Response header set on a submission answered with a job an earlier request created. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final long maxBodyBytes;
  private final ApiSettings api;
  private final SimClock clock;
  private final JobIndex index;
  private final BearerAuth auth;
  private final JobSpecReader reader;
  private final JobQuarantine quarantine;
  private final Materializer materializer;
  /**
   * Where continuations run: the ActorSystem's dispatcher. Stages from Akka's Java API are
   * Scala-backed and run even non-async continuations asynchronously on the default executor; with
   * two cores the common pool has one thread, and CompletableFuture then starts a new thread per task.
   */
  private final Executor executor;

  public JobRoutes(ActorSystem<?> system, Duration askTimeout, long maxBodyBytes, ApiSettings api, SimClock clock,
      JobIndex index, BearerAuth auth) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.maxBodyBytes = maxBodyBytes;
    this.api = api;
    this.clock = clock;
    this.index = index;
    this.auth = auth;
    this.reader = new JobSpecReader(api.maxJsonDepth());
    this.quarantine = JobQuarantine.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.executor = system.executionContext();
  }

  public Route routes() {
    return pathPrefix("v1", () -> pathPrefix("jobs", () -> concat(
        pathEnd(() -> concat(
            post(() -> auth.require(this::submit)),
            get(() -> parameterMap(this::list)))),
        path(PathMatchers.segment(), id -> concat(
            get(() -> getJob(id)),
            delete(() -> auth.require(() -> parameterMap(p -> cancel(id, p)))))))));
  }

  // ---------------------------------------------------------------- submit

  private Route submit() {
    return extractRequest(request -> optionalHeaderValueByName(IdempotencyKeys.HEADER, key -> {
      requireJson(request.entity());
      Optional<String> idempotencyKey = key.map(IdempotencyKeys::validate);
      CompletionStage<HttpResponse> response = readBody(request.entity()).thenComposeAsync(body -> {
        Instant now = clock.now();
        JobSpec spec = reader.read(body, now);
        JobId id = idempotencyKey.map(IdempotencyKeys::jobIdFor).orElseGet(IdempotencyKeys::randomJobId);
        EntityRef<JobEntity.Command> job = sharding.entityRefFor(JobEntity.ENTITY_KEY, id.value());
        CompletionStage<JobView> accepted = job.<StatusReply<JobView>>ask(
            replyTo -> new JobEntity.Submit(spec, idempotencyKey.orElse(null), now, replyTo), askTimeout)
            .thenApplyAsync(StatusReply::getValue, executor)
            .exceptionallyAsync(failure -> {
              throw notStored(id, idempotencyKey.isPresent(), failure);
            }, executor);
        return accepted.thenApplyAsync(view -> {
          if (idempotencyKey.isPresent() && !spec.equals(view.spec())) {
            throw new ProblemException(StatusCodes.UNPROCESSABLE_ENTITY, IdempotencyKeys.HEADER
                + " was already used for job " + id + " with a different spec; use a new key for a new job",
                IdempotencyKeys.HEADER);
          }
          HttpResponse accepted202 = HttpResponse.create()
              .withStatus(StatusCodes.ACCEPTED)
              .addHeader(Location.create("/v1/jobs/" + id.value()))
              .withEntity(json(view));
          boolean replayed = idempotencyKey.isPresent() && !now.equals(view.submittedAt());
          return replayed ? accepted202.addHeader(RawHeader.create(REPLAYED_HEADER, "true")) : accepted202;
        }, executor);
      }, executor);
      return completeWithFuture(response);
    }));
  }

  /**
   * A submission the job's entity did not confirm as stored: its journal write failed (disk full,
   * database down: the entity stops without replying) or it did not answer in time. 503 with
   * Retry-After, never 202: the job may not exist. Other failures pass through unchanged.
   */
  private RuntimeException notStored(JobId id, boolean withKey, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof StatusReply.ErrorMessage error && error.getMessage().startsWith(JobQuarantine.ERROR_PREFIX)) {
      return new ProblemException(StatusCodes.INTERNAL_SERVER_ERROR, error.getMessage(), IdempotencyKeys.HEADER);
    }
    if (cause instanceof akka.pattern.AskTimeoutException || cause instanceof TimeoutException) {
      return new ProblemException(StatusCodes.SERVICE_UNAVAILABLE, "job " + id + " was not confirmed as stored within "
          + askTimeout.toMillis() + " ms (the journal may be full or unreachable); it is not accepted: submit again"
          + (withKey ? " with the same Idempotency-Key" : " later"), null, SUBMIT_RETRY_AFTER_SECONDS);
    }
    return cause instanceof RuntimeException r ? r : new CompletionException(cause);
  }

  private ProblemException tooLarge() {
    return new ProblemException(StatusCodes.PAYLOAD_TOO_LARGE,
        "the request body is larger than " + maxBodyBytes + " bytes", JobSpecReader.BODY);
  }

  private static void requireJson(RequestEntity entity) {
    if (!entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      throw new ProblemException(StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          "the job spec must be sent as Content-Type: application/json, got: " + entity.getContentType(),
          "Content-Type");
    }
  }

  /** The whole body, within the size cap and the read timeout (408 for slow senders, 413 for big bodies). */
  private CompletionStage<byte[]> readBody(RequestEntity entity) {
    if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > maxBodyBytes) {
      throw tooLarge();
    }
    if (entity instanceof HttpEntity.Strict strict) {
      // Small bodies arrive whole: no stream to run.
      if (strict.getData().size() > maxBodyBytes) throw tooLarge();
      return CompletableFuture.completedFuture(strict.getData().toArray());
    }
    return entity.toStrict(api.bodyReadTimeout().toMillis(), maxBodyBytes, materializer)
        .handleAsync((strict, failure) -> {
          if (failure == null) return strict.getData().toArray();
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          if (cause instanceof EntityStreamSizeException) throw tooLarge();
          if (cause instanceof TimeoutException) {
            throw new ProblemException(StatusCodes.REQUEST_TIMEOUT,
                "the request body did not arrive within " + api.bodyReadTimeout().toMillis() + " ms", JobSpecReader.BODY);
          }
          throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }, executor);
  }

  // ---------------------------------------------------------------- get, cancel

  private Route getJob(String idText) {
    JobId id = parseId(idText);
    CompletionStage<JobView> view = ask(id, JobEntity.Get::new);
    return onSuccess(view, v -> complete(StatusCodes.OK, v, JsonSupport.marshaller()));
  }

  private Route cancel(String idText, Map<String, String> parameters) {
    JobId id = parseId(idText);
    rejectUnknown(parameters, CANCEL_PARAMETERS, "DELETE /v1/jobs/{id}");
    String reason = Optional.ofNullable(parameters.get("reason")).map(String::strip).orElse("cancelled by API request");
    if (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      throw ProblemException.badInput("reason", "reason must be 1-" + MAX_REASON_LENGTH + " printable characters");
    }
    Instant now = clock.now();
    CompletionStage<JobView> view = ask(id, replyTo -> new JobEntity.Cancel(reason, now, replyTo));
    return onSuccess(view, v -> {
      if (v.state() != JobStatus.CANCELLED) {
        throw new ProblemException(StatusCodes.CONFLICT,
            "job " + id + " already " + v.state() + "; there is nothing to cancel", "id");
      }
      return complete(StatusCodes.OK, v, JsonSupport.marshaller());
    });
  }

  private CompletionStage<JobView> ask(JobId id,
      akka.japi.function.Function<akka.actor.typed.ActorRef<StatusReply<JobView>>, JobEntity.Command> command) {
    Optional<String> quarantined = quarantine.reason(id.value());
    if (quarantined.isPresent()) throw quarantined(id, quarantined.get());
    return sharding.entityRefFor(JobEntity.ENTITY_KEY, id.value()).ask(command, askTimeout)
        .thenApplyAsync(StatusReply::getValue, executor)
        .exceptionallyAsync(failure -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          // The entity may have failed its replay while this request waited for it.
          Optional<String> nowQuarantined = quarantine.reason(id.value());
          if (nowQuarantined.isPresent()) throw quarantined(id, nowQuarantined.get());
          if (cause instanceof StatusReply.ErrorMessage error && error.getMessage().startsWith(JobQuarantine.ERROR_PREFIX)) {
            throw new ProblemException(StatusCodes.INTERNAL_SERVER_ERROR, error.getMessage(), "id");
          }
          if (cause instanceof StatusReply.ErrorMessage error && error.getMessage().startsWith("unknown job")) {
            throw new ProblemException(StatusCodes.NOT_FOUND, "no job with id " + id, "id");
          }
          if (cause instanceof StatusReply.ErrorMessage error) {
            throw new ProblemException(StatusCodes.CONFLICT, error.getMessage(), "id");
          }
          throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }, executor);
  }

  /** 500 naming the job: its journal cannot be replayed, it is quarantined; other jobs are unaffected. */
  private static ProblemException quarantined(JobId id, String reason) {
    return new ProblemException(StatusCodes.INTERNAL_SERVER_ERROR, "job " + id + " is quarantined: " + reason
        + "; other jobs are unaffected", "id");
  }

  private static JobId parseId(String text) {
    try {
      return JobId.of(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("id", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- list

  private Route list(Map<String, String> parameters) {
    rejectUnknown(parameters, LIST_PARAMETERS, "/v1/jobs");
    Set<JobStatus> states = Optional.ofNullable(parameters.get("state")).map(JobRoutes::parseStates).orElse(Set.of());
    PlaneId plane = Optional.ofNullable(parameters.get("plane")).map(JobRoutes::parsePlane).orElse(null);
    TileId tile = Optional.ofNullable(parameters.get("tile")).map(JobRoutes::parseTile).orElse(null);
    int limit = Optional.ofNullable(parameters.get("limit"))
        .map(v -> parseInt("limit", v, 1, JobQuery.MAX_LIMIT)).orElse(JobQuery.DEFAULT_LIMIT);
    if (parameters.containsKey("cursor") && parameters.containsKey("offset")) {
      throw ProblemException.badInput("offset", "give either cursor or offset, not both");
    }
    JobQuery.Cursor cursor = null;
    if (parameters.containsKey("cursor")) {
      try {
        cursor = JobQuery.Cursor.decode(parameters.get("cursor"));
      } catch (IllegalArgumentException e) {
        throw ProblemException.badInput("cursor", e.getMessage());
      }
    }
    int offset = Optional.ofNullable(parameters.get("offset"))
        .map(v -> parseInt("offset", v, 0, Integer.MAX_VALUE)).orElse(0);
    JobPage page = index.table().page(new JobQuery(states, plane, tile, limit, cursor, offset));
    return complete(StatusCodes.OK, page, JsonSupport.marshaller());
  }

  private static void rejectUnknown(Map<String, String> parameters, Set<String> known, String where) {
    for (String name : parameters.keySet()) {
      if (!known.contains(name)) {
        throw ProblemException.badInput(name, "unknown query parameter " + name + "; " + where + " takes "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static Set<JobStatus> parseStates(String text) {
    Set<JobStatus> out = EnumSet.noneOf(JobStatus.class);
    for (String part : text.split(",", -1)) {
      String name = part.strip().toUpperCase(Locale.ROOT);
      try {
        out.add(JobStatus.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw ProblemException.badInput("state", "state must be one or more (comma-separated) of "
            + Arrays.toString(JobStatus.values()) + ", got: " + part.strip());
      }
    }
    return out;
  }

  private static PlaneId parsePlane(String text) {
    try {
      return PlaneId.of(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("plane", e.getMessage());
    }
  }

  private static TileId parseTile(String text) {
    try {
      return TileId.of(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("tile", e.getMessage());
    }
  }

  private static int parseInt(String name, String text, int min, int max) {
    try {
      int v = Integer.parseInt(text.strip());
      if (v < min || v > max) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw ProblemException.badInput(name, name + " must be an integer " + min + ".." + max + ", got: " + text);
    }
  }

  private static HttpEntity.Strict json(Object value) {
    try {
      return akka.http.javadsl.model.HttpEntities.create(ContentTypes.APPLICATION_JSON, JsonSupport.mapper().writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
