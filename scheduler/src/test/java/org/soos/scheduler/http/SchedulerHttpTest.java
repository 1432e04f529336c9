package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.SchedulerGuardian;
import org.soos.scheduler.SchedulerSettings;
import org.soos.scheduler.TestConfigs;
import org.soos.scheduler.TestReports;
import org.soos.scheduler.coordinator.SoosCoordinator;
import org.soos.scheduler.persistence.JournalSchema;
import org.soos.shared.id.PlaneId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.protocol.CoordinatorProtocol.ReportTile;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.time.SimClock;

/**
 * The scheduler's HTTP API against the real server in a single-node cluster, fed by TILE reports
 * through the sharded coordinators, read with a real HTTP client.
 */
class SchedulerHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ActorTestKit testKit;
  private static ScheduledExecutorService feeder;
  private static String base;

  /** Live TILEs re-reported every 100 ms; one silent TILE reported once. */
  @BeforeAll
  static void startScheduler() throws Exception {
    Path runDir = Files.createTempDirectory("soos-http-test");
    Config config = TestConfigs.scheduler(runDir, Map.of(
        "soos.scheduler.coordinator.report-interval", "500ms",
        "soos.scheduler.coordinator.stale-after-intervals", 3));
    SchedulerSettings settings = SchedulerSettings.fromConfig(config);
    JournalSchema.apply(settings.journal());
    testKit = ActorTestKit.create("soos", config);
    base = "http://127.0.0.1:" + settings.http().port();
    SimClock clock = new SimClock(TestReports.SIM_EPOCH, Instant.now(), 60, java.time.InstantSource.system());
    testKit.spawn(SchedulerGuardian.create(settings, clock), "scheduler");
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    awaitStatus("/ready", 200, Duration.ofSeconds(30));

    ActorRef<TileProtocol.Command> tileRef = testKit.createTestProbe(TileProtocol.Command.class).ref();
    sendReport(TestReports.report("p1-t9", "p1", TestReports.SIM_EPOCH, EclipseState.SUNLIT, 300, 150, 70, 60), tileRef);
    AtomicInteger minute = new AtomicInteger();
    feeder = Executors.newSingleThreadScheduledExecutor();
    feeder.scheduleAtFixedRate(() -> {
      Instant sim = TestReports.SIM_EPOCH.plus(Duration.ofMinutes(minute.incrementAndGet()));
      sendReport(TestReports.report("p0-t0", "p0", sim, EclipseState.SUNLIT, 320, 160, 90, 62), tileRef);
      sendReport(TestReports.report("p0-t1", "p0", sim, EclipseState.UMBRA, 0, 40, 40, 58), tileRef);
      sendReport(TestReports.report("p1-t0", "p1", sim, EclipseState.PENUMBRA, 150, 90, 65, 71), tileRef);
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stopScheduler() throws Exception {
    if (feeder != null) {
      feeder.shutdownNow();
      feeder.awaitTermination(5, TimeUnit.SECONDS);
    }
    testKit.shutdownTestKit();
  }

  private static void sendReport(TileReport report, ActorRef<TileProtocol.Command> tileRef) {
    SoosCoordinator.entityRef(testKit.system(), report.planeId()).tell(new ReportTile(report, tileRef));
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> awaitStatus(String path, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(path);
        if (last.statusCode() == status) return last;
      } catch (java.net.ConnectException notYetBound) {
        // the server binds asynchronously
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " did not answer " + status + " in time; last: "
        + (last == null ? "no connection" : last.statusCode() + " " + last.body()));
  }

  /** GETs {@code path} until its JSON satisfies {@code until} (reports arrive asynchronously). */
  private static JsonNode awaitJson(String path, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(path);
      if (response.statusCode() == 200) {
        last = json(response);
        if (until.test(last)) return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " never matched; last: " + last);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = json(response);
    assertEquals(status, problem.get("status").asInt());
    assertEquals("about:blank", problem.get("type").asText());
    assertFalse(problem.get("title").asText().isEmpty());
    assertFalse(problem.get("detail").asText().isEmpty());
    if (field == null) {
      assertFalse(problem.has("field"), response.body());
    } else {
      assertEquals(field, problem.get("field").asText(), response.body());
    }
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
    return names;
  }

  private static List<String> tileIds(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.get("tiles").forEach(t -> ids.add(t.get("tileId").asText()));
    return ids;
  }

  @Test
  void healthIsUpAndReadyWhenMemberUpAndBound() throws Exception {
    HttpResponse<String> health = get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("application/json", health.headers().firstValue("Content-Type").orElse(""));
    assertEquals("UP", json(health).get("status").asText());

    HttpResponse<String> ready = get("/ready");
    assertEquals(200, ready.statusCode());
    JsonNode body = json(ready);
    assertEquals("READY", body.get("status").asText());
    assertEquals("Up", body.get("memberStatus").asText());
    assertTrue(body.get("httpBound").asBoolean());
  }

  @Test
  void readyIsUnavailableWhileHttpIsNotBound() throws Exception {
    // The same routes with a bound-flag that is still false, served on a second port.
    SchedulerSettings.Http http = SchedulerSettings.fromConfig(testKit.system().settings().config()).http();
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(SchedulerHttpServer.routes(testKit.system(), http, ApiSettings.DEFAULTS,
            SimClock.wallClock(), () -> false))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode());
      JsonNode body = json(ready);
      assertEquals("NOT_READY", body.get("status").asText());
      assertFalse(body.get("httpBound").asBoolean());
    } finally {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void listsTilesAcrossPlanesWithEveryReportFieldStaleFlagAndArrivalTimes() throws Exception {
    JsonNode list = awaitJson("/v1/tiles", body -> body.get("count").asInt() == 4
        && body.get("tiles").get(3).get("stale").asBoolean());
    assertEquals(List.of("p0-t0", "p0-t1", "p1-t0", "p1-t9"), tileIds(list));

    JsonNode t = list.get("tiles").get(2);
    Set<String> expected = new TreeSet<>(Set.of("tileId", "planeId", "simTime", "eclipseState", "sunlitFraction",
        "betaAngleDeg", "nextEclipses", "solarInputWatts", "loadWatts", "batteryEnergyWh", "batteryCapacityWh",
        "batteryReserveWh", "batteryStateOfChargePercent", "computeBudgetWatts", "forecast", "plateTempCelsius",
        "maxJunctionTempCelsius", "shedding", "orins", "stale", "receivedAt", "receivedSimTime", "healthy",
        "healthProblems"));
    assertEquals(expected, names(t));
    for (var component : TileReport.class.getRecordComponents()) {
      assertTrue(t.has(component.getName()), "missing TileReport field " + component.getName());
    }
    assertEquals("p1-t0", t.get("tileId").asText());
    assertEquals("p1", t.get("planeId").asText());
    assertEquals("PENUMBRA", t.get("eclipseState").asText());
    assertEquals(150, t.get("solarInputWatts").asDouble(), 1e-9);
    assertEquals(65, t.get("batteryStateOfChargePercent").asDouble(), 1e-9);
    assertEquals(71, t.get("maxJunctionTempCelsius").asDouble(), 1e-9);
    assertFalse(t.get("stale").asBoolean());
    Instant simTime = Instant.parse(t.get("simTime").asText());
    Instant umbraStart = Instant.parse(t.get("nextEclipses").get(0).get("umbraStart").asText());
    assertEquals(Duration.ofMinutes(20), Duration.between(simTime, umbraStart));
    assertEquals(2, t.get("nextEclipses").size());
    Instant.parse(t.get("receivedAt").asText());
    Instant.parse(t.get("receivedSimTime").asText());
    Instant.parse(t.get("forecast").get(1).get("at").asText());
    JsonNode orin0 = t.get("orins").get(0);
    assertEquals(4, t.get("orins").size());
    assertEquals("AGX_ORIN_64GB", orin0.get("module").asText());
    assertEquals("MAXN", orin0.get("powerModeName").asText());
    assertEquals("NOMINAL", orin0.get("health").asText());
    assertEquals("job-p1-t0", orin0.get("jobs").get(0).get("jobId").asText());
    assertEquals(3, orin0.get("jobs").get(0).get("epoch").asLong());

    // The TILE reported once and then silent is stale; the others keep reporting.
    JsonNode silent = list.get("tiles").get(3);
    assertEquals("p1-t9", silent.get("tileId").asText());
    assertTrue(silent.get("stale").asBoolean());
  }

  @Test
  void filtersTilesByPlaneAndEclipseState() throws Exception {
    awaitJson("/v1/tiles", body -> body.get("count").asInt() == 4);
    assertEquals(List.of("p0-t0", "p0-t1"), tileIds(json(get("/v1/tiles?plane=p0"))));
    assertEquals(List.of("p0-t1"), tileIds(json(get("/v1/tiles?eclipseState=UMBRA"))));
    assertEquals(List.of("p1-t0"), tileIds(json(get("/v1/tiles?plane=p1&eclipseState=penumbra"))));
    assertEquals(List.of(), tileIds(json(get("/v1/tiles?plane=p9"))));
  }

  @Test
  void rejectsBadTileQueriesNamingTheField() throws Exception {
    assertProblem(get("/v1/tiles?eclipseState=DUSK"), 400, "eclipseState");
    assertProblem(get("/v1/tiles?plane=%20bad"), 400, "plane");
    assertProblem(get("/v1/tiles?planes=p0"), 400, "planes");
  }

  @Test
  void getsOneTileById() throws Exception {
    JsonNode tile = awaitJson("/v1/tiles/p0-t1", body -> body.has("tileId"));
    assertEquals("p0-t1", tile.get("tileId").asText());
    assertEquals("UMBRA", tile.get("eclipseState").asText());
    assertEquals(0, tile.get("solarInputWatts").asDouble(), 1e-9);
    assertEquals(40, tile.get("computeBudgetWatts").asDouble(), 1e-9);
    assertFalse(tile.get("stale").asBoolean());
  }

  @Test
  void answersUnknownTileWith404ProblemNamingId() throws Exception {
    awaitJson("/v1/planes", body -> body.get("count").asInt() == 2);
    HttpResponse<String> response = get("/v1/tiles/p7-t7");
    assertProblem(response, 404, "id");
    assertTrue(json(response).get("detail").asText().contains("p7-t7"));
    assertEquals("/v1/tiles/p7-t7", json(response).get("instance").asText());
  }

  @Test
  void answersMalformedTileIdWith400ProblemNamingId() throws Exception {
    assertProblem(get("/v1/tiles/-bad!"), 400, "id");
  }

  @Test
  void listsPlaneSummaries() throws Exception {
    JsonNode planes = awaitJson("/v1/planes", body -> body.get("count").asInt() == 2
        && body.get("planes").get(1).get("staleCount").asInt() == 1
        && body.get("planes").get(0).get("tileCount").asInt() == 2);
    JsonNode p0 = planes.get("planes").get(0);
    assertEquals("p0", p0.get("planeId").asText());
    assertEquals(2, p0.get("tileCount").asInt());
    assertEquals(0, p0.get("staleCount").asInt());
    assertEquals(1, p0.get("sunlitCount").asInt());
    assertEquals(1, p0.get("eclipsedCount").asInt());
    assertEquals(320, p0.get("totalSolarInputWatts").asDouble(), 1e-9);
    assertEquals(200, p0.get("totalComputeBudgetWatts").asDouble(), 1e-9);
    assertEquals(65, p0.get("meanBatteryStateOfChargePercent").asDouble(), 1e-9);
    assertEquals(62, p0.get("maxJunctionTempCelsius").asDouble(), 1e-9);
    assertEquals("[\"p0-t0\",\"p0-t1\"]", p0.get("tileIds").toString());
    Instant.parse(p0.get("updatedAt").asText());
    Instant.parse(p0.get("simTime").asText());

    JsonNode p1 = planes.get("planes").get(1);
    assertEquals("p1", p1.get("planeId").asText());
    assertEquals(2, p1.get("tileCount").asInt());
    assertEquals(1, p1.get("staleCount").asInt());
    assertEquals(150, p1.get("totalSolarInputWatts").asDouble(), 1e-9);
  }

  @Test
  void answersUnknownPathAndWrongMethodWithProblemJson() throws Exception {
    assertProblem(get("/v1/nothing-here"), 404, null);
    HttpResponse<String> post = send("POST", "/v1/tiles");
    assertProblem(post, 405, null);
    assertTrue(post.headers().firstValue("Allow").orElse("").contains("GET"), post.headers().toString());
  }

  @Test
  void coordinatorIsReachableThroughShardingByPlaneId() throws Exception {
    awaitJson("/v1/tiles?plane=p0", body -> body.get("count").asInt() == 2);
    SoosCoordinator.Tiles tiles = SoosCoordinator.entityRef(testKit.system(), PlaneId.of("p0"))
        .<SoosCoordinator.Tiles>ask(SoosCoordinator.GetTiles::new, Duration.ofSeconds(5))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(PlaneId.of("p0"), tiles.planeId());
    assertEquals(2, tiles.tiles().size());
  }
}
