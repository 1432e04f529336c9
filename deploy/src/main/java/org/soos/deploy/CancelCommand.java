package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soos cancel ID}: cancels a job ({@code DELETE /v1/jobs/{id}}); its Orin stops it. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Cancel a job.",
    description = {"Cancel the job (DELETE /v1/jobs/ID); the Orin running it is told to stop. A job that "
        + "already succeeded or failed cannot be cancelled. The token for a scheduler that requires one comes "
        + "from the environment variable SOOS_API_TOKEN."},
    footer = {"", "Examples:", "  soos cancel 0b5f9c1e-2a7d-4c0e-9a55-1f0b3c9d7e21 --reason 'wrong input data'"})
final class CancelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the job's history).")
  String reason;

  @Option(names = "--json", description = "Print the cancelled job as JSON instead of its id and state.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    JsonNode job = api.client().cancel(id, Optional.ofNullable(reason));
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? job.toPrettyString() : job.path("id").asText() + " " + job.path("state").asText());
    out.flush();
    return 0;
  }
}
