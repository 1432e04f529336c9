package org.soos.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HistoryCheckerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A history from "event:epoch@second" steps; the instant is 2026-03-20T00:00:00Z + second. */
  private static ArrayNode history(String... steps) {
    ArrayNode out = JSON.createArrayNode();
    for (String step : steps) {
      String[] eventAndRest = step.split(":");
      String[] epochAndAt = eventAndRest[1].split("@");
      ObjectNode entry = out.addObject();
      entry.put("at", java.time.Instant.parse("2026-03-20T00:00:00Z").plusSeconds(Long.parseLong(epochAndAt[1])).toString());
      entry.put("event", eventAndRest[0]);
      entry.put("epoch", Long.parseLong(epochAndAt[0]));
      entry.put("detail", "");
    }
    return out;
  }

  private static JsonNode view(String state, ArrayNode history) {
    ObjectNode v = JSON.createObjectNode();
    v.put("state", state);
    v.set("history", history);
    return v;
  }

  static Stream<Arguments> histories() {
    return Stream.of(
        Arguments.of("straight run", history("submitted:0@0", "queued:0@0", "placed:1@1", "running:1@2",
            "checkpoint:1@5", "succeeded:1@9"), List.of()),
        Arguments.of("migration", history("submitted:0@0", "placed:1@1", "running:1@2", "migration-started:1@5",
            "checkpoint:1@6", "source-released:1@6", "placed:2@8", "running:2@8", "succeeded:2@20"), List.of()),
        Arguments.of("node loss then requeue", history("submitted:0@0", "placed:1@1", "running:1@2", "requeued:1@30",
            "placed:2@31", "running:2@32", "succeeded:2@40"), List.of()),
        Arguments.of("released then requeued while migrating", history("submitted:0@0", "placed:1@1",
            "migration-started:1@2", "source-released:1@3", "requeued:1@4", "placed:2@5", "succeeded:2@9"), List.of()),
        Arguments.of("second placement while the first is open", history("submitted:0@0", "placed:1@1",
            "running:1@2", "placed:2@3", "succeeded:2@9"), List.of("still open")),
        Arguments.of("progress from an old epoch", history("submitted:0@0", "placed:1@1", "requeued:1@2",
            "placed:2@3", "checkpoint:1@4", "succeeded:2@9"), List.of("outside its placement")),
        Arguments.of("new epoch starts before the old one closed", history("submitted:0@0", "placed:1@1",
            "requeued:1@10", "placed:2@5", "succeeded:2@20"), List.of("before the previous epoch closed")),
        Arguments.of("epoch reused", history("submitted:0@0", "placed:1@1", "requeued:1@2", "placed:1@3",
            "succeeded:1@9"), List.of("does not increase")),
        Arguments.of("truncated", history("checkpoint:4@100", "succeeded:4@101"), List.of("truncated")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void findsOverlappingOrUnfencedEpochs(String name, ArrayNode history, List<String> expectedProblems) {
    List<String> problems = HistoryChecker.epochProblems(history);
    assertEquals(expectedProblems.size(), problems.size(), name + ": " + problems);
    for (int i = 0; i < expectedProblems.size(); i++) {
      assertTrue(problems.get(i).contains(expectedProblems.get(i)), name + ": " + problems);
    }
  }

  @Test
  void reportsLostJobsAndUnexpectedStates() {
    Map<String, JsonNode> views = new LinkedHashMap<>();
    views.put("a", view("SUCCEEDED", history("submitted:0@0", "placed:1@1", "succeeded:1@2")));
    views.put("b", view("RUNNING", history("submitted:0@0", "placed:1@1", "running:1@2")));
    HistoryChecker.Report report = HistoryChecker.check(List.of("a", "b", "c"), views, Set.of("SUCCEEDED"));
    assertFalse(report.ok());
    assertEquals(List.of("c"), report.lost());
    assertEquals(Map.of("b", "RUNNING"), report.unexpectedStates());
    assertTrue(report.violations().isEmpty(), report.describe());

    assertTrue(HistoryChecker.check(List.of("a"), views, Set.of("SUCCEEDED")).ok());
  }
}
