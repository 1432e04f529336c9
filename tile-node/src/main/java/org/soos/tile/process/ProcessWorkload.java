package org.soos.tile.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobSpec;
import org.soos.tile.board.BoardSettings;
import org.soos.tile.exec.Workload;

/**
 * A {@code kind: process} job running as a real OS process on this node (board mode), under the
 * checkpoint contract of docs/JOBS.md:
 * <ul>
 *   <li>the run folder is {@code <work-dir>/jobs/<job>/e<epoch>}; the process gets
 *       {@code SOOS_CHECKPOINT_DIR} (empty, {@code checkpoint/} in the run folder), {@code SOOS_JOB_ID},
 *       {@code SOOS_EPOCH}, {@code SOOS_RUN_DIR}, {@code SOOS_CHECKPOINT_EXIT_CODE}, and, when it resumes,
 *       {@code SOOS_RESUME_FROM} (the unpacked checkpoint);</li>
 *   <li>a checkpoint request sends SIGTERM; the process writes its checkpoint into
 *       {@code SOOS_CHECKPOINT_DIR} and exits with the checkpoint exit code (75) within the checkpoint
 *       timeout, else it is killed and the job fails; the directory is then packed into the node's
 *       {@link CheckpointStore} with its SHA-256. Without a stop, the job is started again from it;</li>
 *   <li>exit 0 is completion; any other exit is a failure naming the code;</li>
 *   <li>stdout and stderr are captured together (through {@code output.spool}, emptied as it grows), the
 *       last {@code max-output-bytes} kept in {@code output.log} of the run folder.</li>
 * </ul>
 * Progress (GPU-seconds) is the Orin's estimate at its power mode's speed, held below the total until the
 * process exits 0. A job resumed from a checkpoint first fetches it ({@link CheckpointFetcher}); the process
 * starts once it is here. Thread-safe (the fetch completes on another thread); owned by one Orin server.
 */
