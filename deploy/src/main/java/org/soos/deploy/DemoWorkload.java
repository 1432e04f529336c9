package org.soos.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo workload of {@code soos up --demo}: every job spec ({@code *.json}) in the examples folder
 * ({@code deploy/examples}: a small checkpointable job, a big one, a non-migratable one, a high-priority
 * one and a 55 W checkpointable one that loads TILEs beyond what their batteries carry through an
 * eclipse, so that jobs move ahead of it), or of {@code --demo-jobs DIR}, submitted {@code copies} times
 * each once the constellation is up. Each
 * submission carries an idempotency key made of the run's name, the file and the copy number, so
 * submitting the demo twice into the same run creates nothing new.
 */
final class DemoWorkload {
  private DemoWorkload() {}

  /** {@code deploy/examples} of the SOOS folder ({@code -Dsoos.home}, else the working directory). */
  static Path defaultExamples() {
    String home = System.getProperty("soos.home");
    Path root = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
    return root.resolve("deploy").resolve("examples");
  }

  /** The job specs of {@code dir}, sorted by file name. */
  static List<Path> specs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IOException("no examples folder at " + dir);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
      s.forEach(files::add);
    }
    files.sort(null);
    if (files.isEmpty()) throw new IOException("no *.json job specs in " + dir);
    return files;
  }

  /**
   * Submits each spec {@code copies} times and prints one line per job.
   *
   * @param runTag names this run in the idempotency keys
   * @return the ids of the jobs
   * @throws IOException when the API refuses a spec or cannot be reached (the message says which file)
   */
  static List<String> submit(JobApiClient client, List<Path> specs, int copies, String runTag, PrintStream out)
      throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (Path spec : specs) {
      byte[] body = Files.readAllBytes(spec);
      String name = spec.getFileName().toString().replaceFirst("\\.json$", "");
      for (int copy = 1; copy <= copies; copy++) {
        String key = "demo-" + runTag + "-" + name + "-" + copy;
        try {
          JobApiClient.Submitted s = client.submit(body, Optional.of(key));
          ids.add(s.id());
          out.printf("  submitted %-22s #%d  %s%n", name, copy, s.id());
        } catch (JobApiClient.ApiException e) {
          throw new IOException("the scheduler refused " + spec + ": " + e.getMessage(), e);
        }
      }
    }
    return ids;
  }
}
