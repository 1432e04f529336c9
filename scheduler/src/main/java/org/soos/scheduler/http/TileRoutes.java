package org.soos.scheduler.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.soos.scheduler.coordinator.PlaneDirectory;
import org.soos.scheduler.coordinator.PlaneSummary;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.scheduler.coordinator.TileDrains;
import org.soos.scheduler.coordinator.TileView;
import akka.pattern.StatusReply;
import java.time.Instant;
import org.soos.shared.time.SimClock;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.protocol.CoordinatorProtocol;

/**
 * The constellation's live state over HTTP. Planes come from the plane directory (Distributed Data,
 * read locally); TILEs from their plane's coordinator through {@code EntityRef.ask}, all planes asked
 * in parallel.
 *
 * <ul>
 *   <li>{@code GET /v1/tiles[?plane=p0][&eclipseState=UMBRA]}: {@code {"tiles":[TileJson...],"count":n}},
 *       sorted by TILE id
 *   <li>{@code GET /v1/tiles/{id}}: one {@link TileJson}; 404 problem+json naming {@code id} when unknown
 *   <li>{@code GET /v1/planes}: {@code {"planes":[PlaneSummary...],"count":n}}, sorted by plane id
 *   <li>{@code POST /v1/tiles/{id}/drain[?reason=...]} (bearer token): drain the TILE (no new work; its
 *       migratable jobs move away with reason {@code drain}; the rest finish there); 202 {@link DrainJson}.
 *       Idempotent. 404 naming {@code id} when no plane knows the TILE; 400 naming {@code id}, {@code reason}
 *       or an unknown parameter.
 *   <li>{@code DELETE /v1/tiles/{id}/drain} (bearer token): undrain; 202 {@link DrainJson}. Idempotent.
 *   <li>{@code GET /v1/tiles/{id}/drain}: whether the TILE is drained; 200 {@link DrainJson}.
 * </ul>
 * The drained set is persisted per plane by {@link TileDrains}, which tells the plane's coordinator.
 */
public final class TileRoutes extends AllDirectives {
  private static final Set<String> LIST_PARAMETERS = Set.of("plane", "eclipseState");

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  /** Where continuations run (see {@link JobRoutes}: never a thread per continuation). */
  private final java.util.concurrent.Executor executor;

  /** Body of {@code GET /v1/tiles}. */
  public record TileList(List<TileJson> tiles, int count) {}

  /** Body of {@code GET /v1/planes}. */
  public record PlaneList(List<PlaneSummary> planes, int count) {}

  /**
   * Body of the drain calls.
   *
   * @param drained whether this TILE is drained now
   * @param drainedTiles every drained TILE of its plane
   */
  public record DrainJson(TileId tileId, PlaneId planeId, boolean drained, String reason, List<TileId> drainedTiles) {}

  /** Longest drain reason, characters. */
  static final int MAX_REASON_LENGTH = TileDrains.MAX_REASON_LENGTH;
  private static final Set<String> DRAIN_PARAMETERS = Set.of("reason");

  private final BearerAuth auth;
  private final SimClock clock;

  /** Read-only tile routes with the drain calls open to anyone (tests). */
  public TileRoutes(ActorSystem<?> system, Duration askTimeout) {
    this(system, askTimeout, new BearerAuth(Optional.empty()), SimClock.wallClock());
  }

  /**
   * @param auth guards the drain calls
   * @param clock stamps drains (simulated time)
   */
  public TileRoutes(ActorSystem<?> system, Duration askTimeout, BearerAuth auth, SimClock clock) {
    this.system = system;
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
    this.auth = auth;
    this.clock = clock;
  }

  public Route routes() {
    return pathPrefix("v1", () -> concat(
        pathPrefix("tiles", () -> concat(
            pathEnd(() -> get(() -> parameterMap(this::listTiles))),
            path(PathMatchers.segment(), id -> pathEnd(() -> get(() -> getTile(id)))),
            path(PathMatchers.segment().slash("drain"), id -> pathEnd(() -> concat(
                get(() -> drainStatus(id)),
                post(() -> auth.require(() -> parameterMap(p -> drain(id, p, true)))),
                delete(() -> auth.require(() -> parameterMap(p -> drain(id, p, false))))))))),
        path("planes", () -> get(this::listPlanes))));
  }

