package org.soos.tile.power;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A board's power modes through NVIDIA's {@code nvpmodel} tool: the table from {@code etc/nvpmodel.conf}
 * under the sysfs root, the mode in force from {@code nvpmodel -q} (or, when the tool cannot be run, from
 * {@code var/lib/nvpmodel/status}), and mode changes with {@code nvpmodel -m N}. Blocking: call it off
 * actor threads or accept the wait (nvpmodel takes tens of milliseconds). Thread-safe.
 */
public final class NvpModel {
  /** How long one nvpmodel call may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Path root;
  private final String executable;
  private final CommandRunner runner;

  /**
   * @param root sysfs root ({@code /} on a board)
   * @param executable the nvpmodel command ({@code nvpmodel}: found on the PATH)
   * @param runner runs it
   */
  public NvpModel(Path root, String executable, CommandRunner runner) {
    if (root == null) throw new IllegalArgumentException("root is required");
    if (executable == null || executable.isBlank()) throw new IllegalArgumentException("executable is required");
    if (runner == null) throw new IllegalArgumentException("runner is required");
    this.root = root;
    this.executable = executable;
    this.runner = runner;
  }

  /** The mode table, if the root has an {@code etc/nvpmodel.conf}. */
  public Optional<NvpModelConf> table() {
    Path conf = root.resolve("etc/nvpmodel.conf");
    if (!Files.isRegularFile(conf)) return Optional.empty();
    try {
      return Optional.of(NvpModelConf.parse(Files.readString(conf, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The mode in force, asking {@code nvpmodel -q}.
   *
   * @throws IOException when nvpmodel cannot be run, fails or prints something else
   */
  public NvpModelStatus query() throws IOException {
    CommandRunner.Result r = runner.run(List.of(executable, "-q"), TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IOException(executable + " -q exited with " + r.exitCode() + ": " + r.stderr().strip());
    }
    try {
      return NvpModelStatus.parseQuery(r.stdout()).named(table().orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The mode nvpmodel last recorded in {@code var/lib/nvpmodel/status}, named from the table. */
  public Optional<NvpModelStatus> statusFile() {
    Path status = root.resolve("var/lib/nvpmodel/status");
    try {
      return NvpModelStatus.parseStatusFile(Files.readString(status, StandardCharsets.UTF_8))
          .map(s -> s.named(table().orElse(null)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@link #query()}, else {@link #statusFile()}, else empty. */
  public Optional<NvpModelStatus> current() {
    try {
      return Optional.of(query());
    } catch (IOException e) {
      return statusFile();
    }
  }

  /**
   * Sets mode {@code id} with {@code nvpmodel -m id} and checks with {@code nvpmodel -q} that it is in force.
   *
   * @throws IllegalArgumentException when the table exists and has no mode {@code id}
   * @throws IOException when nvpmodel fails, or the mode in force afterwards is another one
   */
  public NvpModelStatus set(int id) throws IOException {
    Optional<NvpModelConf> table = table();
    if (table.isPresent() && table.get().mode(id).isEmpty()) {
      throw new IllegalArgumentException("mode " + id + " is not in " + root.resolve("etc/nvpmodel.conf") + " (modes "
          + table.get().modes().stream().map(m -> m.id() + "=" + m.name()).toList() + ")");
    }
    CommandRunner.Result r = runner.run(List.of(executable, "-m", Integer.toString(id)), TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IOException(executable + " -m " + id + " exited with " + r.exitCode() + ": "
          + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
    }
    NvpModelStatus now = query();
    if (now.id() != id) {
      throw new IOException(executable + " -m " + id + " left mode " + now.id() + " (" + now.name() + ") in force"
          + (r.stdout().contains("REBOOT") || r.stdout().contains("Reboot") ? ": the board needs a reboot for this mode" : ""));
    }
    return now;
  }
}
