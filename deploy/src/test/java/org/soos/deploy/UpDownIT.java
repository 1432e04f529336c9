package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soos up} in its own JVM, as a person runs it in one terminal, and {@code soos status},
 * {@code soos tiles} and {@code soos down} from another: status and tiles see its TILEs, down stops
 * it and every JVM it started, and removes its run file.
 */
class UpDownIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Process up;

  @AfterEach
  void killLeftovers() throws IOException {
    if (up != null && up.isAlive()) {
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
    }
    Path log = dir.resolve("up.out");
    if (Files.exists(log)) {
      Path kept = Path.of("target", "failsafe-reports", "UpDownIT-up.out");
      Files.createDirectories(kept.getParent());
      Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  @Timeout(170)
  void statusAndTilesSeeARunningUpAndDownStopsIt() throws Exception {
    int http = FreePorts.block(1);
    int akka = FreePorts.block(2);
    int management = FreePorts.block(2);
    Path runFile = dir.resolve("soos-up.json");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", FreePorts.testClasspath(), SoosCli.class.getName(), "up",
        "--planes", "1", "--tiles-per-plane", "2", "--phasing", "0", "--tile-nodes", "1", "--heap", "384m",
        "--http-port", Integer.toString(http), "--akka-port", Integer.toString(akka),
        "--management-port", Integer.toString(management),
        "--run-dir", dir.resolve("run").toString(), "--run-file", runFile.toString()));
    up = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("up.out").toFile()).start();

    // Up, with its run file naming it, and both TILEs reporting.
    String url = "http://127.0.0.1:" + http;
    JsonNode status = null;
    CliRun last = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(up.isAlive(), () -> "soos up exited: " + output());
      if (Files.exists(runFile)) {
        CliRun run = CliRun.of("status", "--run-file", runFile.toString(), "--json");
        last = run;
        if (run.exitCode() == 0) {
          status = JSON.readTree(run.out());
          if (status.path("tiles").path("count").asInt() == 2) break;
        }
      }
      Thread.sleep(500);
    }
    CliRun lastStatus = last;
    assertTrue(status != null && status.path("tiles").path("count").asInt() == 2, () -> lastStatus + "\n" + output());
    assertEquals(url, status.path("url").asText(), "status finds the scheduler through the run file");
    assertEquals(up.pid(), status.path("run").path("pid").asLong());
    assertEquals(1, status.path("planes").size(), status.toString());

    CliRun tiles = CliRun.of("tiles", "--url", url, "--json");
    assertEquals(0, tiles.exitCode(), tiles.toString());
    JsonNode list = JSON.readTree(tiles.out());
    assertEquals(2, list.size(), tiles.toString());
    assertEquals("p0-t0", list.get(0).path("tileId").asText());
    CliRun table = CliRun.of("tiles", "--url", url);
    assertTrue(table.out().contains("p0-t0") && table.out().contains("p0-t1"), table.toString());

    // Down: the up process and every JVM it started stop; the run file goes.
    List<ProcessHandle> jvms = up.descendants().toList();
    assertEquals(2, jvms.size(), "a scheduler and a tile-node JVM: " + jvms);
    CliRun down = CliRun.of("down", "--run-file", runFile.toString(), "--timeout", "90");
    assertEquals(0, down.exitCode(), down + "\n" + output());
    assertTrue(down.out().contains("stopped in"), down.toString());
    assertTrue(up.waitFor(10, TimeUnit.SECONDS), "soos up exited");
    for (ProcessHandle jvm : jvms) {
      assertFalse(jvm.isAlive(), "JVM " + jvm.pid() + " stopped");
    }
    assertFalse(Files.exists(runFile), "run file removed");
    assertTrue(output().contains("all stopped"), output());

    // Nothing left to stop.
    CliRun again = CliRun.of("down", "--run-file", runFile.toString());
    assertEquals(1, again.exitCode(), again.toString());
  }

  private String output() {
    try {
      return Files.readString(dir.resolve("up.out"));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
