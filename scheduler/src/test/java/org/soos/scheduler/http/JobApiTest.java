package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job API against the real server (single-node cluster, H2 journal in a temporary run folder)
 * with a real HTTP client. No TILE reports: jobs stay PENDING, so nothing here depends on placement.
 */
public class JobApiTest {
  static final String TOKEN = "test-token-0123456789abcdef";
  static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

  private static ApiTestNode node;

  @BeforeAll
  static void startScheduler() throws Exception {
    node = ApiTestNode.start(Files.createTempDirectory("soos-job-api"), Map.of(
        "soos.scheduler.http.token", TOKEN,
        "soos.scheduler.http.body-read-timeout", "1s",
        "soos.scheduler.http.events-keep-alive", "500ms"));
  }

  @AfterAll
  static void stopScheduler() {
    if (node != null) node.close();
  }

  public static String spec(String name) {
    return JobSpecReaderTest.simulated("\"priority\":4,\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":1048576}")
        .replace("\"train\"", "\"" + name + "\"");
  }

  private static HttpResponse<String> submit(String json, String... extraHeaders) throws Exception {
    String[] headers = Stream.concat(Stream.of(AUTH), Stream.of(extraHeaders)).toArray(String[]::new);
    return node.post("/v1/jobs", json, headers);
  }