  private Route listTiles(Map<String, String> parameters) {
    for (String name : parameters.keySet()) {
      if (!LIST_PARAMETERS.contains(name)) {
        throw ProblemException.badInput(name,
            "unknown query parameter " + name + "; /v1/tiles takes " + String.join(", ", LIST_PARAMETERS.stream().sorted().toList()));
      }
    }
    Optional<PlaneId> plane = Optional.ofNullable(parameters.get("plane")).map(TileRoutes::parsePlane);
    Optional<EclipseState> eclipseState =
        Optional.ofNullable(parameters.get("eclipseState")).map(TileRoutes::parseEclipseState);
    CompletionStage<TileList> tiles = PlaneDirectory.summaries(system, askTimeout)
        .thenComposeAsync(summaries -> {
          List<PlaneId> planes = summaries.stream()
              .map(PlaneSummary::planeId)
              .filter(p -> plane.isEmpty() || plane.get().equals(p))
              .toList();
          return tilesOf(planes);
        }, executor)
        .thenApplyAsync(views -> {
          List<TileJson> out = views.stream()
              .filter(v -> eclipseState.isEmpty() || v.report().eclipseState() == eclipseState.get())
              .sorted(Comparator.comparing(TileView::tileId))
              .map(TileJson::from)
              .toList();
          return new TileList(out, out.size());
        }, executor);
    return onSuccess(tiles, body -> complete(StatusCodes.OK, body, JsonSupport.marshaller()));
  }

  private Route getTile(String idText) {
    TileId tileId = parseTileId(idText);
    CompletionStage<TileJson> tile = findTile(tileId).thenApplyAsync(TileJson::from, executor);
    return onSuccess(tile, body -> complete(StatusCodes.OK, body, JsonSupport.marshaller()));
  }

  private Route drain(String idText, Map<String, String> parameters, boolean drain) {
    TileId tileId = parseTileId(idText);
    for (String name : parameters.keySet()) {
      if (!DRAIN_PARAMETERS.contains(name) || !drain) {
        throw ProblemException.badInput(name, "unknown query parameter " + name + "; "
            + (drain ? "POST /v1/tiles/{id}/drain takes reason" : "DELETE /v1/tiles/{id}/drain takes none"));
      }
    }
    String reason = Optional.ofNullable(parameters.get("reason")).map(String::strip).orElse("drained by operator");
    if (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      throw ProblemException.badInput("reason", "reason must be 1-" + MAX_REASON_LENGTH + " printable characters");
    }
    Instant at = clock.now();
    CompletionStage<DrainJson> answer = findTile(tileId).thenComposeAsync(view -> {
      PlaneId plane = view.report().planeId();
      akka.japi.function.Function<ActorRef<StatusReply<SoosCoordinator.DrainedTiles>>, TileDrains.Command> command =
          drain ? replyTo -> new TileDrains.Drain(tileId, reason, at, replyTo)
              : replyTo -> new TileDrains.Undrain(tileId, at, replyTo);
      return TileDrains.entityRef(system, plane).ask(command, askTimeout)
          .handleAsync((reply, failure) -> {
            if (failure != null) {
              throw new ProblemException(StatusCodes.SERVICE_UNAVAILABLE,
                  "the drains of plane " + plane + " did not answer within " + askTimeout.toMillis() + " ms", null);
            }
            if (reply.isError()) throw ProblemException.badInput("id", reply.getError().getMessage());
            SoosCoordinator.DrainedTiles d = reply.getValue();
            int i = d.tileIds().indexOf(tileId);
            return new DrainJson(tileId, plane, i >= 0, i >= 0 ? d.reasons().get(i) : null, d.tileIds());
          }, executor);
    }, executor);
    return onSuccess(answer, body -> complete(StatusCodes.ACCEPTED, body, JsonSupport.marshaller()));
  }

