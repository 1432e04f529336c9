package org.soos.tile.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.TileId;
import org.soos.shared.runtime.RoleConfig;

class BoardSettingsTest {

  private static BoardSettings load(String hocon) {
    return BoardSettings.fromConfig(RoleConfig.load("tile-node", ConfigFactory.parseString(hocon)));
  }

  @Test
  void offByDefault() {
    BoardSettings b = load("");
    assertFalse(b.enabled());
    assertEquals(75, b.process().checkpointExitCode());
    assertEquals(Duration.ofSeconds(30), b.process().checkpointTimeout());
    assertEquals(1024L * 1024, b.process().maxOutputBytes());
  }

  @Test
  void boardModeKeys() {
    BoardSettings b = load(String.join("\n",
        "soos.tile-node.board.enabled = true",
        "soos.tile-node.board.tile = p1-t2",
        "soos.tile-node.board.slot = \"3\"", // environment variables arrive as strings
        "soos.tile-node.board.sysfs-root = /tmp/fixture",
        "soos.tile-node.board.power = SIMULATED",
        "soos.tile-node.board.orbit = ground",
        "soos.tile-node.board.work-dir = /tmp/work"));
    assertEquals(TileId.of("p1-t2"), b.tile());
    assertEquals(3, b.slot());
    assertEquals(Path.of("/tmp/fixture"), b.sysfsRoot());
    assertEquals(BoardSettings.PowerSource.SIMULATED, b.power());
    assertEquals(BoardSettings.OrbitSource.GROUND, b.orbit());
    assertEquals(Path.of("/tmp/work"), b.workDir());
  }

  @Test
  void badValuesNameTheKey() {
    IllegalArgumentException noTile = assertThrows(IllegalArgumentException.class,
        () -> load("soos.tile-node.board.enabled = true"));
    assertEquals("soos.tile-node.board.tile is required in board mode (SOOS_BOARD_TILE)", noTile.getMessage());
    IllegalArgumentException power = assertThrows(IllegalArgumentException.class,
        () -> load("soos.tile-node.board { enabled = true, tile = p0-t0, power = solar }"));
    assertEquals("soos.tile-node.board.power must be one of [simulated, measured], got: solar", power.getMessage());
    IllegalArgumentException code = assertThrows(IllegalArgumentException.class,
        () -> load("soos.tile-node.board.process.checkpoint-exit-code = 0"));
    assertEquals("soos.tile-node.board.process.checkpoint-exit-code must be 1..125, got: 0", code.getMessage());
  }
}
