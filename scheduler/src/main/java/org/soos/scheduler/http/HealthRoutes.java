package org.soos.scheduler.http;

import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness for process supervisors and load balancers.
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP"}} while the process serves HTTP at all
 *   <li>{@code GET /ready}: 200 {@code {"status":"READY","memberStatus":"Up","httpBound":true}} when this
 *       node is an Up cluster member and the API is bound; 503 with {@code "status":"NOT_READY"} and
 *       the same members otherwise (joining, leaving, exiting, down)
 * </ul>
 */
public final class HealthRoutes extends AllDirectives {
  private final ActorSystem<?> system;
  private final BooleanSupplier httpBound;

  /** Body of {@code GET /health}. */
  public record Health(String status) {}

  /** Body of {@code GET /ready}. */
  public record Readiness(String status, String memberStatus, boolean httpBound) {}

  /**
   * @param httpBound true once the API's server socket is bound
   */
  public HealthRoutes(ActorSystem<?> system, BooleanSupplier httpBound) {
    this.system = system;
    this.httpBound = httpBound;
  }

  public Route routes() {
    return concat(
        path("health", () -> get(() -> complete(StatusCodes.OK, new Health("UP"), JsonSupport.marshaller()))),
        path("ready", () -> get(this::ready)));
  }

  private Route ready() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    boolean bound = httpBound.getAsBoolean();
    boolean ready = bound && status.equals(MemberStatus.up());
    Readiness body = new Readiness(ready ? "READY" : "NOT_READY", status.toString(), bound);
    return complete(ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body, JsonSupport.marshaller());
  }
}
