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
 * The demo workload of {@code soos up --demo}: every job spec ({@code *.json}) in the demo folder, submitted
 * {@code copies} times each once the constellation is up. The default folder,
 * {@code deploy/examples/eclipse-demo}, holds one checkpointable 60 W job of three GPU-hours: a TILE runs three
 * of them through an eclipse on its battery but not four, and the default number of copies
 * ({@link #defaultCopies}) fills 7 in 8 of the constellation's Orins, so that in every plane some TILEs carry
 * four and some three. Ahead of its eclipse a TILE with four moves one to a TILE of its plane that has a
 * free Orin and just left the shadow, which in turn hands one on before its own eclipse: a person watching
 * sees jobs placed, running, moving ahead of the shadow (reason {@code eclipse-energy}) and completing.
 * {@code --demo-jobs DIR} submits the specs of another folder ({@code deploy/examples} holds five different
 * ones: small, big, non-migratable, high priority). Each submission carries an idempotency key made of the
 * run's name, the file and the copy number, so submitting the demo twice into the same run creates nothing
 * new.
 */
final class DemoWorkload {
  /** The share of the constellation's Orins the default demo fills: 7 in 8. */
  static final double DEFAULT_FILL = 7.0 / 8.0;

  private DemoWorkload() {}

  /** {@code deploy/examples/eclipse-demo} of the SOOS folder ({@code -Dsoos.home}, else the working directory). */
  static Path defaultExamples() {
    String home = System.getProperty("soos.home");
    Path root = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
    return root.resolve("deploy").resolve("examples").resolve("eclipse-demo");
  }

  /**
   * Copies of each of {@code specs} job specs that fill {@link #DEFAULT_FILL} of {@code orins} Orins (rounded
   * down, at least one, at most {@code max}).
   */
  static int defaultCopies(int orins, int specs, int max) {
    if (specs < 1) throw new IllegalArgumentException("specs must be >= 1, got " + specs);
    int copies = (int) Math.floor(orins * DEFAULT_FILL / specs);
    return Math.max(1, Math.min(max, copies));
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
