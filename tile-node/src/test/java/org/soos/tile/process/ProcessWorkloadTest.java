package org.soos.tile.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.tile.board.BoardSettings;
import org.soos.tile.exec.Workload;

/** Real OS processes under the checkpoint contract. */
class ProcessWorkloadTest {
  private static final BoardSettings.ProcessSettings SETTINGS = new BoardSettings.ProcessSettings(75,
      Duration.ofSeconds(10), 4096, 1 << 20, Duration.ofSeconds(10));
  private static final Path SCRIPT = Path.of("..", "deploy", "examples", "process", "sum-of-squares.sh").toAbsolutePath().normalize();

  private static JobSpec spec(int steps, double stepSeconds, Map<String, String> extraEnv) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("STEPS", Integer.toString(steps),
        "STEP_SECONDS", Double.toString(stepSeconds)));
    env.putAll(extraEnv);
    return new JobSpec("sum", JobKind.PROCESS, 10, 5, 0.5, 1, null, new JobSpec.CheckpointSpec(60, 4096, true), null,
        new JobSpec.ProcessSpec("bash", List.of(SCRIPT.toString()), env, null));
  }

  private static Workload.Event runUntilDone(Workload w, double timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (System.nanoTime() < deadline) {
      Workload.Event e = w.run(0.05, 1.0);
      if (e != Workload.Event.NONE) return e;
      Thread.sleep(50);
    }
    throw new AssertionError("the process did not finish within " + timeoutSeconds + " s");
  }

  @Test
  void checkpointsOnSigtermAndResumesToTheSameAnswer(@TempDir Path work) throws Exception {
    CheckpointStore store = new CheckpointStore(work.resolve("checkpoints"), 1 << 20);
    JobSpec spec = spec(200, 0.01, Map.of());
    ProcessWorkload first = new ProcessWorkload(JobId.of("j"), 1, spec, 0.0, SETTINGS, work, store,
        (job, before) -> CompletableFuture.failedFuture(new IOException("not used")));
    Thread.sleep(800);
    assertEquals(Workload.Event.NONE, first.run(0.8, 1.0));
    long bytes = first.checkpoint();
    assertNull(first.failureReason());
    StoredCheckpoint sealed = store.latest(JobId.of("j"), 2).orElseThrow();
    assertEquals(bytes, sealed.sizeBytes());
    assertEquals(CheckpointStore.sha256Of(sealed.file()), sealed.sha256());
    assertEquals(0.8, first.checkpointedGpuSeconds(), 1e-9);
    first.release();
    String out1 = Files.readString(first.runDir().resolve("output.log"));
    assertTrue(out1.contains("checkpoint at i="), out1);

    ProcessWorkload second = new ProcessWorkload(JobId.of("j"), 2, spec, 0.8, SETTINGS, work, store,
        (job, before) -> CompletableFuture.completedFuture(store.latest(job, before).orElseThrow()));
    assertEquals(Workload.Event.COMPLETED, runUntilDone(second, 30));
    assertEquals(10.0, second.doneGpuSeconds(), 0.0);
    String out2 = Files.readString(second.runDir().resolve("output.log"));
    assertTrue(out2.contains("resumed at i="), out2);
    assertTrue(out2.contains("answer " + (200L * 201 * 401 / 6)), out2);
  }

  @Test
  void aFailingProcessNamesItsExitCodeAndLastLine(@TempDir Path work) throws Exception {
    JobSpec spec = new JobSpec("bad", JobKind.PROCESS, 10, 5, 0.5, 1, null, null, null,
        new JobSpec.ProcessSpec("bash", List.of("-c", "echo going; echo broken >&2; exit 3"), Map.of(), null));
    ProcessWorkload w = new ProcessWorkload(JobId.of("bad"), 1, spec, 0.0, SETTINGS, work,
        new CheckpointStore(work.resolve("c"), 1024), (j, e) -> CompletableFuture.failedFuture(new IOException("x")));
    assertEquals(Workload.Event.FAILED, runUntilDone(w, 10));
    assertEquals("exit-code 3: broken", w.failureReason());
  }

  @Test
  void outputIsBoundedToTheTail(@TempDir Path work) throws Exception {
    JobSpec spec = new JobSpec("loud", JobKind.PROCESS, 10, 5, 0.5, 1, null, null, null,
        new JobSpec.ProcessSpec("bash", List.of("-c", "for i in $(seq 1 3000); do echo line-$i; done"), Map.of(), null,
            new JobSpec.ResourceHints(0, 0, 2048)));
    ProcessWorkload w = new ProcessWorkload(JobId.of("loud"), 1, spec, 0.0, SETTINGS, work,
        new CheckpointStore(work.resolve("c"), 1024), (j, e) -> CompletableFuture.failedFuture(new IOException("x")));
    assertEquals(Workload.Event.COMPLETED, runUntilDone(w, 10));
    String out = Files.readString(w.runDir().resolve("output.log"));
    assertTrue(out.startsWith("[soos: "), out.substring(0, 80));
    assertTrue(out.endsWith("line-3000\n"), out);
    assertTrue(out.length() < 2048 + 100, "kept " + out.length());
    assertTrue(Files.size(w.runDir().resolve("output.spool")) <= 64 * 1024, "the spool is emptied as it grows");
  }

  @Test
  void aCheckpointThatCannotBeHadFailsTheJob(@TempDir Path work) throws Exception {
    ProcessWorkload w = new ProcessWorkload(JobId.of("j"), 3, spec(10, 0.01, Map.of()), 4.0, SETTINGS, work,
        new CheckpointStore(work.resolve("c"), 1024),
        (j, e) -> CompletableFuture.failedFuture(new IOException("no node has a checkpoint of j below epoch 3")));
    assertEquals(Workload.Event.FAILED, w.run(0, 1.0));
    assertEquals("checkpoint-unavailable: no node has a checkpoint of j below epoch 3", w.failureReason());
  }

  @Test
  void storeRefusesCorruptedTransfers(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 1 << 20);
    byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> store.receive(JobId.of("j"), 1, 1.0, data.length,
        "00".repeat(32), new ByteArrayInputStream(data)));
    assertTrue(e.getMessage().contains("arrived corrupted"), e.getMessage());
    assertTrue(store.latest(JobId.of("j"), 5).isEmpty(), "nothing kept");
    Path file = Files.writeString(dir.resolve("x"), "payload");
    String sha = CheckpointStore.sha256Of(file);
    StoredCheckpoint ok = store.receive(JobId.of("j"), 1, 1.0, data.length, sha, new ByteArrayInputStream(data));
    assertEquals(sha, ok.sha256());
    assertEquals(1, store.latest(JobId.of("j"), 5).orElseThrow().epoch());
    assertTrue(store.latest(JobId.of("j"), 1).isEmpty(), "only epochs below the asked one");
  }
}