  private Route drainStatus(String idText) {
    TileId tileId = parseTileId(idText);
    CompletionStage<DrainJson> answer = findTile(tileId).thenComposeAsync(view -> {
      PlaneId plane = view.report().planeId();
      return TileDrains.entityRef(system, plane).<SoosCoordinator.DrainedTiles>ask(TileDrains.Get::new, askTimeout)
          .handleAsync((d, failure) -> {
            if (failure != null) {
              throw new ProblemException(StatusCodes.SERVICE_UNAVAILABLE,
                  "the drains of plane " + plane + " did not answer within " + askTimeout.toMillis() + " ms", null);
            }
            int i = d.tileIds().indexOf(tileId);
            return new DrainJson(tileId, plane, i >= 0, i >= 0 ? d.reasons().get(i) : null, d.tileIds());
          }, executor);
    }, executor);
    return onSuccess(answer, body -> complete(StatusCodes.OK, body, JsonSupport.marshaller()));
  }

  private static TileId parseTileId(String idText) {
    try {
      return TileId.of(idText);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("id", e.getMessage());
    }
  }

  /** The freshest view of the TILE from the coordinators; 404 naming {@code id} when none knows it. */
  private CompletionStage<TileView> findTile(TileId tileId) {
    return PlaneDirectory.summaries(system, askTimeout).thenComposeAsync(summaries -> {
      // The directory names each plane's TILEs; a TILE newer than its plane's last summary is
      // found by asking every plane.
      List<PlaneId> listing = summaries.stream()
          .filter(s -> s.tileIds().contains(tileId)).map(PlaneSummary::planeId).toList();
      List<PlaneId> planes = listing.isEmpty() ? summaries.stream().map(PlaneSummary::planeId).toList() : listing;
      List<CompletableFuture<SoosCoordinator.TileLookup>> lookups = new ArrayList<>();
      for (PlaneId p : planes) {
        lookups.add(this.<SoosCoordinator.TileLookup>ask(p, replyTo -> new SoosCoordinator.GetTile(tileId, replyTo))
            .toCompletableFuture());
      }
      return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> lookups.stream()
          .map(CompletableFuture::join)
          .flatMap(l -> l.view().stream())
          .max(Comparator.comparing(TileView::receivedAt))
          .orElseThrow(() -> new ProblemException(StatusCodes.NOT_FOUND, "no TILE with id " + tileId, "id")));
    }, executor);
  }

  private Route listPlanes() {
    CompletionStage<PlaneList> planes =
        PlaneDirectory.summaries(system, askTimeout).thenApplyAsync(list -> new PlaneList(list, list.size()), executor);
    return onSuccess(planes, body -> complete(StatusCodes.OK, body, JsonSupport.marshaller()));
  }

  private CompletionStage<List<TileView>> tilesOf(List<PlaneId> planes) {
    List<CompletableFuture<SoosCoordinator.Tiles>> asks = new ArrayList<>();
    for (PlaneId p : planes) {
      asks.add(ask(p, SoosCoordinator.GetTiles::new).toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> asks.stream()
        .flatMap(a -> a.join().tiles().stream())
        .collect(Collectors.toList()));
  }

  /** Asks a plane's coordinator; a timeout becomes a 503 problem naming the plane. */
  private <R> CompletionStage<R> ask(PlaneId plane,
      akka.japi.function.Function<ActorRef<R>, CoordinatorProtocol.Command> query) {
    return SoosCoordinator.entityRef(system, plane).<R>ask(query, askTimeout)
        .exceptionallyAsync(failure -> {
          throw new ProblemException(StatusCodes.SERVICE_UNAVAILABLE,
              "the coordinator of plane " + plane + " did not answer within " + askTimeout.toMillis() + " ms", null);
        }, executor);
  }

  private static PlaneId parsePlane(String text) {
    try {
      return PlaneId.of(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("plane", e.getMessage());
    }
  }

  private static EclipseState parseEclipseState(String text) {
    try {
      return EclipseState.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("eclipseState", "eclipseState must be one of "
          + Arrays.toString(EclipseState.values()) + ", got: " + text);
    }
  }
}
