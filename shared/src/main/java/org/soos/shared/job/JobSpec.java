package org.soos.shared.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.soos.shared.CborSerializable;

/**
 * What a user asks SOOS to run. The JSON body of {@code POST /v1/jobs}.
 *
 * @param name human label
 * @param kind simulated or process
 * @param workGpuSeconds total work, in GPU-seconds at full speed (speed factor 1.0)
 * @param powerWatts the job's draw on an Orin at full speed, watts (idle power excluded)
 * @param memoryGb resident memory the job needs on the Orin, GiB
 * @param priority 0 (lowest) .. 9 (highest)
 * @param deadline optional UTC instant by which the job should complete
 * @param checkpoint how the job checkpoints; null means it cannot checkpoint and cannot migrate
 * @param placement optional constraints on where it may run
 * @param process the command for {@link JobKind#PROCESS} jobs; null otherwise
 */
public record JobSpec(
    String name,
    JobKind kind,
    double workGpuSeconds,
    double powerWatts,
    double memoryGb,
    int priority,
    Instant deadline,
    CheckpointSpec checkpoint,
    PlacementConstraints placement,
    ProcessSpec process)
    implements CborSerializable {

  /** True when the job writes checkpoints and may be moved between Orins. */
  public boolean migratable() {
    return checkpoint != null && checkpoint.migratable();
  }

  /**
   * @param intervalSeconds simulated seconds between periodic checkpoints
   * @param sizeBytes bytes one checkpoint occupies (what a migration transfers)
   * @param migratable whether a checkpoint may be resumed on another Orin
   */
  public record CheckpointSpec(double intervalSeconds, long sizeBytes, boolean migratable)
      implements CborSerializable {}

  /**
   * @param planes allowed planes (empty: any)
   * @param tiles allowed TILEs (empty: any)
   * @param orinModules allowed Orin module names (empty: any)
   */
  public record PlacementConstraints(List<String> planes, List<String> tiles, List<String> orinModules)
      implements CborSerializable {}

  /**
   * @param command executable
   * @param args arguments
   * @param env extra environment variables
   * @param workingDirectory working directory on the node (null: a per-job folder)
   * @param resources resource hints (null: none)
   */
  public record ProcessSpec(String command, List<String> args, Map<String, String> env, String workingDirectory,
      ResourceHints resources) implements CborSerializable {

    /** Without resource hints. */
    public ProcessSpec(String command, List<String> args, Map<String, String> env, String workingDirectory) {
      this(command, args, env, workingDirectory, null);
    }
  }

  /**
   * Hints for running a process job. Zero means "no hint".
   *
   * @param cpuCores CPU cores the job expects to keep busy (informational: reported, not enforced)
   * @param nice scheduling niceness the process runs at, 0..19 ({@code nice -n})
   * @param maxOutputBytes captured output to keep (the tail), bytes; at most the node's own limit
   */
  public record ResourceHints(double cpuCores, int nice, long maxOutputBytes) implements CborSerializable {}
}
