package org.soos.tile.power;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs an external command to completion (nvpmodel). Implementations are thread-safe. */
@FunctionalInterface
public interface CommandRunner {

  /**
   * @param exitCode the command's exit code
   * @param stdout what it printed on standard output
   * @param stderr what it printed on standard error
   */
  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code command} with standard input closed, waiting at most {@code timeout}.
   *
   * @throws IOException when it cannot be started, or did not finish in time (it is then killed)
   */
  Result run(List<String> command, Duration timeout) throws IOException;

  /** Runs real OS processes, found on the PATH of this JVM. */
  static CommandRunner system() {
    return SystemCommandRunner.INSTANCE;
  }

  /** Runs real OS processes, finding bare command names on {@code path} (a PATH value, ':'-separated). */
  static CommandRunner onPath(String path) {
    return new SystemCommandRunner(path);
  }
}
