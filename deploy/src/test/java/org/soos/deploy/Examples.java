package org.soos.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shipped job specs, {@code deploy/examples}, wherever the tests run (the module or the repository root). */
final class Examples {
  private Examples() {}

  /** {@code deploy/examples}, or its sub-folder {@code sub} (e.g. {@code eclipse-demo}). */
  static Path folder(String... sub) {
    Path here = Path.of("").toAbsolutePath();
    Path dir = Files.isDirectory(here.resolve("examples")) ? here.resolve("examples")
        : here.resolve("deploy").resolve("examples");
    for (String s : sub) dir = dir.resolve(s);
    return dir;
  }
}
