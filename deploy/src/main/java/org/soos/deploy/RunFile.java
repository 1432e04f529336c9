package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What a running {@code soos up} leaves for {@code soos down} and {@code soos status}: its process id,
 * run folder and URLs, as a small JSON file ({@value #FILE_NAME} in the {@code run} folder of the SOOS
 * home unless {@code --run-file} says otherwise). {@code up} writes it when it starts and deletes it
 * when it has stopped every JVM; a file left behind by an {@code up} that was killed outright names a
 * process that no longer runs, and {@code down} removes it.
 *
 * @param pid process id of the {@code soos up} JVM
 * @param runDir the constellation's run folder (logs, journal)
 * @param url the scheduler's HTTP API, e.g. {@code http://127.0.0.1:8080}
 * @param managementUrl Akka Management's cluster members URL
 * @param startedAt wall-clock instant {@code up} started
 * @param processStartedAt the operating system's start instant of process {@code pid}: a process with the
 *     same pid that started at another instant is another program that reused the pid; null when unknown
 */
record RunFile(long pid, Path runDir, String url, String managementUrl, Instant startedAt, Instant processStartedAt) {
  static final String FILE_NAME = "soos-up.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The default location: {@code <soos.home>/run/soos-up.json} (the working folder without soos.home). */
  /** The run file of this process. */
  static RunFile ofThisProcess(Path runDir, String url, String managementUrl, Instant startedAt) {
    ProcessHandle self = ProcessHandle.current();
    return new RunFile(self.pid(), runDir, url, managementUrl, startedAt, self.info().startInstant().orElse(null));
  }

  static Path defaultPath() {
    String home = System.getProperty("soos.home");
    Path root = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
    return root.resolve("run").resolve(FILE_NAME);
  }

  /** Writes this file atomically (a reader never sees half of it). */
  void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, toJson().toPrettyString() + System.lineSeparator());
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("pid", pid);
    o.put("runDir", runDir.toString());
    o.put("url", url);
    o.put("managementUrl", managementUrl);
    o.put("startedAt", startedAt.toString());
    if (processStartedAt != null) o.put("processStartedAt", processStartedAt.toString());
    return o;
  }

  /**
   * The run file at {@code file}, or empty when there is none.
   *
   * @throws IOException when it exists but cannot be read or is not a run file (the message names it)
   */
  static Optional<RunFile> read(Path file) throws IOException {
    if (!Files.exists(file)) return Optional.empty();
    try {
      JsonNode o = JSON.readTree(file.toFile());
      long pid = o.path("pid").asLong(-1);
      if (pid <= 0 || !o.path("url").isTextual() || !o.path("runDir").isTextual()) {
        throw new IOException("not a soos run file (needs pid, url, runDir)");
      }
      return Optional.of(new RunFile(pid, Path.of(o.path("runDir").asText()), o.path("url").asText(),
          o.path("managementUrl").asText(""), Instant.parse(o.path("startedAt").asText(Instant.EPOCH.toString())),
          o.path("processStartedAt").isTextual() ? Instant.parse(o.path("processStartedAt").asText()) : null));
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read the run file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code soos up} process, when it still runs: alive, and started when the run file says (a pid
   * reused by another program does not count; start instants have the kernel's tick resolution).
   */
  Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> processStartedAt == null
        || p.info().startInstant().map(s -> java.time.Duration.between(s, processStartedAt).abs().toMillis() < 1000).orElse(true));
  }
}
