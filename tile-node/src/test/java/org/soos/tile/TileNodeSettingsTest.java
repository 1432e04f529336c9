package org.soos.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.tile.TileSpec;
import org.soos.tile.support.TestSupport;

class TileNodeSettingsTest {

  private static Config config(String overrides) {
    return org.soos.shared.runtime.RoleConfig.load("tile-node", ConfigFactory.parseString(overrides));
  }

  private static List<TileOrbit> twelveTiles() {
    List<TileOrbit> all = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int t = 0; t < 4; t++) all.add(TestSupport.orbit("p" + p + "-t" + t, "p" + p));
    }
    return all;
  }

  @ParameterizedTest(name = "node {0} of {1} hosts {2}")
  @CsvSource({
      "0, 1, 'p0-t0 p0-t1 p0-t2 p0-t3 p1-t0 p1-t1 p1-t2 p1-t3 p2-t0 p2-t1 p2-t2 p2-t3'",
      "0, 2, 'p0-t0 p0-t2 p1-t0 p1-t2 p2-t0 p2-t2'",
      "1, 2, 'p0-t1 p0-t3 p1-t1 p1-t3 p2-t1 p2-t3'",
      "2, 5, 'p0-t2 p1-t3'"
  })
  void hostsTheTilesAtPositionsCongruentToItsIndex(int index, int count, String expected) {
    TileNodeSettings s = TileNodeSettings.fromConfig(config(
        "soos.tile-node.index = " + index + "\nsoos.tile-node.count = " + count));
    assertEquals(List.of(expected.split(" ")),
        s.select(twelveTiles()).stream().map(t -> t.tileId().value()).toList());
  }

  @Test
  void anExplicitTileListOverridesIndexAndCount() {
    TileNodeSettings s = TileNodeSettings.fromConfig(config(
        "soos.tile-node { index = 1, count = 2, tiles = [p2-t3, p0-t0] }"));
    assertEquals(List.of("p2-t3", "p0-t0"), s.select(twelveTiles()).stream().map(t -> t.tileId().value()).toList());
  }

  @Test
  void anUnknownTileIsNamedInTheError() {
    TileNodeSettings s = TileNodeSettings.fromConfig(config("soos.tile-node.tiles = [p9-t9]"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.select(twelveTiles()));
    assertTrue(e.getMessage().contains("p9-t9") && e.getMessage().contains("soos.tile-node.tiles"), e.getMessage());
  }

  @Test
  void anIndexOutsideTheCountIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TileNodeSettings.fromConfig(config("soos.tile-node { index = 2, count = 2 }")));
    assertTrue(e.getMessage().contains("soos.tile-node.index"), e.getMessage());
  }

  @Test
  void readsTheTileBlockAndStaggersFirstTicksOverOneReportInterval() {
    TileNodeSettings s = TileNodeSettings.fromConfig(config(""));
    assertEquals(TileSpec.defaults(), s.spec());
    assertEquals(Duration.ofSeconds(1), s.tile().reportInterval());
    assertEquals(Duration.ZERO, s.firstTickDelay(0, 1000));
    assertEquals(Duration.ofMillis(500), s.firstTickDelay(500, 1000));
    assertEquals(Duration.ofMillis(999), s.firstTickDelay(999, 1000));
  }

  @Test
  void theNodeAlwaysCarriesTheTileNodeRoleAndNeverTheSchedulerRole() {
    Config plain = config("akka.cluster.roles = []");
    assertEquals(List.of("tile-node"), Main.withTileNodeRole(plain).getStringList("akka.cluster.roles"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.withTileNodeRole(config("akka.cluster.roles = [scheduler]")));
    assertTrue(e.getMessage().contains("akka.cluster.roles"), e.getMessage());
  }
}
