package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soos down} when there is nothing (left) to stop, with real OS processes. Stopping a real
 * {@code soos up} is {@code UpDownIT}.
 */
class DownCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void withoutARunFileThereIsNothingToStop() throws Exception {
    Path file = dir.resolve("soos-up.json");
    CliRun run = CliRun.of("down", "--run-file", file.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("no running constellation: no run file at " + file), run.toString());

    CliRun json = CliRun.of("down", "--run-file", file.toString(), "--json");
    assertEquals(1, json.exitCode(), json.toString());
    assertEquals("none", JSON.readTree(json.out()).path("outcome").asText(), json.toString());
  }

  @Test
  void aRunFileOfAnExitedProcessIsRemoved() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    Path file = dir.resolve("soos-up.json");
    new RunFile(gone.pid(), dir, "http://127.0.0.1:1", "", Instant.now(), null).write(file);

    CliRun run = CliRun.of("down", "--run-file", file.toString(), "--json");
    assertEquals(1, run.exitCode(), run.toString());
    JsonNode out = JSON.readTree(run.out());
    assertEquals("not-running", out.path("outcome").asText(), run.toString());
    assertEquals(gone.pid(), out.path("run").path("pid").asLong());
    assertFalse(Files.exists(file), "the stale run file is removed");
  }

  @Test
  void aPidReusedByAnotherProgramIsNeverSignalled() throws Exception {
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      // The run file's process had this pid but started an hour before this one.
      Instant started = other.info().startInstant().orElseThrow();
      Path file = dir.resolve("soos-up.json");
      new RunFile(other.pid(), dir, "http://127.0.0.1:1", "", Instant.now(), started.minusSeconds(3600)).write(file);
      assertTrue(new RunFile(other.pid(), dir, "", "", Instant.now(), started).process().isPresent(), "same start: the same process");
      CliRun run = CliRun.of("down", "--run-file", file.toString());
      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(run.err().contains("is not running any more"), run.toString());
      assertFalse(other.waitFor(1, TimeUnit.SECONDS), "sleep was left alone");
      assertFalse(Files.exists(file));
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void aRunFileThatIsNotOneIsAFailureNamingIt() throws Exception {
    Path file = dir.resolve("soos-up.json");
    Files.writeString(file, "{\"pid\": \"x\"}");
    CliRun run = CliRun.of("down", "--run-file", file.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("cannot read the run file " + file), run.toString());
    assertTrue(Files.exists(file), "an unreadable file is left for a person to look at");
  }

  @Test
  void runFileRoundTrips() throws Exception {
    Path file = dir.resolve("sub").resolve("soos-up.json");
    RunFile written = RunFile.ofThisProcess(dir, "http://127.0.0.1:8080",
        "http://127.0.0.1:8558/cluster/members", Instant.parse("2026-03-20T00:00:00Z"));
    written.write(file);
    assertEquals(written, RunFile.read(file).orElseThrow());
    assertTrue(RunFile.read(file).orElseThrow().process().isPresent(), "this process runs");
    assertFalse(Files.exists(file.resolveSibling("soos-up.json.tmp")));
  }
}
