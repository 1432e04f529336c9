package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS = List.of("harvestedWh", "usefulWorkWh", "usefulWorkGpuHours",
      "lostWorkGpuHours", "jobsSubmitted", "jobsCompleted", "jobsLost", "deadlineMissPercent", "migrations",
      "migrationBytes", "thermalViolationSeconds", "brownouts", "slowdownP50", "slowdownP95");

  @Test
  void helpListsTheOptionsAndTheShippedScenarios() {
    CliRun run = CliRun.of("sim", "--help");
    assertEquals(0, run.exitCode(), run.toString());
    for (String text : List.of("--scenario", "--policy", "--out", "--tiles", "walker-24h", "dawn-dusk-24h",
        "eclipse-season", "static-binpack", "reactive", "soos", "bound")) {
      assertTrue(run.out().contains(text), "help lacks " + text + ":\n" + run.out());
    }
    assertTrue(CliRun.of("help").out().contains("sim"), "soos help lists sim");
  }

  @Test
  void runsATinyScenarioAndWritesTheSummaryWithExactlyTheDocumentedFields(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("sim", "--scenario", "walker-24h", "--tiles", "8", "--hours", "1", "--out", out.toString(),
        "--threads", "2", "--quiet");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode summary = JSON.readTree(Files.readString(out.resolve("summary.json")));
    assertEquals(List.of("policies", "ratios"), names(summary));
    assertEquals(List.of("static-binpack", "reactive", "soos", "bound"), names(summary.get("policies")));
    for (JsonNode p : summary.get("policies")) assertEquals(FIELDS, names(p));
    assertEquals(List.of("soosOverStaticBinpack", "soosOverReactive", "soosOverBound"), names(summary.get("ratios")));
    for (String f : List.of("static-binpack.jsonl", "reactive.jsonl", "soos.jsonl", "bound.jsonl", "run.json",
        "power.png", "tiles.png", "ring.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertTrue(run.out().contains("soos / bound"), run.out());
    for (String line : run.out().split("\n")) {
      if (line.startsWith("{")) assertEquals("sim", JSON.readTree(line).get("bench").asText());
    }
  }

  @Test
  void rejectsAnUnknownPolicyOrScenarioAsAUsageError(@TempDir Path dir) {
    CliRun policy = CliRun.of("sim", "--scenario", "walker-24h", "--policy", "soos,fifo", "--out", dir.toString());
    assertEquals(SoosCli.EXIT_USAGE, policy.exitCode(), policy.toString());
    assertTrue(policy.err().contains("unknown policy 'fifo'"), policy.err());
    CliRun scenario = CliRun.of("sim", "--scenario", "nowhere-24h", "--out", dir.toString());
    assertEquals(SoosCli.EXIT_USAGE, scenario.exitCode(), scenario.toString());
    assertTrue(scenario.err().contains("no shipped scenario named 'nowhere-24h'"), scenario.err());
    CliRun missing = CliRun.of("sim");
    assertEquals(SoosCli.EXIT_USAGE, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("--scenario"), missing.err());
  }

  private static List<String> names(JsonNode n) {
    List<String> l = new ArrayList<>();
    n.fieldNames().forEachRemaining(l::add);
    return l;
  }
}
