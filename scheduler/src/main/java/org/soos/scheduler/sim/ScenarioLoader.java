package org.soos.scheduler.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TileSpec;

/**
 * Reads scenario files (JSON, format in {@code docs/SIMULATOR.md}): by path, or by the name of a scenario
 * shipped in the scheduler's resources ({@code scenarios/<name>.json}). Every block but {@code name},
 * {@code start}, {@code hours}, {@code constellation} and {@code workload} is optional and falls back to
 * the reference TILE and the simulator defaults; {@code tile} overrides only the fields it names. Unknown
 * fields are rejected so that a misspelt key does not silently fall back to a default. Errors name the
 * field ({@code workload.powerWatts ...}) and the file.
 */
public final class ScenarioLoader {
  /** Scenarios shipped with the scheduler. */
  public static final List<String> SHIPPED = List.of("walker-24h", "dawn-dusk-24h", "eclipse-season");

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ScenarioLoader() {}

  /**
   * The scenario at path {@code nameOrPath} if such a file exists, else the shipped scenario of that name.
   *
   * @throws IllegalArgumentException when neither exists or the file is not a valid scenario
   */
  public static Scenario load(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new IllegalArgumentException("--scenario is required: a file or one of " + SHIPPED);
    }
    Path path = Path.of(nameOrPath);
    if (Files.isRegularFile(path)) return fromFile(path);
    String resource = "/scenarios/" + nameOrPath + ".json";
    try (InputStream in = ScenarioLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("--scenario: no file " + path.toAbsolutePath() + " and no shipped scenario named '"
            + nameOrPath + "' (shipped: " + String.join(", ", SHIPPED) + ")");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "scenario " + nameOrPath, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Reads a scenario file; a relative trace or TLE path is resolved against the file's folder. */
  public static Scenario fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read scenario file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir);
  }

  /**
   * Parses scenario JSON.
   *
   * @param json the text
   * @param source what to call it in errors
   * @param baseDir folder relative trace and TLE paths are resolved against (null: the working directory)
   */
  public static Scenario parse(String json, String source, Path baseDir) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      return read(root, baseDir);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static Scenario read(JsonNode root, Path baseDir) {
    Obj r = new Obj(root, "");
    r.allow("name", "description", "start", "hours", "seed", "constellation", "tile", "links", "workload", "simulation");
    String name = r.string("name", null);
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("name is required: 1-64 characters of [A-Za-z0-9._-], got: " + name);
    }
    String description = r.string("description", "");
    Instant start = r.instant("start", null);
    if (start == null) throw new IllegalArgumentException("start is required (an ISO-8601 UTC instant)");
    double hours = r.number("hours", Double.NaN);
    if (!(hours > 0 && hours <= 24 * 366)) throw new IllegalArgumentException("hours must be in (0, 8784], got: " + hours);
    long seed = r.integer("seed", 1L);

    ConstellationSpec constellation = constellation(r.object("constellation", true), start, baseDir);
    Obj tileNode = r.object("tile", false);
    TileSpec tile = tileSpec(tileNode);
    TileInitialConditions initial = initial(tileNode);
    Scenario.Links links = links(r.object("links", false));
    WorkloadSpec workload = workload(r.object("workload", true), baseDir);
    Scenario.SimSettings simulation = simulation(r.object("simulation", false));
    int tiles = constellation.type() == ConstellationSpec.Type.TLE
        ? constellation.build().size()
        : constellation.planes() * constellation.tilesPerPlane();
    return new Scenario(name, description, start, Duration.ofMillis(Math.round(hours * 3_600_000.0)), seed,
        constellation, tiles, tile, initial, links, workload, simulation);
  }

  private static ConstellationSpec constellation(Obj c, Instant start, Path baseDir) {
    c.allow("type", "altitudeKm", "inclinationDeg", "planes", "tilesPerPlane", "phasing", "ltanHours", "tleFile",
        "epoch");
    String typeName = c.string("type", null);
    ConstellationSpec.Type type = null;
    for (ConstellationSpec.Type t : ConstellationSpec.Type.values()) {
      if (t.configName().equals(typeName)) type = t;
    }
    if (type == null) {
      throw new IllegalArgumentException("constellation.type must be walker, sun-synchronous or tle, got: " + typeName);
    }
    String tle = c.string("tleFile", null);
    try {
      return new ConstellationSpec(type, c.number("altitudeKm", 0), c.number("inclinationDeg", 0),
          (int) c.integer("planes", 0L), (int) c.integer("tilesPerPlane", 0L), (int) c.integer("phasing", 0L),
          c.number("ltanHours", 0), tle == null ? null : resolve(baseDir, tle).toString(), c.instant("epoch", start));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("constellation." + e.getMessage(), e);
    }
  }

  private static TileSpec tileSpec(Obj t) {
    ObjectNode merged = MAPPER.valueToTree(TileSpec.defaults());
    if (t != null) {
      ObjectNode overlay = t.node.deepCopy();
      overlay.remove("initial");
      merge(merged, overlay, "tile");
    }
    try {
      return MAPPER.treeToValue(merged, TileSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tile: " + cause(e), e);
    }
  }

  private static TileInitialConditions initial(Obj t) {
    TileInitialConditions d = TileInitialConditions.defaults();
    if (t == null) return d;
    Obj i = t.object("initial", false);
    if (i == null) return d;
    i.allow("batteryStateOfChargePercent", "plateTempCelsius");
    try {
      return new TileInitialConditions(i.number("batteryStateOfChargePercent", d.batteryStateOfChargePercent()),
          i.number("plateTempCelsius", d.plateTempCelsius()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tile." + e.getMessage(), e);
    }
  }

  private static Scenario.Links links(Obj l) {
    if (l == null) return new Scenario.Links(10e9, 1e9, 20.0);
    l.allow("inPlaneGbps", "crossPlaneGbps", "transmitWatts");
    return new Scenario.Links(l.number("inPlaneGbps", 10.0) * 1e9, l.number("crossPlaneGbps", 1.0) * 1e9,
        l.number("transmitWatts", 20.0));
  }

  private static WorkloadSpec workload(Obj w, Path baseDir) {
    w.allow("oversubscription", "arrivalsPerHour", "medianGpuHours", "sizeSigma", "maxGpuHours", "powerWatts",
        "memoryGb", "checkpointGb", "checkpointIntervalMinutes", "checkpointableShare", "deadlineShare",
        "deadlineSlack", "priorities", "trace");
    String trace = w.string("trace", null);
    Double over = w.has("oversubscription") ? w.number("oversubscription", 0) : null;
    Double rate = w.has("arrivalsPerHour") ? w.number("arrivalsPerHour", 0) : null;
    if (over == null && rate == null && trace == null) over = 1.2;
    List<WorkloadSpec.PriorityShare> priorities = new ArrayList<>();
    JsonNode p = w.node.get("priorities");
    if (p == null) {
      priorities = List.of(new WorkloadSpec.PriorityShare(2, 0.5), new WorkloadSpec.PriorityShare(5, 0.35),
          new WorkloadSpec.PriorityShare(8, 0.15));
    } else {
      if (!p.isArray()) throw new IllegalArgumentException("workload.priorities must be an array of {priority, share}");
      for (int i = 0; i < p.size(); i++) {
        Obj e = new Obj(p.get(i), "workload.priorities[" + i + "]");
        e.allow("priority", "share");
        priorities.add(new WorkloadSpec.PriorityShare((int) e.integer("priority", -1L), e.number("share", -1)));
      }
    }
    return new WorkloadSpec(over, rate,
        w.number("medianGpuHours", 1.0),
        w.number("sizeSigma", 1.0),
        w.number("maxGpuHours", 12.0),
        w.range("powerWatts", 15, 60),
        w.range("memoryGb", 4, 32),
        w.range("checkpointGb", 0.5, 8),
        w.range("checkpointIntervalMinutes", 5, 15),
        w.number("checkpointableShare", 0.85),
        w.number("deadlineShare", 0.25),
        w.range("deadlineSlack", 2, 6),
        priorities,
        trace == null ? null : resolve(baseDir, trace));
  }

  private static Scenario.SimSettings simulation(Obj s) {
    Scenario.SimSettings d = Scenario.SimSettings.defaults();
    if (s == null) return d;
    s.allow("stepSeconds", "decisionIntervalSeconds", "forecastRefreshMinutes", "forecastIntervalMinutes",
        "forecastOrbits", "shedLeadTimeSeconds", "shedReleasePercent", "throttleDwellSeconds", "reportEclipseCount",
        "sampleTiles");
    return new Scenario.SimSettings(
        seconds(s.number("stepSeconds", d.step().toSeconds())),
        seconds(s.number("decisionIntervalSeconds", d.decisionInterval().toSeconds())),
        seconds(60 * s.number("forecastRefreshMinutes", d.forecastRefresh().toSeconds() / 60.0)),
        seconds(60 * s.number("forecastIntervalMinutes", d.forecastInterval().toSeconds() / 60.0)),
        s.number("forecastOrbits", d.forecastOrbits()),
        seconds(s.number("shedLeadTimeSeconds", d.shedLeadTime().toSeconds())),
        s.number("shedReleasePercent", d.shedReleasePercent()),
        seconds(s.number("throttleDwellSeconds", d.throttleDwell().toSeconds())),
        (int) s.integer("reportEclipseCount", (long) d.reportEclipseCount()),
        (int) s.integer("sampleTiles", (long) d.sampleTiles()));
  }

  private static Duration seconds(double s) {
    if (!(s >= 0) || Double.isInfinite(s)) return Duration.ZERO;
    return Duration.ofMillis(Math.round(s * 1000.0));
  }

  private static Path resolve(Path baseDir, String file) {
    Path p = Path.of(file);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
  }

  /** Deep-merges {@code overlay} into {@code base}: objects field by field, anything else replaced; unknown fields rejected. */
  private static void merge(ObjectNode base, ObjectNode overlay, String path) {
    Iterator<String> names = overlay.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      JsonNode b = base.get(f);
      JsonNode o = overlay.get(f);
      if (b == null) {
        Set<String> known = new TreeSet<>();
        base.fieldNames().forEachRemaining(known::add);
        if (path.equals("tile")) known.add("initial");
        throw new IllegalArgumentException(path + "." + f + " is not a known field (known: " + known + ")");
      }
      if (b.isObject() && o.isObject()) {
        merge((ObjectNode) b, (ObjectNode) o, path + "." + f);
      } else {
        base.set(f, o);
      }
    }
  }

  private static String cause(JsonProcessingException e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String path = pathOf(e);
    String where = path.isEmpty() ? "" : " at " + path;
    return (t instanceof IllegalArgumentException ? t.getMessage() : e.getOriginalMessage()) + where;
  }

  private static String pathOf(JsonProcessingException e) {
    StringBuilder b = new StringBuilder();
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
      for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : m.getPath()) {
        if (ref.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
        else b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** A JSON object being read, with the path used in error messages. */
  private static final class Obj {
    final JsonNode node;
    final String path;

    Obj(JsonNode node, String path) {
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException((path.isEmpty() ? "the scenario" : path) + " must be a JSON object");
      }
      this.node = node;
      this.path = path;
    }

    String key(String f) {
      return path.isEmpty() ? f : path + "." + f;
    }

    boolean has(String f) {
      return node.has(f) && !node.get(f).isNull();
    }

    void allow(String... fields) {
      Set<String> known = new TreeSet<>(List.of(fields));
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String f = names.next();
        if (!known.contains(f)) throw new IllegalArgumentException(key(f) + " is not a known field (known: " + known + ")");
      }
    }

    Obj object(String f, boolean required) {
      if (!has(f)) {
        if (required) throw new IllegalArgumentException(key(f) + " is required");
        return null;
      }
      return new Obj(node.get(f), key(f));
    }

    String string(String f, String dflt) {
      if (!has(f)) return dflt;
      JsonNode v = node.get(f);
      if (!v.isTextual()) throw new IllegalArgumentException(key(f) + " must be a string, got: " + v);
      return v.asText();
    }

    double number(String f, double dflt) {
      if (!has(f)) return dflt;
      JsonNode v = node.get(f);
      if (!v.isNumber()) throw new IllegalArgumentException(key(f) + " must be a number, got: " + v);
      return v.asDouble();
    }

    long integer(String f, long dflt) {
      if (!has(f)) return dflt;
      JsonNode v = node.get(f);
      if (!v.isIntegralNumber()) throw new IllegalArgumentException(key(f) + " must be an integer, got: " + v);
      return v.asLong();
    }

    Instant instant(String f, Instant dflt) {
      String s = string(f, null);
      if (s == null) return dflt;
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(key(f) + " must be an ISO-8601 UTC instant like 2026-03-20T00:00:00Z, got: " + s, e);
      }
    }

    WorkloadSpec.Range range(String f, double min, double max) {
      if (!has(f)) return new WorkloadSpec.Range(min, max);
      JsonNode v = node.get(f);
      if (v.isNumber()) return new WorkloadSpec.Range(v.asDouble(), v.asDouble());
      if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
        throw new IllegalArgumentException(key(f) + " must be [min, max] or a number, got: " + v);
      }
      return new WorkloadSpec.Range(v.get(0).asDouble(), v.get(1).asDouble());
    }
  }
}
