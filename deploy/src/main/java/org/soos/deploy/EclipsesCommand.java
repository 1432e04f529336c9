package org.soos.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orbit.TileOrbit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soos eclipses}: the predicted shadow passes of a constellation's TILEs, one JSON object per
 * line per pass, in time order per TILE. The same physics the TILEs fly on
 * ({@link EclipsePredictor}: conical umbra and penumbra, analytic Sun).
 */
@Command(
    name = "eclipses",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Print each TILE's predicted eclipse passes as JSON lines.",
    description = {
      "One JSON object per line per shadow pass, in time order per TILE, with the fields "
          + "tile, plane, penumbraStart, umbraStart, umbraEnd, penumbraEnd, umbraSeconds.",
      "Instants are ISO-8601 UTC; an edge is null when the pass has none (a penumbra-only pass). "
          + "The constellation options are those of 'soos up': the same options give the same orbits."
    },
    footer = {
      "",
      "Examples:",
      "  soos eclipses --tle deploy/examples/iss.tle --from 2025-11-21 --hours 6",
      "  soos eclipses --from 2026-03-20T00:00:00Z --hours 3 --tile p0-t0",
      "  soos eclipses --sun-synchronous --ltan-hours 10.5 --hours 2"
    })
final class EclipsesCommand implements Callable<Integer> {
  /** Longest prediction span accepted, hours (a leap year). */
  static final double MAX_HOURS = 24 * 366;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConstellationOptions constellation;

  @Option(names = "--from", paramLabel = "ISO-8601", converter = InstantConverter.class,
      description = "Start of the prediction, e.g. 2026-03-20T00:00:00Z (default: now).")
  Instant from;

  @Option(names = "--hours", paramLabel = "H", defaultValue = "24",
      description = "Length of the prediction, hours, > 0 and <= " + (int) MAX_HOURS + " (default: ${DEFAULT-VALUE}).")
  double hours;

  @Option(names = "--tile", paramLabel = "ID", split = ",",
      description = "Only these TILEs (repeat the option or separate ids with commas).")
  List<String> tileFilter = new ArrayList<>();

  @Override
  public Integer call() throws JsonProcessingException {
    if (!(hours > 0) || hours > MAX_HOURS) {
      throw new ParameterException(spec.commandLine(),
          "--hours must be > 0 and <= " + (int) MAX_HOURS + ", got: " + ConstellationOptions.num(hours));
    }
    Instant start = from != null ? from : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant until = start.plus(Duration.ofMillis(Math.round(hours * 3_600_000.0)));
    List<TileOrbit> tiles = selected(constellation.tiles(start));
    PrintWriter out = spec.commandLine().getOut();
    for (TileOrbit tile : tiles) {
      List<EclipseWindow> windows = new ArrayList<>(EclipsePredictor.predict(tile.orbit(), start, until));
      windows.sort(Comparator.comparing(EclipsesCommand::sortKey, Comparator.nullsFirst(Comparator.naturalOrder())));
      for (EclipseWindow w : windows) {
        out.println(JSON.writeValueAsString(toJson(tile, w)));
      }
      out.flush();
    }
    return 0;
  }

  private List<TileOrbit> selected(List<TileOrbit> tiles) {
    if (tileFilter.isEmpty()) {
      return tiles;
    }
    Set<String> wanted = new LinkedHashSet<>(tileFilter);
    List<TileOrbit> out = new ArrayList<>();
    for (TileOrbit t : tiles) {
      if (wanted.remove(t.tileId().value())) {
        out.add(t);
      }
    }
    if (!wanted.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--tile: no TILE " + String.join(", ", wanted)
          + " in this constellation (TILEs: " + ConstellationOptions.ids(tiles, 12) + ")");
    }
    return out;
  }

  /** One output line: the pass of {@code tile}, edges as ISO-8601 UTC or null. */
  static ObjectNode toJson(TileOrbit tile, EclipseWindow w) {
    ObjectNode o = JSON.createObjectNode();
    o.put("tile", tile.tileId().value());
    o.put("plane", tile.planeId().value());
    putInstant(o, "penumbraStart", w.penumbraStart());
    putInstant(o, "umbraStart", w.umbraStart());
    putInstant(o, "umbraEnd", w.umbraEnd());
    putInstant(o, "penumbraEnd", w.penumbraEnd());
    if (w.umbraStart() != null && w.umbraEnd() != null) {
      o.put("umbraSeconds", w.umbraDuration().toMillis() / 1000.0);
    } else if (w.umbraStart() == null && w.umbraEnd() == null && w.penumbraStart() != null && w.penumbraEnd() != null) {
      o.put("umbraSeconds", 0.0);
    } else {
      o.putNull("umbraSeconds");
    }
    return o;
  }

  private static void putInstant(ObjectNode o, String field, Instant t) {
    if (t == null) {
      o.putNull(field);
    } else {
      o.put(field, t.truncatedTo(ChronoUnit.MILLIS).toString());
    }
  }

  private static Instant sortKey(EclipseWindow w) {
    if (w.start() != null) {
      return w.start();
    }
    return w.end();
  }
}
