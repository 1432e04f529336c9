package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soos jobs}: lists jobs from {@code GET /v1/jobs}, as a table or JSON. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "List jobs with their state, epoch and placement.",
    description = {
      "List jobs in submission order from the scheduler's job index (GET /v1/jobs). The list trails the "
          + "jobs themselves by a fraction of a second; 'soos job ID' asks the job directly."
    },
    footer = {
      "",
      "Examples:",
      "  soos jobs",
      "  soos jobs --state RUNNING,MIGRATING",
      "  soos jobs --plane p1 --json"
    })
final class JobsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Option(names = "--state", paramLabel = "S[,S...]",
      description = "Only jobs in these states: PENDING PLACED RUNNING CHECKPOINTING MIGRATING SUCCEEDED FAILED CANCELLED.")
  String state;

  @Option(names = "--plane", paramLabel = "PLANE", description = "Only jobs on (or queued at) this plane.")
  String plane;

  @Option(names = "--tile", paramLabel = "TILE", description = "Only jobs on this TILE.")
  String tile;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
      description = "At most N jobs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the jobs as one JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (limit < 1 || limit > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--limit must be 1..1000000, got: " + limit);
    }
    JobApiClient client = api.client();
    ArrayNode jobs = JSON.createArrayNode();
    String cursor = null;
    while (jobs.size() < limit) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("state", state);
      query.put("plane", plane);
      query.put("tile", tile);
      query.put("limit", Integer.toString(Math.min(1000, limit - jobs.size())));
      query.put("cursor", cursor);
      JsonNode page = client.list(query);
      page.path("jobs").forEach(jobs::add);
      JsonNode next = page.get("nextCursor");
      if (next == null || next.isNull()) break;
      cursor = next.asText();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(jobs.toPrettyString());
    } else {
      out.print(table(jobs));
    }
    out.flush();
    return 0;
  }

  /** The jobs as an aligned text table (a header line, one line per job). */
  static String table(ArrayNode jobs) {
    String format = "%-36s  %-13s  %5s  %4s  %-8s  %-12s  %-20s  %s%n";
    StringBuilder s = new StringBuilder(String.format(format, "ID", "STATE", "EPOCH", "PRIO", "PLANE", "TILE",
        "SUBMITTED (SIM)", "NAME"));
    for (JsonNode j : jobs) {
      s.append(String.format(format, j.path("id").asText(), j.path("state").asText(), j.path("epoch").asText(),
          j.path("priority").asText(), text(j, "planeId"), text(j, "tileId"),
          abbreviate(j.path("submittedAt").asText(), 20), j.path("name").asText()));
    }
    if (jobs.isEmpty()) s.append("(no jobs)").append(System.lineSeparator());
    return s.toString();
  }

  private static String text(JsonNode j, String field) {
    return j.hasNonNull(field) ? j.get(field).asText() : "-";
  }

  private static String abbreviate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n);
  }
}
