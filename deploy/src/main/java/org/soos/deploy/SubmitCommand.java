package org.soos.deploy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soos submit FILE}: sends a job spec (JSON) to {@code POST /v1/jobs} and prints the job id. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Submit a job (a JSON job spec) and print its id.",
    description = {
      "Send the job spec in FILE (or standard input for -) to the scheduler's POST /v1/jobs and print the "
          + "new job's id. The scheduler validates the spec and answers which field is wrong if any. "
          + "With --idempotency-key, repeating the command never creates a second job. The token for a "
          + "scheduler that requires one comes from the environment variable SOOS_API_TOKEN."
    },
    footer = {
      "",
      "Examples:",
      "  soos submit deploy/examples/small-checkpointable.json",
      "  soos submit --idempotency-key nightly-42 job.json",
      "  echo '{\"name\":\"x\",\"kind\":\"simulated\",\"workGpuSeconds\":600,\"powerWatts\":20,\"memoryGb\":4}' | soos submit -"
    })
final class SubmitCommand implements Callable<Integer> {
  /** Largest file sent (the API refuses bodies over 64 KiB anyway). */
  static final long MAX_FILE_BYTES = 1 << 20;

  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "FILE", description = "The job spec (JSON), or - for standard input.")
  String file;

  @Option(names = "--idempotency-key", paramLabel = "KEY",
      description = "Client key of this job: the same key always means the same job (1-255 printable ASCII).")
  String idempotencyKey;

  @Option(names = "--json", description = "Print the whole accepted job as JSON instead of its id.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (idempotencyKey != null && !idempotencyKey.matches("[\\x20-\\x7E]{1,255}")) {
      throw new ParameterException(spec.commandLine(), "--idempotency-key must be 1-255 printable ASCII characters");
    }
    JobApiClient client = api.client();
    byte[] body = read();
    JobApiClient.Submitted submitted = client.submit(body, Optional.ofNullable(idempotencyKey));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(submitted.job().toPrettyString());
    } else {
      out.println(submitted.id());
    }
    if (submitted.replayed()) {
      spec.commandLine().getErr().println("(already submitted with this idempotency key: the existing job)");
    }
    out.flush();
    return 0;
  }

  private byte[] read() throws IOException {
    if ("-".equals(file)) {
      byte[] in = System.in.readNBytes((int) MAX_FILE_BYTES + 1);
      if (in.length > MAX_FILE_BYTES) throw new ParameterException(spec.commandLine(), "standard input is larger than 1 MiB");
      return in;
    }
    Path path = Path.of(file);
    try {
      if (Files.isDirectory(path)) throw new ParameterException(spec.commandLine(), "FILE " + file + " is a directory");
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new ParameterException(spec.commandLine(), "FILE " + file + " is larger than 1 MiB");
      }
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), "FILE " + file + " does not exist");
    }
  }
}
