package org.soos.scheduler.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.soos.scheduler.coordinator.PlaneDirectory;
import org.soos.scheduler.coordinator.PlaneSummary;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.scheduler.coordinator.TileView;

/**
 * {@code GET /metrics}: {@link ApiMetrics} in the Prometheus text format. TILE gauges come from
 * every plane coordinator, asked in parallel at scrape time; a plane that does not answer within the
 * ask timeout is left out of that scrape (its TILEs' series go missing rather than the whole scrape
 * failing). Unauthenticated, like {@code /health}.
 */
public final class MetricsRoutes extends AllDirectives {
  private static final ContentType CONTENT_TYPE = akka.http.javadsl.model.ContentTypes.parse(ApiMetrics.contentType());

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final ApiMetrics metrics;
  /** Where continuations run (see {@link JobRoutes}: never a thread per continuation). */
  private final java.util.concurrent.Executor executor;

  public MetricsRoutes(ActorSystem<?> system, Duration askTimeout, ApiMetrics metrics) {
    this.system = system;
    this.askTimeout = askTimeout;
    this.metrics = metrics;
    this.executor = system.executionContext();
  }

  public Route routes() {
    return path("metrics", () -> get(() -> {
      CompletionStage<HttpResponse> response = tiles().thenApplyAsync(tiles -> HttpResponse.create()
          .withStatus(StatusCodes.OK)
          .withEntity(HttpEntities.create(CONTENT_TYPE, metrics.scrape(tiles))), executor);
      return completeWithFuture(response);
    }));
  }

  private CompletionStage<List<TileView>> tiles() {
    return PlaneDirectory.summaries(system, askTimeout)
        .exceptionallyAsync(failure -> List.of(), executor)
        .thenComposeAsync(summaries -> {
          List<CompletableFuture<List<TileView>>> asks = new ArrayList<>();
          for (PlaneSummary plane : summaries) {
            asks.add(SoosCoordinator.entityRef(system, plane.planeId())
                .<SoosCoordinator.Tiles>ask(SoosCoordinator.GetTiles::new, askTimeout)
                .thenApplyAsync(SoosCoordinator.Tiles::tiles, executor)
                .exceptionallyAsync(failure -> List.<TileView>of(), executor)
                .toCompletableFuture());
          }
          return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
              .thenApply(done -> asks.stream().flatMap(a -> a.join().stream()).toList());
        }, executor);
  }
}
