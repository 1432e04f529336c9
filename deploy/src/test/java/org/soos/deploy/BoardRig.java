package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared setup of the board-mode ITs: tile-node JVMs on the Jetson fixture sysfs trees with a fake
 * nvpmodel, and the files they leave (checkpoints with their sealed SHA-256, job output).
 */
final class BoardRig {
  static final Path FIXTURES = Path.of("..", "tile-node", "src", "test", "resources", "jetson").toAbsolutePath().normalize();
  /** An AGX Orin 64GB devkit on JetPack 6. */
  static final Path AGX_ORIN = FIXTURES.resolve("agx-orin-jp6");
  /** An Orin NX 16GB on JetPack 5. */
  static final Path ORIN_NX = FIXTURES.resolve("orin-nx-jp5");
  /** deploy/examples/process/sum-of-squares.sh. */
  static final Path SCRIPT = Path.of("examples", "process", "sum-of-squares.sh").toAbsolutePath();

  private BoardRig() {}

  /** sum-of-squares.sh's answer for {@code steps}: 1^2 + ... + steps^2. */
  static long sumOfSquares(long steps) {
    return steps * (steps + 1) * (2 * steps + 1) / 6;
  }

  /** An empty run folder {@code target/<name>}. */
  static Path freshRunDir(String name) throws IOException {
    Path run = Path.of("target", name).toAbsolutePath();
    deleteTree(run);
    return Files.createDirectories(run);
  }

  /**
   * Starts a board-mode tile-node JVM, Orin slot 0 of TILE {@code tile} on the board of {@code sysfs}, always
   * sunlit, with measured power; its log is {@code run/node-<name>.log}.
   *
   * @param extra further {@code -D} settings (they win over the ones here)
   */
  static Process startNode(String name, int seedPort, int port, Instant anchor, String tile, Path sysfs, Path work,
      Path nvpmodel, Path run, Map<String, String> extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", FreePorts.testClasspath()));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    p.put("akka.remote.artery.canonical.port", Integer.toString(port));
    p.put("akka.cluster.seed-nodes.0", "akka://soos@127.0.0.1:" + seedPort);
    p.put("soos.clock.sim-start", anchor.toString());
    p.put("soos.clock.wall-anchor-epoch-millis", Long.toString(anchor.toEpochMilli()));
    p.put("soos.clock.warp", "1");
    p.put("soos.tile.report-interval", "1s");
    p.put("soos.tile-node.board.enabled", "true");
    p.put("soos.tile-node.board.tile", tile);
    p.put("soos.tile-node.board.slot", "0");
    p.put("soos.tile-node.board.sysfs-root", sysfs.toString());
    p.put("soos.tile-node.board.nvpmodel", nvpmodel.toString());
    p.put("soos.tile-node.board.orbit", "ground");
    p.put("soos.tile-node.board.power", "measured");
    p.put("soos.tile-node.board.work-dir", work.toString());
    p.put("soos.tile-node.board.process.checkpoint-timeout", "10s");
    p.put("soos.tile-node.board.process.transfer-timeout", "60s");
    p.put("soos.parent-pid", Long.toString(ProcessHandle.current().pid()));
    p.putAll(extra);
    p.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("org.soos.tile.Main");
    Path log = run.resolve("node-" + name + ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  /** A fake nvpmodel in {@code dir}: records calls in {@code calls.log}, keeps the mode in a file, answers -q. */
  static Path fakeNvpmodel(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path exe = dir.resolve("nvpmodel");
    Files.writeString(exe, String.join("\n",
        "#!/usr/bin/env bash",
        "here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"",
        "echo \"$*\" >> \"$here/calls.log\"",
        "case \"$1\" in",
        "  -q) echo \"NV Power Mode: MODE_$(cat \"$here/mode\" 2>/dev/null || echo 0)\"; cat \"$here/mode\" 2>/dev/null || echo 0 ;;",
        "  -m) echo \"$2\" > \"$here/mode\" ;;",
        "esac", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return exe;
  }

  /** The {@code answer N} line of sum-of-squares.sh's output. */
  static long answer(String output) {
    Matcher m = Pattern.compile("answer (\\d+)").matcher(output);
    assertTrue(m.find(), "no answer in:\n" + output);
    return Long.parseLong(m.group(1));
  }

  static Properties properties(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(Files.readAllBytes(file));
    return HexFormat.of().formatHex(sha.digest());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
