package org.soos.tile.board;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.soos.shared.id.TileId;

/**
 * Board mode ({@code soos.tile-node.board}): this tile-node runs on a Jetson board, which is Orin slot
 * {@code slot} of TILE {@code tile}; the node hosts that TILE only. The board's slot reads its junction
 * temperature (and, with {@code power = measured}, its draw) from the board, sets its power mode with
 * nvpmodel and runs {@code kind: process} jobs as OS processes; the TILE's other slots stay emulated.
 *
 * @param enabled board mode on ({@code enabled}, env {@code SOOS_BOARD})
 * @param tile the TILE this board belongs to ({@code tile}, env {@code SOOS_BOARD_TILE})
 * @param slot the board's Orin slot in the TILE ({@code slot}, env {@code SOOS_BOARD_SLOT})
 * @param sysfsRoot root of sysfs/procfs ({@code sysfs-root}, env {@code SOOS_SYSFS_ROOT}; {@code /} on a board)
 * @param nvpmodel the nvpmodel command ({@code nvpmodel}, env {@code SOOS_NVPMODEL})
 * @param setPowerMode whether mode changes are put on the board with nvpmodel ({@code set-power-mode})
 * @param power where the board slot's draw comes from ({@code power}: simulated or measured)
 * @param orbit where the TILE's sunlight comes from ({@code orbit}: simulated (its orbit's eclipses) or ground (always sunlit))
 * @param workDir where process jobs run and checkpoints are kept ({@code work-dir}, env {@code SOOS_WORK_DIR})
 * @param process how process jobs run ({@code process})
 */
public record BoardSettings(boolean enabled, TileId tile, int slot, Path sysfsRoot, String nvpmodel,
    boolean setPowerMode, PowerSource power, OrbitSource orbit, Path workDir, ProcessSettings process) {

  /** Where the board slot's electrical draw comes from. */
  public enum PowerSource {
    /** The Orin power model (what an emulated Orin draws). */
    SIMULATED,
    /** The board's INA3221 input power. */
    MEASURED
  }

  /** Where the TILE's sunlight comes from. */
  public enum OrbitSource {
    /** The eclipses of the TILE's orbit in the constellation. */
    SIMULATED,
    /** None: always sunlit (a board on a bench). */
    GROUND
  }

  /**
   * @param checkpointExitCode the exit code a job uses to say "checkpoint written, stopping" ({@code checkpoint-exit-code})
   * @param checkpointTimeout how long a job may take to checkpoint and exit after SIGTERM before it is killed
   * @param maxOutputBytes captured output kept per job run (the tail), bytes ({@code max-output-bytes})
   * @param maxCheckpointBytes largest checkpoint accepted (packed), bytes ({@code max-checkpoint-bytes})
   * @param transferTimeout how long a target waits for a checkpoint to arrive ({@code transfer-timeout})
   */
  public record ProcessSettings(int checkpointExitCode, Duration checkpointTimeout, long maxOutputBytes,
      long maxCheckpointBytes, Duration transferTimeout) {
    public ProcessSettings {
      if (checkpointExitCode < 1 || checkpointExitCode > 125) {
        throw new IllegalArgumentException(
            "soos.tile-node.board.process.checkpoint-exit-code must be 1..125, got: " + checkpointExitCode);
      }
      positive("checkpoint-timeout", checkpointTimeout);
      positive("transfer-timeout", transferTimeout);
      if (maxOutputBytes < 1024) {
        throw new IllegalArgumentException("soos.tile-node.board.process.max-output-bytes must be >= 1024, got: " + maxOutputBytes);
      }
      if (maxCheckpointBytes < 1) {
        throw new IllegalArgumentException(
            "soos.tile-node.board.process.max-checkpoint-bytes must be >= 1, got: " + maxCheckpointBytes);
      }
    }

    private static void positive(String key, Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("soos.tile-node.board.process." + key + " must be a duration > 0, got: " + d);
      }
    }

    /** Reads {@code soos.tile-node.board.process}. */
    public static ProcessSettings fromConfig(Config c) {
      return new ProcessSettings(c.getInt("checkpoint-exit-code"), c.getDuration("checkpoint-timeout"),
          c.getBytes("max-output-bytes"), c.getBytes("max-checkpoint-bytes"), c.getDuration("transfer-timeout"));
    }
  }

  public BoardSettings {
    if (enabled) {
      if (tile == null) throw new IllegalArgumentException("soos.tile-node.board.tile is required in board mode (SOOS_BOARD_TILE)");
      if (slot < 0) throw new IllegalArgumentException("soos.tile-node.board.slot must be >= 0, got: " + slot);
      if (sysfsRoot == null) throw new IllegalArgumentException("soos.tile-node.board.sysfs-root is required");
      if (workDir == null) throw new IllegalArgumentException("soos.tile-node.board.work-dir is required");
      if (nvpmodel == null || nvpmodel.isBlank()) {
        throw new IllegalArgumentException("soos.tile-node.board.nvpmodel must not be blank");
      }
    }
  }

  /** Reads {@code soos.tile-node.board}. */
  public static BoardSettings fromConfig(Config root) {
    Config c = root.getConfig("soos.tile-node.board");
    boolean enabled = c.getBoolean("enabled");
    String tile = c.getString("tile").strip();
    TileId tileId;
    try {
      tileId = tile.isEmpty() ? null : TileId.of(tile);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("soos.tile-node.board.tile: " + e.getMessage(), e);
    }
    return new BoardSettings(enabled, tileId, c.getInt("slot"), Path.of(c.getString("sysfs-root")),
        c.getString("nvpmodel"), c.getBoolean("set-power-mode"), parse(PowerSource.class, c, "power"),
        parse(OrbitSource.class, c, "orbit"), Path.of(c.getString("work-dir")),
        ProcessSettings.fromConfig(c.getConfig("process")));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, Config c, String key) {
    String v = c.getString(key).strip();
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) return e;
    }
    throw new IllegalArgumentException("soos.tile-node.board." + key + " must be one of "
        + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
        + ", got: " + v);
  }
}
