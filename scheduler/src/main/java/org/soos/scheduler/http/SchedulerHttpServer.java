package org.soos.scheduler.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.soos.scheduler.SchedulerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's public HTTP server: {@link TileRoutes} and {@link HealthRoutes} behind
 * problem+json error handling, on {@code soos.scheduler.http.host:port}, with this API's own limits
 * (request timeout, largest body) rather than Akka HTTP's defaults. Unbinds in coordinated shutdown.
 */
public final class SchedulerHttpServer {
  private static final Logger log = LoggerFactory.getLogger(SchedulerHttpServer.class);
  private static final Duration HARD_TERMINATION_DEADLINE = Duration.ofSeconds(5);

  private final CompletionStage<ServerBinding> binding;
  private final AtomicBoolean bound;

  private SchedulerHttpServer(CompletionStage<ServerBinding> binding, AtomicBoolean bound) {
    this.binding = binding;
    this.bound = bound;
  }

  /**
   * Binds the API. When binding fails (e.g. the port is taken) the failure is logged and the
   * ActorSystem terminated: a scheduler without its API is of no use.
   */
  public static SchedulerHttpServer start(ActorSystem<?> system, SchedulerSettings.Http settings) {
    AtomicBoolean bound = new AtomicBoolean();
    Route route = routes(system, settings, bound::get);
    CompletionStage<ServerBinding> binding = Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .withSettings(serverSettings(system.settings().config(), settings))
        .bind(route);
    binding.whenComplete((b, failure) -> {
      if (failure != null) {
        log.error("Cannot bind the SOOS API to {}:{}; stopping", settings.host(), settings.port(), failure);
        system.terminate();
        return;
      }
      b.addToCoordinatedShutdown(HARD_TERMINATION_DEADLINE, system);
      bound.set(true);
      InetSocketAddress address = b.localAddress();
      log.info("SOOS API at http://{}:{}/v1/tiles", address.getHostString(), address.getPort());
    });
    return new SchedulerHttpServer(binding, bound);
  }

  /** Every route of the API with its error handling and request-timeout answer. */
  public static Route routes(ActorSystem<?> system, SchedulerSettings.Http settings, BooleanSupplier httpBound) {
    TileRoutes tiles = new TileRoutes(system, settings.askTimeout());
    HealthRoutes health = new HealthRoutes(system, httpBound);
    return Directives.withRequestTimeoutResponse(JsonSupport::requestTimeout,
        () -> JsonSupport.handleErrors(() -> Directives.concat(tiles.routes(), health.routes())));
  }

  /** Akka HTTP server settings with this API's request timeout and body limit. */
  static ServerSettings serverSettings(Config systemConfig, SchedulerSettings.Http settings) {
    Config limits = ConfigFactory.parseMap(Map.of(
        "akka.http.server.request-timeout", settings.requestTimeout().toMillis() + "ms",
        "akka.http.server.parsing.max-content-length", settings.maxContentLengthBytes()));
    return ServerSettings.create(limits.withFallback(systemConfig));
  }

  /** Completes when the server is bound (or fails when it could not bind). */
  public CompletionStage<ServerBinding> binding() {
    return binding;
  }

  /** True once bound. */
  public boolean isBound() {
    return bound.get();
  }
}
