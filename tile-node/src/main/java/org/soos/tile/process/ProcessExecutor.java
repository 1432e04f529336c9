package org.soos.tile.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.tile.board.BoardSettings;
import org.soos.tile.exec.Workload;
import org.soos.tile.exec.WorkloadExecutor;

/** Runs {@link JobKind#PROCESS} jobs as {@link ProcessWorkload}s on this node. Thread-safe. */
public final class ProcessExecutor implements WorkloadExecutor {
  private final BoardSettings.ProcessSettings settings;
  private final Path workDir;
  private final CheckpointStore store;
  private final CheckpointFetcher fetcher;

  public ProcessExecutor(BoardSettings.ProcessSettings settings, Path workDir, CheckpointStore store,
      CheckpointFetcher fetcher) {
    this.settings = settings;
    this.workDir = workDir;
    this.store = store;
    this.fetcher = fetcher;
  }

  @Override
  public boolean supports(JobKind kind) {
    return kind == JobKind.PROCESS;
  }

  @Override
  public Workload start(JobId jobId, long epoch, JobSpec spec, double resumeFromGpuSeconds) {
    if (spec == null) throw new IllegalArgumentException("spec is required");
    if (spec.kind() != JobKind.PROCESS) {
      throw new IllegalArgumentException("spec.kind " + spec.kind() + " is not run by the process executor");
    }
    if (spec.process() == null) throw new IllegalArgumentException("spec.process is required for kind process");
    if (spec.process().command() == null || spec.process().command().isBlank()) {
      throw new IllegalArgumentException("spec.process.command must not be blank");
    }
    try {
      return new ProcessWorkload(jobId, epoch, spec, resumeFromGpuSeconds, settings, workDir, store, fetcher);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run folder of " + jobId + " under " + workDir, e);
    }
  }
}
