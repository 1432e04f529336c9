package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code soos drain TILE [--undo]}: drains a TILE ({@code POST /v1/tiles/{id}/drain}) or undrains it
 * ({@code DELETE}).
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Drain a TILE (or undrain it with --undo).",
    description = {"Drain the TILE (POST /v1/tiles/TILE/drain): it gets no new work, and its plane's coordinator "
        + "moves its checkpointable jobs to other TILEs (checkpoint, new epoch, transfer, resume; reason 'drain' in "
        + "each job's history). Jobs that cannot checkpoint are left to finish there. The drain is persisted and "
        + "survives a scheduler restart. --undo lifts it (DELETE). The token for a scheduler that requires one "
        + "comes from the environment variable SOOS_API_TOKEN."},
    footer = {"", "Examples:", "  soos drain p0-t3 --reason 'board swap'", "  soos drain p0-t3 --undo",
        "  soos drain --json p0-t3"})
final class DrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "TILE", description = "The TILE id, e.g. p0-t3.")
  String tileId;

  @Option(names = "--undo", description = "Undrain: the TILE takes new work again.")
  boolean undo;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (1-200 printable characters; drain only).")
  String reason;

  @Option(names = "--json", description = "Print the API's answer as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (undo && reason != null) {
      throw new ParameterException(spec.commandLine(), "--reason goes with a drain, not with --undo");
    }
    if (reason != null && (reason.isBlank() || reason.length() > 200)) {
      throw new ParameterException(spec.commandLine(), "--reason must be 1-200 printable characters");
    }
    JsonNode answer = api.client().drain(tileId, !undo, Optional.ofNullable(reason));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(answer.toPrettyString());
    } else {
      List<String> drained = new ArrayList<>();
      answer.path("drainedTiles").forEach(t -> drained.add(t.asText()));
      out.println(answer.path("tileId").asText() + " " + (answer.path("drained").asBoolean() ? "drained" : "not drained")
          + " (plane " + answer.path("planeId").asText() + "; drained: "
          + (drained.isEmpty() ? "none" : String.join(", ", drained)) + ")");
    }
    out.flush();
    return 0;
  }
}
