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
import org.soos.scheduler.coordinator.TileView;
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
 * </ul>
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

  public TileRoutes(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
    this.executor = system.executionContext();
  }

  public Route routes() {
    return pathPrefix("v1", () -> concat(
        pathPrefix("tiles", () -> concat(
            pathEnd(() -> get(() -> parameterMap(this::listTiles))),
            path(PathMatchers.segment(), id -> pathEnd(() -> get(() -> getTile(id)))))),
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
    TileId tileId;
    try {
      tileId = TileId.of(idText);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badInput("id", e.getMessage());
    }
    CompletionStage<TileJson> tile = PlaneDirectory.summaries(system, askTimeout).thenComposeAsync(summaries -> {
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
          .map(TileJson::from)
          .orElseThrow(() -> new ProblemException(StatusCodes.NOT_FOUND, "no TILE with id " + tileId, "id")));
    }, executor);
    return onSuccess(tile, body -> complete(StatusCodes.OK, body, JsonSupport.marshaller()));
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
