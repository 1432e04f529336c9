package org.soos.tile;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TileSpec;
import org.soos.tile.tile.TileSettings;

/**
 * A tile-node JVM's settings: which TILEs it hosts ({@code soos.tile-node}) and how it runs them
 * ({@code soos.tile}).
 *
 * @param index this node's 0-based index among the tile-nodes ({@code soos.tile-node.index})
 * @param count number of tile-nodes ({@code soos.tile-node.count})
 * @param tiles explicit TILE ids to host; when non-empty it overrides index/count ({@code soos.tile-node.tiles})
 * @param spec the TILE hardware ({@code soos.tile})
 * @param initial where each TILE's state starts ({@code soos.tile.initial})
 * @param tile how TILE actors run ({@code soos.tile})
 */
public record TileNodeSettings(
    int index, int count, List<String> tiles, TileSpec spec, TileInitialConditions initial, TileSettings tile) {

  /** Config path of the prediction dispatcher. */
  public static final String PREDICTION_DISPATCHER = "soos.tile-node.prediction-dispatcher";

  public TileNodeSettings {
    if (count < 1) throw new IllegalArgumentException("soos.tile-node.count must be >= 1, got: " + count);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("soos.tile-node.index must be in 0.." + (count - 1) + ", got: " + index);
    }
    tiles = List.copyOf(tiles);
  }

  /** Reads {@code soos.tile-node} and {@code soos.tile}. */
  public static TileNodeSettings fromConfig(Config root) {
    Config c = root.getConfig("soos.tile-node");
    return new TileNodeSettings(c.getInt("index"), c.getInt("count"), c.getStringList("tiles"),
        TileSpec.fromConfig(root), TileInitialConditions.fromConfig(root), TileSettings.fromConfig(root));
  }

  /**
   * The TILEs this node hosts: those listed in {@code tiles}, else those at positions k of the
   * constellation list with k % count == index.
   *
   * @throws IllegalArgumentException when {@code tiles} names a TILE the constellation does not have
   */
  public List<TileOrbit> select(List<TileOrbit> constellation) {
    if (!tiles.isEmpty()) {
      Map<String, TileOrbit> byId = constellation.stream()
          .collect(Collectors.toMap(t -> t.tileId().value(), Function.identity(), (a, b) -> a));
      Set<String> wanted = new LinkedHashSet<>(tiles);
      List<TileOrbit> out = new ArrayList<>(wanted.size());
      for (String id : wanted) {
        TileOrbit t = byId.get(id);
        if (t == null) {
          throw new IllegalArgumentException("soos.tile-node.tiles names " + id + ", which is not in the constellation ("
              + constellation.size() + " TILEs, e.g. " + (constellation.isEmpty() ? "none" : constellation.get(0).tileId())
              + ")");
        }
        out.add(t);
      }
      return List.copyOf(out);
    }
    List<TileOrbit> out = new ArrayList<>();
    for (int k = 0; k < constellation.size(); k++) {
      if (k % count == index) out.add(constellation.get(k));
    }
    return List.copyOf(out);
  }

  /** Wall delay of the first tick of the {@code k}-th of {@code hosted} TILEs: spread over one report interval. */
  public Duration firstTickDelay(int k, int hosted) {
    long nanos = tile.reportInterval().toNanos();
    return Duration.ofNanos(hosted <= 0 ? 0 : nanos * k / hosted);
  }
}
