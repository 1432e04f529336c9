package org.soos.scheduler.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.soos.scheduler.http.ApiTestNode;
import org.soos.scheduler.http.JobApiTest;

/**
 * Jobs accepted over HTTP survive the scheduler: submit and cancel through the API, terminate the
 * ActorSystem, start a new one on the same journal (H2 file, or a PostgreSQL schema), and every job
 * answers again with the same state and spec, from its entity and from the rebuilt job index.
 */
class JobPersistenceTest {
  private static final int JOBS = 6;

  @ParameterizedTest
  @EnumSource(JournalSettings.Kind.class)
  void everyAcceptedJobIsThereAfterARestart(JournalSettings.Kind kind) throws Exception {
    Path runDir = Files.createTempDirectory("soos-job-restart-" + kind.configName());
    Map<String, Object> extra = new HashMap<>();
    extra.put("soos.journal", kind.configName());
    Optional<PostgresTestDatabase> postgres = Optional.empty();
    if (kind == JournalSettings.Kind.POSTGRES) {
      postgres = PostgresTestDatabase.create();
      Assumptions.assumeTrue(postgres.isPresent(), "no PostgreSQL server answers at "
          + PostgresTestDatabase.SERVER_URL + ": PostgreSQL persistence test skipped");
      extra.put("akka-persistence-jdbc.shared-databases.postgres.db.url", postgres.get().url);
      extra.put("akka-persistence-jdbc.shared-databases.postgres.db.user", postgres.get().user);
      extra.put("akka-persistence-jdbc.shared-databases.postgres.db.password", "");
    }
    try {
      Map<String, JsonNode> before = new LinkedHashMap<>();
      long rows;
      try (ApiTestNode first = ApiTestNode.start(runDir, extra)) {
        for (int i = 0; i < JOBS; i++) {
          String spec = JobApiTest.spec("durable-" + i);
          HttpResponse<String> accepted = i % 2 == 0
              ? first.post("/v1/jobs", spec, "Idempotency-Key", "durable-" + i + "-" + kind)
              : first.post("/v1/jobs", spec);
          assertEquals(202, accepted.statusCode(), accepted.body());
          String id = ApiTestNode.json(accepted).get("id").asText();
          before.put(id, null);
        }
        List<String> ids = new ArrayList<>(before.keySet());
        assertEquals(200, first.delete("/v1/jobs/" + ids.get(1) + "?reason=restart-test").statusCode());
        assertEquals(200, first.delete("/v1/jobs/" + ids.get(4)).statusCode());
        for (String id : ids) before.put(id, ApiTestNode.json(first.get("/v1/jobs/" + id)));
        rows = first.jobsInJournal();
        assertEquals(JOBS, rows, "every accepted job is in the journal");
      }

      try (ApiTestNode second = ApiTestNode.start(runDir, extra)) {
        assertEquals(rows, second.jobsInJournal(), "the same jobs");
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
          HttpResponse<String> response = second.get("/v1/jobs/" + e.getKey());
          assertEquals(200, response.statusCode(), response.body());
          JsonNode after = ApiTestNode.json(response);
          assertEquals(e.getValue().get("state"), after.get("state"), e.getKey());
          assertEquals(e.getValue().get("spec"), after.get("spec"), e.getKey());
          assertEquals(e.getValue().get("submittedAt"), after.get("submittedAt"), e.getKey());
          assertEquals(e.getValue().get("epoch"), after.get("epoch"), e.getKey());
        }
        JsonNode listed = second.awaitJson("/v1/jobs?limit=1000", page -> page.get("count").asInt() == JOBS);
        for (JsonNode summary : listed.get("jobs")) {
          JsonNode truth = before.get(summary.get("id").asText());
          assertEquals(truth.get("state").asText(), summary.get("state").asText(), summary.toString());
        }
        // A repeated submission with an Idempotency-Key used before the restart is the same job.
        String firstId = before.keySet().iterator().next();
        HttpResponse<String> again = second.post("/v1/jobs", JobApiTest.spec("durable-0"), "Idempotency-Key",
            "durable-0-" + kind);
        assertEquals(202, again.statusCode());
        assertEquals("/v1/jobs/" + firstId, again.headers().firstValue("Location").orElse(""));
        assertEquals(1, second.submittedEvents(firstId));
      }
    } finally {
      if (postgres.isPresent()) postgres.get().close();
    }
  }
}
