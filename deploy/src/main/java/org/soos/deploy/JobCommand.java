package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soos job ID}: one job from {@code GET /v1/jobs/{id}}: state, placement, progress, history. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Show one job: state, epoch, placement, progress and history.",
    description = {"Ask the job itself (GET /v1/jobs/ID): the authoritative state, with its history of "
        + "placements, checkpoints and migrations and their reasons."},
    footer = {"", "Examples:", "  soos job 0b5f9c1e-2a7d-4c0e-9a55-1f0b3c9d7e21", "  soos job --json ID"})
final class JobCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "ID", description = "The job id (as printed by 'soos submit').")
  String id;

  @Option(names = "--json", description = "Print the job as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    JsonNode job = api.client().get(id);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? job.toPrettyString() + System.lineSeparator() : describe(job));
    out.flush();
    return 0;
  }

  /** A person's view of a job. */
  static String describe(JsonNode job) {
    StringBuilder s = new StringBuilder();
    JsonNode spec = job.path("spec");
    line(s, "id", job.path("id").asText());
    line(s, "name", spec.path("name").asText() + " (" + spec.path("kind").asText().toLowerCase(java.util.Locale.ROOT)
        + ", priority " + spec.path("priority").asText() + ")");
    line(s, "state", job.path("state").asText() + ", epoch " + job.path("epoch").asText());
    JsonNode p = job.path("placement");
    line(s, "placement", p.isMissingNode() || p.isNull() ? "-"
        : p.path("tileId").asText() + "/orin-" + p.path("slot").asText() + " (plane " + p.path("planeId").asText() + ")");
    JsonNode m = job.path("migratingTo");
    if (!m.isMissingNode() && !m.isNull()) {
      line(s, "migrating to", m.path("tileId").asText() + "/orin-" + m.path("slot").asText() + " (" + m.path("reason").asText() + ")");
    }
    line(s, "progress", String.format(java.util.Locale.ROOT, "%.0f%%  (%.1f of %.1f GPU-s; committed %.1f, lost %.1f)",
        100 * job.path("progressFraction").asDouble(), job.path("progressGpuSeconds").asDouble(),
        spec.path("workGpuSeconds").asDouble(), job.path("committedGpuSeconds").asDouble(),
        job.path("lostGpuSeconds").asDouble()));
    line(s, "migrations", job.path("migrations").asText());
    line(s, "submitted", job.path("submittedAt").asText() + " (simulated time)");
    s.append("history:").append(System.lineSeparator());
    for (JsonNode h : job.path("history")) {
      s.append(String.format("  %-30s  %-17s  epoch %-3s %s%n", h.path("at").asText(), h.path("event").asText(),
          h.path("epoch").asText(), h.path("detail").asText()));
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String label, String value) {
    s.append(String.format("%-13s %s%n", label + ":", value));
  }
}