  static void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), response.body());
    JsonNode problem = ApiTestNode.json(response);
    assertEquals(status, problem.get("status").asInt());
    assertFalse(problem.path("detail").asText().isEmpty(), response.body());
    if (field != null) assertEquals(field, problem.path("field").asText(), response.body());
  }

  // ---------------------------------------------------------------- happy path

  @Test
  void submitsGetsListsAndCancelsAJob() throws Exception {
    HttpResponse<String> accepted = submit(spec("lifecycle"));
    assertEquals(202, accepted.statusCode(), accepted.body());
    JsonNode view = ApiTestNode.json(accepted);
    String id = view.get("id").asText();
    assertEquals(4, UUID.fromString(id).version());
    assertEquals("/v1/jobs/" + id, accepted.headers().firstValue("Location").orElse(""));
    assertEquals("application/json", accepted.headers().firstValue("Content-Type").orElse(""));
    assertEquals("PENDING", view.get("state").asText());
    assertEquals("lifecycle", view.get("spec").get("name").asText());
    assertEquals("SIMULATED", view.get("spec").get("kind").asText());
    assertEquals(0, view.get("epoch").asLong());
    assertEquals("submitted", view.get("history").get(0).get("event").asText());

    JsonNode got = ApiTestNode.json(node.get("/v1/jobs/" + id));
    assertEquals(id, got.get("id").asText());
    assertEquals(4, got.get("spec").get("priority").asInt());
    assertEquals(1048576, got.get("spec").get("checkpoint").get("sizeBytes").asLong());

    JsonNode listed = node.awaitJson("/v1/jobs?state=pending&limit=1000",
        page -> ids(page).contains(id));
    JsonNode summary = find(listed, id);
    assertEquals("lifecycle", summary.get("name").asText());
    assertEquals(4, summary.get("priority").asInt());
    assertTrue(summary.get("migratable").asBoolean());

    HttpResponse<String> cancelled = node.delete("/v1/jobs/" + id + "?reason=changed%20my%20mind", AUTH);
    assertEquals(200, cancelled.statusCode(), cancelled.body());
    JsonNode after = ApiTestNode.json(cancelled);
    assertEquals("CANCELLED", after.get("state").asText());
    JsonNode last = after.get("history").get(after.get("history").size() - 1);
    assertEquals("cancelled", last.get("event").asText());
    assertEquals("changed my mind", last.get("detail").asText());
    assertEquals("CANCELLED", ApiTestNode.json(node.get("/v1/jobs/" + id)).get("state").asText());
    assertEquals(200, node.delete("/v1/jobs/" + id, AUTH).statusCode(), "cancelling again is harmless");

    node.awaitJson("/v1/jobs?state=CANCELLED", page -> ids(page).contains(id));
    JsonNode pending = ApiTestNode.json(node.get("/v1/jobs?state=PENDING&limit=1000"));
    assertFalse(ids(pending).contains(id));
  }

  @Test
  void pagesTheListWithCursors() throws Exception {
    Set<String> mine = new HashSet<>();
    for (int i = 0; i < 7; i++) mine.add(ApiTestNode.json(submit(spec("page-" + i))).get("id").asText());
    node.awaitJson("/v1/jobs?limit=1000", page -> ids(page).containsAll(mine));
    List<String> seen = new ArrayList<>();
    String path = "/v1/jobs?limit=3";
    int pages = 0;
    while (path != null) {
      JsonNode page = ApiTestNode.json(node.get(path));
      pages++;
      assertTrue(page.get("count").asInt() <= 3);
      seen.addAll(ids(page));
      JsonNode next = page.get("nextCursor");
      path = next == null || next.isNull() ? null : "/v1/jobs?limit=3&cursor=" + next.asText();
      assertTrue(pages < 1000);
    }
    assertTrue(seen.containsAll(mine));
    assertEquals(seen.size(), new HashSet<>(seen).size(), "no job on two pages");
    JsonNode offsetPage = ApiTestNode.json(node.get("/v1/jobs?limit=2&offset=1"));
    assertEquals(seen.subList(1, 3), ids(offsetPage));
  }

  @Test
  void unknownJobIs404NamingId() throws Exception {
    HttpResponse<String> response = node.get("/v1/jobs/" + UUID.randomUUID());
    assertProblem(response, 404, "id");
    assertProblem(node.delete("/v1/jobs/" + UUID.randomUUID(), AUTH), 404, "id");
    assertProblem(node.get("/v1/jobs/bad!id"), 400, "id");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badQueries")
  void refusesBadListQueriesNamingTheParameter(String query, String field) throws Exception {
    assertProblem(node.get("/v1/jobs?" + query), 400, field);
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of("state=DONE", "state"),
        Arguments.of("state=RUNNING,,", "state"),
        Arguments.of("plane=%20p0", "plane"),
        Arguments.of("tile=bad%20tile", "tile"),
        Arguments.of("limit=0", "limit"),
        Arguments.of("limit=1001", "limit"),
        Arguments.of("limit=ten", "limit"),
        Arguments.of("offset=-1", "offset"),
        Arguments.of("cursor=bm90LWEtY3Vyc29y", "cursor"),
        Arguments.of("cursor=x&offset=1", "offset"),
        Arguments.of("sort=name", "sort"));
  }

  // ---------------------------------------------------------------- idempotency

  @Test
  void sameIdempotencyKeyConcurrentlyMakesOneJob() throws Exception {
    String key = "order-" + UUID.randomUUID();
    String body = spec("idempotent");
    int n = 12;
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
          return submit(body, "Idempotency-Key", key);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    start.countDown();
    Set<String> locations = new HashSet<>();
    int created = 0;
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
      assertEquals(202, r.statusCode(), r.body());
      locations.add(r.headers().firstValue("Location").orElseThrow());
      if (r.headers().firstValue(JobRoutes.REPLAYED_HEADER).isEmpty()) created++;
    }
    assertEquals(1, locations.size(), locations.toString());
    assertEquals(1, created, "exactly one answer created the job");
    String id = locations.iterator().next().substring("/v1/jobs/".length());
    assertEquals(IdempotencyKeys.jobIdFor(key).value(), id);
    assertEquals(1, node.submittedEvents(id), "one JobSubmitted in the journal");

    HttpResponse<String> again = submit(body, "Idempotency-Key", key);
    assertEquals(202, again.statusCode());
    assertEquals("true", again.headers().firstValue(JobRoutes.REPLAYED_HEADER).orElse(""));
    assertEquals(1, node.submittedEvents(id));
  }

  @Test
  void sameIdempotencyKeyWithAnotherSpecIs422() throws Exception {
    String key = "k-" + UUID.randomUUID();
    assertEquals(202, submit(spec("first"), "Idempotency-Key", key).statusCode());
    assertProblem(submit(spec("second"), "Idempotency-Key", key), 422, "Idempotency-Key");
    assertProblem(submit(spec("first"), "Idempotency-Key", "k".repeat(256)), 400, "Idempotency-Key");
  }

  // ---------------------------------------------------------------- bad input, nothing persisted

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("unknown field", JobSpecReaderTest.simulated("\"gpus\":4"), 400, "gpus"),
        Arguments.of("class-name gadget", JobSpecReaderTest.simulated(
            "\"@class\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"ldap://127.0.0.1:1/x\""), 400, "@class"),
        Arguments.of("wrong type", JobSpecReaderTest.simulated("").replace("3600", "\"3600\""), 400, "workGpuSeconds"),
        Arguments.of("missing required", "{\"kind\":\"simulated\",\"workGpuSeconds\":1,\"powerWatts\":1,\"memoryGb\":1}",
            400, "name"),
        Arguments.of("negative watts", JobSpecReaderTest.simulated("").replace("30,", "-30,"), 400, "powerWatts"),
        Arguments.of("NaN", JobSpecReaderTest.simulated("").replace("30,", "NaN,"), 400, "powerWatts"),
        Arguments.of("Infinity", JobSpecReaderTest.simulated("").replace("3600", "1e999"), 400, "workGpuSeconds"),
        Arguments.of("absurd work", JobSpecReaderTest.simulated("").replace("3600", "2e9"), 400, "workGpuSeconds"),
        Arguments.of("absurd interval", JobSpecReaderTest.simulated(
            "\"checkpoint\":{\"intervalSeconds\":1e9,\"sizeBytes\":1}"), 400, "checkpoint.intervalSeconds"),
        Arguments.of("bad checkpoint size", JobSpecReaderTest.simulated(
            "\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":0}"), 400, "checkpoint.sizeBytes"),
        Arguments.of("bad enum", JobSpecReaderTest.simulated("").replace("simulated", "batch"), 400, "kind"),
        Arguments.of("process missing", JobSpecReaderTest.simulated("").replace("simulated", "process"), 400, "process"),
        Arguments.of("deep nesting", JobSpecReaderTest.simulated(
            "\"placement\":{\"tiles\":" + "[".repeat(30000) + "]".repeat(30000) + "}"), 400,
            "placement.tiles[0][0][0][0][0][0]"),
        Arguments.of("100000-deep nesting (over the body cap)", "{\"x\":" + "[".repeat(100000) + "]".repeat(100000) + "}",
            413, "body"),
        Arguments.of("not JSON", "name=x&kind=simulated", 400, "body"),
        Arguments.of("empty", "", 400, "body"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void refusesBadSubmissionsNamingTheFieldAndPersistsNothing(String description, String body, int status,
      String field) throws Exception {
    long rowsBefore = node.jobsInJournal();
    assertProblem(submit(body), status, field);
    Thread.sleep(100);
    assertEquals(rowsBefore, node.jobsInJournal(), description + ": nothing persisted");
  }

  @Test
  void refusesNonJsonContentTypeAndNineMegabyteBodies() throws Exception {
    long rowsBefore = node.jobsInJournal();
    HttpResponse<String> text = node.send(node.request("/v1/jobs").header("Content-Type", "text/plain")
        .header(AUTH[0], AUTH[1]).POST(HttpRequest.BodyPublishers.ofString(spec("t"))).build());
    assertProblem(text, 415, "Content-Type");
    int status = rawStatus("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
        + TOKEN + "\r\nContent-Length: " + (9 * 1024 * 1024) + "\r\n\r\n" + "{\"name\":\"" + "x".repeat(1000));
    assertEquals(413, status);
    assertEquals(rowsBefore, node.jobsInJournal());
  }

  @Test
  void slowBodyIs408AndPersistsNothing() throws Exception {
    long rowsBefore = node.jobsInJournal();
    int status = rawStatus("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
        + TOKEN + "\r\nContent-Length: 500\r\n\r\n{\"name\":");
    assertEquals(408, status);
    assertEquals(rowsBefore, node.jobsInJournal());
  }

  @Test
  void tooManyOrTooLargeHeadersAre431() throws Exception {
    StringBuilder many = new StringBuilder("GET /v1/jobs HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 100; i++) many.append("X-Filler-").append(i).append(": ").append(i).append("\r\n");
    assertEquals(431, rawStatus(many.append("\r\n").toString()));
    String large = "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
    assertEquals(431, rawStatus(large));
  }

  /** Sends {@code raw} on a plain socket and returns the status of the answer. */
  private static int rawStatus(String raw) throws Exception {
    int port = node.settings.http().port();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      String statusLine = reader.readLine();
      if (statusLine == null) throw new AssertionError("connection closed without an answer");
      String[] parts = statusLine.split(" ");
      return Integer.parseInt(parts[1]);
    }
  }

  // ---------------------------------------------------------------- authentication

  @Test
  void mutatingCallsNeedTheBearerToken() throws Exception {
    HttpResponse<String> none = node.post("/v1/jobs", spec("noauth"));
    assertProblem(none, 401, "Authorization");
    assertEquals("Bearer realm=\"soos\"", none.headers().firstValue("WWW-Authenticate").orElse(""));

    HttpResponse<String> wrong = node.post("/v1/jobs", spec("wrong"), "Authorization", "Bearer not-the-token-at-all");
    assertProblem(wrong, 401, "Authorization");
    String challenge = wrong.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer realm=\"soos\""), challenge);
    assertTrue(challenge.contains("error=\"invalid_token\""), challenge);

    assertProblem(node.post("/v1/jobs", spec("basic"), "Authorization", "Basic dXNlcjpwYXNz"), 401, "Authorization");
    assertProblem(node.post("/v1/jobs", spec("prefix"), "Authorization", "Bearer " + TOKEN.substring(0, 10)), 401,
        "Authorization");
    assertProblem(node.delete("/v1/jobs/" + UUID.randomUUID()), 401, "Authorization");

    HttpResponse<String> inQuery = node.post("/v1/jobs?access_token=" + TOKEN, spec("query"), AUTH);
    assertProblem(inQuery, 400, "access_token");
    assertProblem(node.get("/v1/jobs?access_token=" + TOKEN), 400, "access_token");
    assertProblem(node.post("/v1/jobs?access_token=" + TOKEN, spec("query-only")), 400, "access_token");

    assertEquals(200, node.get("/v1/jobs").statusCode(), "reads need no token");
    assertEquals(202, node.post("/v1/jobs", spec("lower"), "authorization", "bearer " + TOKEN).statusCode());
  }

  // ---------------------------------------------------------------- events, metrics, documents

  @Test
  void streamsLifecycleEventsAsServerSentEvents() throws Exception {
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream = ApiTestNode.CLIENT.send(
        node.request("/v1/events").timeout(Duration.ofSeconds(60)).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse(""));
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) lines.add(line);
      } catch (Exception closed) {
        // the test closes the stream
      }
    }, "sse-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      String id = ApiTestNode.json(submit(spec("watched"))).get("id").asText();
      assertEquals(200, node.delete("/v1/jobs/" + id, AUTH).statusCode());
      List<String> types = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      // One event = the lines up to a blank line: data:, event:, id: in any order.
      String event = null;
      String data = null;
      String eventId = null;
      while (!types.contains("cancelled") && System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) continue;
        if (line.startsWith("event:")) event = line.substring(6).strip();
        if (line.startsWith("data:")) data = line.substring(5).strip();
        if (line.startsWith("id:")) eventId = line.substring(3).strip();
        if (line.isEmpty() && data != null) {
          JsonNode json = ApiTestNode.JSON.readTree(data);
          if (id.equals(json.path("jobId").asText())) {
            assertEquals(event, json.get("type").asText(), data);
            assertEquals(eventId, json.get("offset").asText(), data);
            assertTrue(json.has("at") && json.has("state"), data);
            types.add(event);
          }
          event = null;
          data = null;
          eventId = null;
        }
      }
      assertEquals("submitted", types.get(0), types.toString());
      assertTrue(types.contains("cancelled"), types.toString());
    } finally {
      stream.body().close();
    }
  }

  @Test
  void eventStreamKeepsIdleConnectionsAliveAndFiltersByJob() throws Exception {
    HttpResponse<InputStream> stream = ApiTestNode.CLIENT.send(
        node.request("/v1/events?job=" + UUID.randomUUID()).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    try (InputStream in = stream.body()) {
      submit(spec("not-watched"));
      // Only keep-alives arrive for a job nobody submits: a few bytes within a few keep-alive intervals.
      CompletableFuture<byte[]> some = CompletableFuture.supplyAsync(() -> {
        try {
          return in.readNBytes(1);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] bytes = some.get(10, TimeUnit.SECONDS);
      assertEquals(1, bytes.length);
    }
    assertProblem(node.get("/v1/events?job=bad%20id"), 400, "job");
    assertProblem(node.get("/v1/events?since=1"), 400, "since");
  }

  @Test
  void metricsAreValidPrometheusTextWithJobsAndRequests() throws Exception {
    String id = ApiTestNode.json(submit(spec("metered"))).get("id").asText();
    node.awaitJson("/v1/jobs?limit=1000", page -> ids(page).contains(id));
    HttpResponse<String> response = node.get("/metrics");
    assertEquals(200, response.statusCode());
    String type = response.headers().firstValue("Content-Type").orElse("");
    assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
    Map<String, Double> samples = PrometheusText.parse(response.body());
    assertTrue(samples.get("soos_jobs{state=\"PENDING\"}") >= 1, response.body());
    assertTrue(samples.containsKey("soos_job_placements_total"), response.body());
    assertTrue(samples.containsKey("soos_job_lost_work_gpu_seconds_total"), response.body());
    assertTrue(samples.get("soos_http_requests_total{method=\"POST\",route=\"/v1/jobs\",status=\"202\"}") >= 1,
        response.body());
    assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("soos_http_request_duration_seconds_bucket{")),
        response.body());
  }

  @Test
  void servesTheOpenApiDocument() throws Exception {
    HttpResponse<String> doc = node.get("/v1/openapi.yaml");
    assertEquals(200, doc.statusCode());
    assertTrue(doc.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
    assertTrue(doc.body().startsWith("openapi: 3."), doc.body().substring(0, 40));
    assertNotEquals(-1, doc.body().indexOf("/v1/jobs/{id}:"));
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
    return ids;
  }

  private static JsonNode find(JsonNode page, String id) {
    for (JsonNode j : page.get("jobs")) if (id.equals(j.get("id").asText())) return j;
    throw new AssertionError(id + " not in " + page);
  }
}
