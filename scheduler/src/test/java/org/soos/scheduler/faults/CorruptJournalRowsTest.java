package org.soos.scheduler.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.http.ApiTestNode;
import org.soos.scheduler.http.JobApiTest;
import org.soos.scheduler.index.JobIndex;
import org.soos.scheduler.job.JobQuarantine;
import org.soos.scheduler.persistence.JournalSettings;
import org.soos.shared.id.JobId;

/**
 * Fault 8 of RELIABILITY.md, corrupt or foreign journal rows, on the real node and H2 journal: while
 * the node is down, one job's JobSubmitted payload is overwritten with garbage and another job gets an
 * extra row from a foreign writer (a copy of its submission under a new writer uuid). After the
 * restart both jobs answer 500 problem+json naming the job (GET and DELETE), each is replayed once
 * and quarantined (no restart loop), and every other job, old and new, keeps answering. The job index
 * reads past the garbled row (it quarantines that job): {@code GET /v1/jobs} lists every other job,
 * old and new, and {@code GET /v1/events} carries the events of a job submitted after the restart.
 */
public class CorruptJournalRowsTest {
  private ApiTestNode node;

  @AfterEach
  void stop() {
    if (node != null) node.close();
  }

  private String submit(String name) throws Exception {
    HttpResponse<String> r = node.post("/v1/jobs", JobApiTest.spec(name));
    assertEquals(202, r.statusCode(), r.body());
    return ApiTestNode.json(r).get("id").asText();
  }

  @Test
  void corruptAndForeignRowsQuarantineTheirJobsOnly() throws Exception {
    Path runDir = Files.createTempDirectory("soos-corrupt-journal");
    node = ApiTestNode.start(runDir, Map.of());
    String garbled = submit("garbled");
    String foreign = submit("foreign");
    List<String> healthy = new ArrayList<>();
    for (int i = 0; i < 3; i++) healthy.add(submit("healthy-" + i));
    for (String id : List.of(garbled, foreign)) assertEquals(200, node.get("/v1/jobs/" + id).statusCode());
    JournalSettings journal = node.settings().journal();
    node.close();
    node = null;

    String foreignWriter = UUID.randomUUID().toString();
    try (Connection c = DriverManager.getConnection(journal.url(), journal.user(), journal.password())) {
      try (PreparedStatement s = c.prepareStatement("UPDATE \"event_journal\" SET \"event_payload\" = ? "
          + "WHERE \"persistence_id\" = ? AND \"sequence_number\" = 1")) {
        s.setBytes(1, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x7f, 0x00, 0x13});
        s.setString(2, "Job|" + garbled);
        assertEquals(1, s.executeUpdate(), "no JobSubmitted row to garble");
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\", "
          + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", "
          + "\"event_ser_id\", \"event_ser_manifest\") SELECT FALSE, \"persistence_id\", "
          + "(SELECT MAX(\"sequence_number\") + 1 FROM \"event_journal\" WHERE \"persistence_id\" = ?), ?, ?, "
          + "\"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\" FROM \"event_journal\" "
          + "WHERE \"persistence_id\" = ? AND \"sequence_number\" = 1")) {
        s.setString(1, "Job|" + foreign);
        s.setString(2, foreignWriter);
        s.setLong(3, System.currentTimeMillis());
        s.setString(4, "Job|" + foreign);
        assertEquals(1, s.executeUpdate(), "no row written for the foreign writer");
      }
    }

    node = ApiTestNode.start(runDir, Map.of());
    for (String id : List.of(garbled, foreign)) {
      HttpResponse<String> r = awaitNot503("/v1/jobs/" + id);
      assertQuarantined(r, id);
      assertQuarantined(node.delete("/v1/jobs/" + id), id);
    }
    for (String id : healthy) {
      HttpResponse<String> r = node.get("/v1/jobs/" + id);
      assertEquals(200, r.statusCode(), "job " + id + " was affected by another job's rows: " + r.body());
      assertEquals("PENDING", ApiTestNode.json(r).get("state").asText());
    }
    String after = submit("after");
    assertEquals(200, node.get("/v1/jobs/" + after).statusCode());

    // The job index reads past the garbled row: the list has every other job, old and new, and the
    // event stream carries a job submitted now.
    List<String> listed = new ArrayList<>(healthy);
    listed.add(after);
    JsonNode page = node.awaitJson("/v1/jobs?limit=1000", p -> listedIds(p).containsAll(listed));
    assertTrue(!listedIds(page).contains(garbled), "the garbled job is listed: " + page);
    assertTrue(JobIndex.get(node.system()).table().quarantineReason(JobId.of(garbled)).isPresent(),
        "the job index did not quarantine the garbled job");
    assertStreamed(submitWatched());

    // No restart loop: past sharding's entity restart backoff (10 s) each bad job was replayed once.
    Thread.sleep(Duration.ofSeconds(12).toMillis());
    JobQuarantine quarantine = JobQuarantine.get(node.system());
    for (String id : List.of(garbled, foreign)) {
      assertEquals(1, quarantine.replayFailures(id), "job " + id + " was replayed again and again");
      assertQuarantined(node.get("/v1/jobs/" + id), id);
    }
    for (String id : healthy) assertEquals(0, quarantine.replayFailures(id));
    for (String id : healthy) assertEquals(200, node.get("/v1/jobs/" + id).statusCode());
  }

  private static List<String> listedIds(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
    return ids;
  }

  /** Opens GET /v1/events, then submits a job; the open stream and the new job's id. */
  private Map.Entry<HttpResponse<InputStream>, String> submitWatched() throws Exception {
    HttpResponse<InputStream> stream = ApiTestNode.CLIENT.send(
        node.request("/v1/events").timeout(Duration.ofSeconds(60)).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    return Map.entry(stream, submit("watched"));
  }

  /** The stream delivers a "submitted" event of the job (data lines are one JSON LifecycleEvent each). */
  private static void assertStreamed(Map.Entry<HttpResponse<InputStream>, String> watched) throws Exception {
    String id = watched.getValue();
    try (InputStream body = watched.getKey().body()) {
      CompletableFuture<String> submitted = CompletableFuture.supplyAsync(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!line.startsWith("data:")) continue;
            JsonNode event = ApiTestNode.JSON.readTree(line.substring(5).strip());
            if (id.equals(event.path("jobId").asText())) return event.path("type").asText();
          }
          return "end of stream";
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals("submitted", submitted.get(20, TimeUnit.SECONDS), "the event stream missed job " + id);
    }
  }

  /** GETs until the answer is not a 503 (the first ask may wait for the entity's failing replay). */
  private HttpResponse<String> awaitNot503(String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    HttpResponse<String> r;
    do {
      r = node.get(path);
      if (r.statusCode() != 503) return r;
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return r;
  }

  private static void assertQuarantined(HttpResponse<String> r, String id) throws Exception {
    assertEquals(500, r.statusCode(), "job " + id + " with a bad journal row answered: " + r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = ApiTestNode.json(r);
    assertEquals(500, problem.get("status").asInt());
    assertEquals("id", problem.path("field").asText(), r.body());
    String detail = problem.path("detail").asText();
    assertTrue(detail.contains(id) && detail.contains("quarantined"), "the problem does not name the job: " + detail);
  }
}
