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
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.soos.scheduler.SchedulerSettings;
import org.soos.scheduler.index.JobIndex;
import org.soos.shared.time.ClockSettings;
import org.soos.shared.time.SimClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's public HTTP server on {@code soos.scheduler.http.host:port}: {@link JobRoutes},
 * {@link EventRoutes}, {@link TileRoutes}, {@link MetricsRoutes}, {@link OpenApiRoutes},
 * {@link HealthRoutes} and the dashboard with its clock ({@link DashboardRoutes}), behind problem+json
 * error handling, request metrics and the refusal of query tokens; mutating job and drain calls behind
 * {@link BearerAuth}. This API's own limits replace Akka HTTP's
 * defaults: request timeout, largest body, header count and size (431 above, via
 * {@link ProblemParsingErrorHandler}). Starts this node's {@link JobIndex}. Unbinds in coordinated
 * shutdown.
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

  /** {@link #start(ActorSystem, SchedulerSettings.Http, SimClock)} with the clock of {@code soos.clock}. */
  public static SchedulerHttpServer start(ActorSystem<?> system, SchedulerSettings.Http settings) {
    return start(system, settings, ClockSettings.fromConfig(system.settings().config(), Instant.now()).clock());
  }

  /**
   * Binds the API. When binding fails (e.g. the port is taken) the failure is logged and the
   * ActorSystem terminated: a scheduler without its API is of no use.
   *
   * @param clock the scheduler's simulated time (stamps submissions and cancellations)
   * @throws IllegalArgumentException for a bad {@code soos.scheduler.http} block, naming the key
   */
  public static SchedulerHttpServer start(ActorSystem<?> system, SchedulerSettings.Http settings, SimClock clock) {
    ApiSettings api = ApiSettings.fromConfig(system.settings().config());
    AtomicBoolean bound = new AtomicBoolean();
    Route route = routes(system, settings, api, clock, bound::get);
    CompletionStage<ServerBinding> binding = Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .withSettings(serverSettings(system.settings().config(), settings, api))
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
      log.info("SOOS API at http://{}:{}/v1/jobs ({}; {})", address.getHostString(), address.getPort(),
          api.token().isPresent() ? "bearer token required on POST and DELETE" : "no token configured: open to anyone who can connect",
          api);
    });
    return new SchedulerHttpServer(binding, bound);
  }

  /** Every route of the API with its error handling, metrics and request-timeout answer. */
  public static Route routes(ActorSystem<?> system, SchedulerSettings.Http settings, ApiSettings api, SimClock clock,
      BooleanSupplier httpBound) {
    JobIndex index = JobIndex.get(system);
    BearerAuth auth = new BearerAuth(api.token());
    ApiMetrics metrics = new ApiMetrics(index.table());
    JobRoutes jobs = new JobRoutes(system, settings.askTimeout(), settings.maxContentLengthBytes(), api, clock, index, auth);
    EventRoutes events = new EventRoutes(index, api);
    TileRoutes tiles = new TileRoutes(system, settings.askTimeout(), auth, clock);
    MetricsRoutes metricsRoutes = new MetricsRoutes(system, settings.askTimeout(), metrics);
    OpenApiRoutes openApi = new OpenApiRoutes();
    HealthRoutes health = new HealthRoutes(system, httpBound);
    DashboardRoutes dashboard = new DashboardRoutes(clock);
    return metrics.instrument(() -> Directives.withRequestTimeoutResponse(JsonSupport::requestTimeout,
        () -> JsonSupport.handleErrors(() -> BearerAuth.refuseQueryTokens(() -> Directives.concat(
            jobs.routes(), events.routes(), tiles.routes(), openApi.routes(), metricsRoutes.routes(),
            health.routes(), dashboard.routes())))));
  }

  /** Akka HTTP server settings with this API's request timeout, body limit and header limits. */
  static ServerSettings serverSettings(Config systemConfig, SchedulerSettings.Http settings, ApiSettings api) {
    Config limits = ConfigFactory.parseMap(Map.of(
        "akka.http.server.request-timeout", settings.requestTimeout().toMillis() + "ms",
        "akka.http.server.parsing.max-content-length", settings.maxContentLengthBytes(),
        "akka.http.server.parsing.max-header-count", api.maxHeaderCount(),
        "akka.http.server.parsing.max-header-value-length", api.maxHeaderValueBytes(),
        "akka.http.server.parsing.error-handler", ProblemParsingErrorHandler.class.getName()));
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
