package org.soos.shared.orbit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.soos.shared.CborSerializable;

/**
 * Which TILEs exist and where they fly: the {@code soos.constellation} config block, or the same thing
 * in JSON (a scenario file). Every JVM of a constellation builds the same TILE list from it with
 * {@link #build()}.
 *
 * <p>Fields a type does not use are ignored (and read as 0 / null from config).
 *
 * @param type layout: walker, sun-synchronous or tle
 * @param altitudeKm walker, sun-synchronous: altitude, km, 160..2000
 * @param inclinationDeg walker: inclination, degrees, 0..180 (sun-synchronous derives its own)
 * @param planes walker, sun-synchronous: number of planes P, &gt;= 1
 * @param tilesPerPlane walker, sun-synchronous: TILEs per plane S, &gt;= 1
 * @param phasing walker: phasing F, 0..P-1
 * @param ltanHours sun-synchronous: local time of the ascending node of the first plane, hours, [0, 24)
 * @param tleFile tle: path of a TLE catalog (two- or three-line sets)
 * @param epoch walker, sun-synchronous: instant at which the elements hold
 */
public record ConstellationSpec(
    Type type,
    double altitudeKm,
    double inclinationDeg,
    int planes,
    int tilesPerPlane,
    int phasing,
    double ltanHours,
    String tleFile,
    Instant epoch)
    implements CborSerializable {

  /** Config path of the block. */
  public static final String CONFIG_PATH = "soos.constellation";

  /** Constellation layout. */
  public enum Type {
    /** Walker delta shell ({@link ConstellationBuilder#walkerDelta}). */
    @JsonProperty("walker")
    WALKER("walker"),
    /** Sun-synchronous planes ({@link ConstellationBuilder#sunSynchronous}). */
    @JsonProperty("sun-synchronous")
    SUN_SYNCHRONOUS("sun-synchronous"),
    /** A TLE catalog ({@link ConstellationBuilder#fromTle}). */
    @JsonProperty("tle")
    TLE("tle");

    private final String configName;

    Type(String configName) {
      this.configName = configName;
    }

    /** The name used in config and JSON. */
    public String configName() {
      return configName;
    }

    /** The type named {@code name} (walker | sun-synchronous | tle, case-insensitive), or null. */
    static Type byName(String name) {
      for (Type t : values()) {
        if (t.configName.equals(name.trim().toLowerCase(Locale.ROOT))) return t;
      }
      return null;
    }
  }

  public ConstellationSpec {
    validate(type, altitudeKm, inclinationDeg, planes, tilesPerPlane, phasing, ltanHours, tleFile, epoch, Naming.FIELD);
  }

  /**
   * Reads {@code soos.constellation} from {@code root}. {@code epoch = "sim-start"} means {@code simStart}.
   * For {@code type = tle} the file {@code tle-file} must be readable (it is parsed by {@link #build()}).
   *
   * @throws IllegalArgumentException naming the config key ({@code soos.constellation.<key>}) that is
   *     missing or wrong
   */
  public static ConstellationSpec fromConfig(Config root, Instant simStart) {
    if (root == null) throw new IllegalArgumentException("config is required");
    if (!root.hasPath(CONFIG_PATH)) {
      throw new IllegalArgumentException(CONFIG_PATH + " is missing from the config");
    }
    Config c = root.getConfig(CONFIG_PATH);
    String typeName = string(c, "type");
    Type type = Type.byName(typeName);
    if (type == null) {
      throw new IllegalArgumentException(
          configKey("type") + " must be walker, sun-synchronous or tle, got: " + typeName);
    }
    double altitudeKm = 0;
    double inclinationDeg = 0;
    int planes = 0;
    int tilesPerPlane = 0;
    int phasing = 0;
    double ltanHours = 0;
    String tleFile = null;
    Instant epoch = null;
    switch (type) {
      case WALKER -> {
        altitudeKm = number(c, "altitude-km");
        inclinationDeg = number(c, "inclination-deg");
        planes = integer(c, "planes");
        tilesPerPlane = integer(c, "tiles-per-plane");
        phasing = integer(c, "phasing");
        epoch = epoch(c, simStart);
      }
      case SUN_SYNCHRONOUS -> {
        altitudeKm = number(c, "altitude-km");
        ltanHours = number(c, "ltan-hours");
        planes = integer(c, "planes");
        tilesPerPlane = integer(c, "tiles-per-plane");
        epoch = epoch(c, simStart);
      }
      case TLE -> {
        tleFile = string(c, "tle-file").trim();
        if (tleFile.isEmpty()) {
          throw new IllegalArgumentException(configKey("tle-file") + " must name a TLE file when "
              + configKey("type") + " = tle (env SOOS_TLE_FILE)");
        }
        Path path;
        try {
          path = Path.of(tleFile);
        } catch (InvalidPathException e) {
          throw new IllegalArgumentException(configKey("tle-file") + " is not a valid path: " + tleFile, e);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
          throw new IllegalArgumentException(
              configKey("tle-file") + " is not a readable file: " + path.toAbsolutePath());
        }
      }
      default -> throw new IllegalStateException("unhandled type " + type);
    }
    validate(type, altitudeKm, inclinationDeg, planes, tilesPerPlane, phasing, ltanHours, tleFile, epoch, Naming.CONFIG_KEY);
    return new ConstellationSpec(
        type, altitudeKm, inclinationDeg, planes, tilesPerPlane, phasing, ltanHours, tleFile, epoch);
  }

  /** The TILEs of this constellation, in a fixed order (see {@link ConstellationBuilder}). */
  public List<TileOrbit> build() {
    return switch (type) {
      case WALKER -> ConstellationBuilder.walkerDelta(altitudeKm, inclinationDeg, planes, tilesPerPlane, phasing, epoch);
      case SUN_SYNCHRONOUS -> ConstellationBuilder.sunSynchronous(altitudeKm, ltanHours, planes, tilesPerPlane, epoch);
      case TLE -> {
        Path path = Path.of(tleFile);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          yield ConstellationBuilder.fromTle(reader, path.toString());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read TLE file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
      }
    };
  }

  private static void validate(
      Type type,
      double altitudeKm,
      double inclinationDeg,
      int planes,
      int tilesPerPlane,
      int phasing,
      double ltanHours,
      String tleFile,
      Instant epoch,
      Naming naming) {
    if (type == null) {
      throw new IllegalArgumentException(naming.of("type", "type") + " is required (walker, sun-synchronous or tle)");
    }
    if (type == Type.TLE) {
      if (tleFile == null || tleFile.isBlank()) {
        throw new IllegalArgumentException(naming.of("tleFile", "tle-file") + " is required for type tle");
      }
      return;
    }
    String altitude = naming.of("altitudeKm", "altitude-km");
    if (!(altitudeKm >= OrbitSpec.MIN_ALTITUDE_KM && altitudeKm <= OrbitSpec.MAX_ALTITUDE_KM)) {
      throw new IllegalArgumentException(altitude + " must be in " + OrbitSpec.MIN_ALTITUDE_KM + ".."
          + OrbitSpec.MAX_ALTITUDE_KM + " km (LEO), got: " + altitudeKm);
    }
    if (planes < 1) {
      throw new IllegalArgumentException(naming.of("planes", "planes") + " must be >= 1, got: " + planes);
    }
    if (tilesPerPlane < 1) {
      throw new IllegalArgumentException(naming.of("tilesPerPlane", "tiles-per-plane") + " must be >= 1, got: "
          + tilesPerPlane);
    }
    if ((long) planes * tilesPerPlane > ConstellationBuilder.MAX_TILES) {
      throw new IllegalArgumentException(naming.of("planes", "planes") + " x " + naming.of("tilesPerPlane", "tiles-per-plane")
          + " must be <= " + ConstellationBuilder.MAX_TILES + ", got: " + planes + " x " + tilesPerPlane);
    }
    if (epoch == null) {
      throw new IllegalArgumentException(naming.of("epoch", "epoch") + " is required for type " + type.configName());
    }
    if (type == Type.WALKER) {
      if (!(inclinationDeg >= 0.0 && inclinationDeg <= 180.0)) {
        throw new IllegalArgumentException(naming.of("inclinationDeg", "inclination-deg")
            + " must be in 0..180, got: " + inclinationDeg);
      }
      if (phasing < 0 || phasing >= planes) {
        throw new IllegalArgumentException(naming.of("phasing", "phasing") + " must be in 0.." + (planes - 1)
            + " (planes - 1), got: " + phasing);
      }
    } else {
      if (!(ltanHours >= 0.0 && ltanHours < 24.0)) {
        throw new IllegalArgumentException(naming.of("ltanHours", "ltan-hours") + " must be in [0, 24), got: "
            + ltanHours);
      }
    }
  }

  /** How error messages name a field: as the record/JSON field or as the config key. */
  private enum Naming {
    FIELD,
    CONFIG_KEY;

    String of(String fieldName, String configName) {
      return this == FIELD ? fieldName : configKey(configName);
    }
  }

  private static String configKey(String key) {
    return CONFIG_PATH + "." + key;
  }

  private static String string(Config c, String key) {
    try {
      return c.getString(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(configKey(key) + " is missing or not a string: " + e.getMessage(), e);
    }
  }

  private static double number(Config c, String key) {
    try {
      return c.getDouble(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(configKey(key) + " is missing or not a number: " + e.getMessage(), e);
    }
  }

  private static int integer(Config c, String key) {
    try {
      return c.getInt(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(configKey(key) + " is missing or not an integer: " + e.getMessage(), e);
    }
  }

  private static Instant epoch(Config c, Instant simStart) {
    String text = string(c, "epoch").trim();
    if (text.equalsIgnoreCase("sim-start")) {
      if (simStart == null) {
        throw new IllegalArgumentException(configKey("epoch") + " is \"sim-start\" but no simulation start was given");
      }
      return simStart;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(configKey("epoch")
          + " must be an ISO-8601 instant like 2026-03-20T00:00:00Z or \"sim-start\", got: " + text, e);
    }
  }
}