public final class ProcessWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessWorkload.class);
  /** Progress estimates stop short of the total by this fraction until the process exits 0. */
  private static final double ESTIMATE_CAP = 0.99;

  private enum Phase { FETCHING, RUNNING, CHECKPOINTED, EXITED_OK, FAILED, RELEASED }

  private final JobId jobId;
  private final long epoch;
  private final JobSpec spec;
  private final BoardSettings.ProcessSettings settings;
  private final CheckpointStore store;
  private final Path runDir;
  private final Path checkpointDir;
  private final int outputBytes;
  private Phase phase;
  private Process process;
  private OutputTail output;
  private StoredCheckpoint lastCheckpoint;
  private double doneGpuSeconds;
  private double checkpointedGpuSeconds;
  private String failure;
  private int launches;

  /**
   * Creates the run folder and starts the process, or first fetches the checkpoint to resume from.
   *
   * @param workDir the node's work folder (jobs run in {@code jobs/} under it)
   * @param resumeFromGpuSeconds work covered by the committed checkpoint (0: a fresh start)
   */
  public ProcessWorkload(JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds,
      BoardSettings.ProcessSettings settings, Path workDir, CheckpointStore store, CheckpointFetcher fetcher)
      throws IOException {
    this.jobId = jobId;
    this.epoch = epoch;
    this.spec = spec;
    this.settings = settings;
    this.store = store;
    this.runDir = Files.createDirectories(workDir.resolve("jobs").resolve(jobId.value()).resolve("e" + epoch));
    this.checkpointDir = runDir.resolve("checkpoint");
    long cap = settings.maxOutputBytes();
    JobSpec.ResourceHints hints = spec.process().resources();
    if (hints != null && hints.maxOutputBytes() > 0) cap = Math.min(cap, hints.maxOutputBytes());
    this.outputBytes = (int) Math.min(Integer.MAX_VALUE - 8, cap);
    this.doneGpuSeconds = Math.min(Math.max(0.0, resumeFromGpuSeconds), spec.workGpuSeconds());
    this.checkpointedGpuSeconds = doneGpuSeconds;
    if (resumeFromGpuSeconds > 0.0 && spec.checkpoint() != null) {
      phase = Phase.FETCHING;
      fetcher.fetch(jobId, epoch).whenComplete(this::onFetched);
    } else {
      launch(null);
    }
  }

  private synchronized void onFetched(StoredCheckpoint c, Throwable error) {
    if (phase != Phase.FETCHING) return;
    if (error != null) {
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
          ? error.getCause() : error;
      fail("checkpoint-unavailable: " + cause.getMessage());
      return;
    }
    lastCheckpoint = c;
    LOG.info("job {} epoch {}: resuming from the checkpoint of epoch {} ({} bytes, SHA-256 {})", jobId, epoch,
        c.epoch(), c.sizeBytes(), c.sha256());
    launch(c);
  }

  /** Starts the process; from {@code resume} when given. */
  private void launch(StoredCheckpoint resume) {
    try {
      deleteTree(checkpointDir);
      Files.createDirectories(checkpointDir);
      launches++;
      Path resumeDir = null;
      if (resume != null) {
        resumeDir = runDir.resolve("resume-" + launches);
        deleteTree(resumeDir);
        CheckpointStore.unpack(resume, resumeDir);
      }
      JobSpec.ProcessSpec p = spec.process();
      List<String> cmd = new ArrayList<>();
      JobSpec.ResourceHints hints = p.resources();
      if (hints != null && hints.nice() > 0) {
        cmd.add("nice");
        cmd.add("-n");
        cmd.add(Integer.toString(hints.nice()));
      }
      cmd.add(p.command());
      if (p.args() != null) cmd.addAll(p.args());
      Path cwd = p.workingDirectory() == null ? runDir : Path.of(p.workingDirectory());
      if (output != null) output.stop();
      Path spool = runDir.resolve("output.spool");
      Files.deleteIfExists(spool);
      Files.createFile(spool);
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(spool.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Map<String, String> env = pb.environment();
      if (p.env() != null) env.putAll(p.env());
      env.put("SOOS_JOB_ID", jobId.value());
      env.put("SOOS_EPOCH", Long.toString(epoch));
      env.put("SOOS_RUN_DIR", runDir.toAbsolutePath().toString());
      env.put("SOOS_CHECKPOINT_DIR", checkpointDir.toAbsolutePath().toString());
      env.put("SOOS_CHECKPOINT_EXIT_CODE", Integer.toString(settings.checkpointExitCode()));
      if (resumeDir != null) env.put("SOOS_RESUME_FROM", resumeDir.toAbsolutePath().toString());
      else env.remove("SOOS_RESUME_FROM");
      process = pb.start();
      output = new OutputTail(spool, outputBytes, "job-" + jobId.value() + "-output");
      phase = Phase.RUNNING;
      LOG.info("job {} epoch {}: started {} (pid {}){}", jobId, epoch, String.join(" ", cmd), process.pid(),
          resumeDir == null ? "" : " resuming from " + resumeDir);
    } catch (IOException e) {
      fail("cannot-start: " + e.getMessage());
    }
  }

  private void fail(String reason) {
    if (failure == null) failure = reason;
    phase = Phase.FAILED;
    if (process != null && process.isAlive()) process.destroyForcibly();
    flushOutput();
  }

  @Override
  public synchronized double secondsToNextEvent(double rate) {
    if (phase == Phase.FAILED || phase == Phase.EXITED_OK) return 0.0;
    if (phase == Phase.RUNNING && !process.isAlive()) return 0.0;
    return Double.POSITIVE_INFINITY;
  }

  @Override
  public synchronized Event run(double seconds, double rate) {
    if (phase == Phase.CHECKPOINTED) launch(lastCheckpoint); // checkpointed without a stop: go on from it
    switch (phase) {
      case FAILED:
        return Event.FAILED;
      case EXITED_OK:
        return Event.COMPLETED;
      case FETCHING:
      case RELEASED:
      case CHECKPOINTED:
        return Event.NONE;
      case RUNNING:
      default:
        break;
    }
    if (!process.isAlive()) {
      int code = process.exitValue();
      output.stop();
      flushOutput();
      if (code == 0) {
        phase = Phase.EXITED_OK;
        doneGpuSeconds = spec.workGpuSeconds();
        return Event.COMPLETED;
      }
      fail("exit-code " + code + (code == settings.checkpointExitCode() ? " (a checkpoint exit nobody asked for)" : "")
          + lastLine());
      return Event.FAILED;
    }
    doneGpuSeconds = Math.min(doneGpuSeconds + rate * seconds, spec.workGpuSeconds() * ESTIMATE_CAP);
    return Event.NONE;
  }

  @Override
  public synchronized long checkpoint() {
    if (spec.checkpoint() == null || phase != Phase.RUNNING) return 0L;
    process.destroy(); // SIGTERM: the job's checkpoint signal
    boolean exited;
    try {
      exited = process.waitFor(settings.checkpointTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    if (!exited) {
      fail("checkpoint-timeout: no exit within " + settings.checkpointTimeout() + " of SIGTERM; killed");
      return 0L;
    }
    int code = process.exitValue();
    output.stop();
    flushOutput();
    if (code == 0) {
      // It finished before it saw the signal.
      phase = Phase.EXITED_OK;
      doneGpuSeconds = spec.workGpuSeconds();
      return 0L;
    }
    if (code != settings.checkpointExitCode()) {
      fail("checkpoint-exit-code: exited " + code + " on SIGTERM, expected " + settings.checkpointExitCode() + lastLine());
      return 0L;
    }
    try {
      lastCheckpoint = store.seal(jobId, epoch, doneGpuSeconds, checkpointDir);
    } catch (IOException e) {
      fail("checkpoint-unusable: " + e.getMessage());
      return 0L;
    }
    checkpointedGpuSeconds = doneGpuSeconds;
    phase = Phase.CHECKPOINTED;
    LOG.info("job {} epoch {}: checkpoint sealed, {} bytes, SHA-256 {}", jobId, epoch, lastCheckpoint.sizeBytes(),
        lastCheckpoint.sha256());
    return lastCheckpoint.sizeBytes();
  }

  @Override
  public synchronized void release() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (phase != Phase.FAILED && phase != Phase.EXITED_OK) phase = Phase.RELEASED;
    if (output != null) output.stop();
    flushOutput();
  }

  private void flushOutput() {
    if (output == null) return;
    try {
      output.flush(runDir.resolve("output.log"));
    } catch (IOException e) {
      LOG.warn("job {} epoch {}: cannot write output.log: {}", jobId, epoch, e.getMessage());
    }
  }

  private String lastLine() {
    if (output == null) return "";
    String[] lines = output.text().strip().split("\\R");
    String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
    if (last.isEmpty()) return "";
    return ": " + (last.length() > 200 ? last.substring(0, 200) + "..." : last);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @Override
  public JobId jobId() {
    return jobId;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public JobSpec spec() {
    return spec;
  }

  @Override
  public synchronized double doneGpuSeconds() {
    return doneGpuSeconds;
  }

  @Override
  public synchronized double checkpointedGpuSeconds() {
    return checkpointedGpuSeconds;
  }

  @Override
  public synchronized boolean completed() {
    return phase == Phase.EXITED_OK;
  }

  @Override
  public boolean checkpointable() {
    return spec.checkpoint() != null;
  }

  @Override
  public synchronized String failureReason() {
    return failure;
  }

  /** The run folder ({@code output.log}, {@code checkpoint/}, {@code resume-N/}). */
  public Path runDir() {
    return runDir;
  }
}
