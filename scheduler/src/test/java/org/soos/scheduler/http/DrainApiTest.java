package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.scheduler.http.JobApiTest.assertProblem;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.scheduler.TestReports;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.protocol.CoordinatorProtocol.ReportTile;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.TileReport;

/**
 * The drain calls against the real server (single-node cluster, H2 journal in a temporary run folder)
 * with a real HTTP client: bearer token, bad input naming the field, 404 for unknown TILEs, idempotence,
 * undrain, and the drained set surviving a restart of the scheduler on the same journal.
 */
class DrainApiTest {
  private static final String TOKEN = "drain-token-0123456789abcdef";
  private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

  private ApiTestNode node;
  private ScheduledExecutorService feeder;

  @AfterEach
  void stop() throws Exception {
    stopNode();
  }

  private void stopNode() throws Exception {
    if (feeder != null) {
      feeder.shutdownNow();
      feeder.awaitTermination(5, TimeUnit.SECONDS);
      feeder = null;
    }
    if (node != null) node.close();
    node = null;
  }

  /** A node on {@code runDir} with TILEs p0-t0 and p0-t1 reporting every 100 ms. */
  private void startNode(Path runDir) throws Exception {
    node = ApiTestNode.start(runDir, Map.of("soos.scheduler.http.token", TOKEN));
    ActorRef<TileProtocol.Command> tileRef = node.testKit.createTestProbe(TileProtocol.Command.class).ref();
    AtomicInteger minute = new AtomicInteger();
    feeder = Executors.newSingleThreadScheduledExecutor();
    feeder.scheduleAtFixedRate(() -> {
      Instant sim = TestReports.SIM_EPOCH.plus(Duration.ofMinutes(minute.incrementAndGet()));
      report(TestReports.report("p0-t0", "p0", sim, EclipseState.SUNLIT, 320, 160, 90, 62), tileRef);
      report(TestReports.report("p0-t1", "p0", sim, EclipseState.SUNLIT, 320, 160, 90, 62), tileRef);
    }, 0, 100, TimeUnit.MILLISECONDS);
    node.awaitStatus("/v1/tiles/p0-t1", 200, Duration.ofSeconds(15));
  }

  private void report(TileReport report, ActorRef<TileProtocol.Command> tileRef) {
    SoosCoordinator.entityRef(node.testKit.system(), report.planeId()).tell(new ReportTile(report, tileRef));
  }

  private HttpResponse<String> post(String path, String... headers) throws Exception {
    HttpRequest.Builder b = node.request(path).POST(HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) b.headers(headers);
    return node.send(b.build());
  }

  @Test
  void drainsAndUndrainsATileBehindTheTokenAndTheDrainSurvivesARestart() throws Exception {
    Path runDir = Files.createTempDirectory("soos-drain-api");
    startNode(runDir);
    JsonNode before = ApiTestNode.json(node.get("/v1/tiles/p0-t1/drain"));
    assertFalse(before.get("drained").asBoolean(), before.toString());

    HttpResponse<String> anonymous = post("/v1/tiles/p0-t1/drain");
    assertProblem(anonymous, 401, "Authorization");
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertFalse(ApiTestNode.json(node.get("/v1/tiles/p0-t1/drain")).get("drained").asBoolean(),
        "nothing persisted from an unauthorised call");

    HttpResponse<String> drained = post("/v1/tiles/p0-t1/drain?reason=board%20swap", AUTH);
    assertEquals(202, drained.statusCode(), drained.body());
    JsonNode body = ApiTestNode.json(drained);
    assertEquals("p0-t1", body.get("tileId").asText());
    assertEquals("p0", body.get("planeId").asText());
    assertTrue(body.get("drained").asBoolean());
    assertEquals("board swap", body.get("reason").asText());
    assertEquals("[\"p0-t1\"]", body.get("drainedTiles").toString());

    HttpResponse<String> again = post("/v1/tiles/p0-t1/drain?reason=other", AUTH);
    assertEquals(202, again.statusCode());
    assertEquals("board swap", ApiTestNode.json(again).get("reason").asText(), "idempotent: the first drain stands");

    stopNode();
    startNode(runDir);
    JsonNode afterRestart = ApiTestNode.json(node.get("/v1/tiles/p0-t1/drain"));
    assertTrue(afterRestart.get("drained").asBoolean(), afterRestart.toString());
    assertFalse(ApiTestNode.json(node.get("/v1/tiles/p0-t0/drain")).get("drained").asBoolean());

    HttpResponse<String> undrained = node.delete("/v1/tiles/p0-t1/drain", AUTH);
    assertEquals(202, undrained.statusCode(), undrained.body());
    assertFalse(ApiTestNode.json(undrained).get("drained").asBoolean());
    assertEquals("[]", ApiTestNode.json(undrained).get("drainedTiles").toString());
    assertFalse(ApiTestNode.json(node.get("/v1/tiles/p0-t1/drain")).get("drained").asBoolean());
  }

  @Test
  void rejectsBadDrainRequestsNamingTheFieldAndPersistsNothing() throws Exception {
    startNode(Files.createTempDirectory("soos-drain-api"));
    assertProblem(post("/v1/tiles/-bad!/drain", AUTH), 400, "id");
    assertProblem(post("/v1/tiles/p7-t7/drain", AUTH), 404, "id");
    assertProblem(post("/v1/tiles/p0-t0/drain?reason=", AUTH), 400, "reason");
    assertProblem(post("/v1/tiles/p0-t0/drain?reason=" + "x".repeat(201), AUTH), 400, "reason");
    assertProblem(post("/v1/tiles/p0-t0/drain?reason=a%0Ab", AUTH), 400, "reason");
    assertProblem(post("/v1/tiles/p0-t0/drain?until=tomorrow", AUTH), 400, "until");
    assertProblem(node.delete("/v1/tiles/p0-t0/drain?reason=x", AUTH), 400, "reason");
    assertProblem(post("/v1/tiles/p0-t0/drain?access_token=" + TOKEN), 400, "access_token");
    JsonNode status = ApiTestNode.json(node.get("/v1/tiles/p0-t0/drain"));
    assertFalse(status.get("drained").asBoolean(), status.toString());
    assertEquals("[]", status.get("drainedTiles").toString());
  }
}
