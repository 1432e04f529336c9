package org.soos.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.soos.shared.orbit.ConstellationBuilder;
import org.soos.shared.orbit.OrbitSpec;
import org.soos.shared.orbit.TileOrbit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The constellation options shared by {@code up} and {@code eclipses}: a Walker-delta layout (the
 * default), a sun-synchronous one ({@code --sun-synchronous}), or the satellites of a TLE file
 * ({@code --tle}). They map one to one onto the {@code soos.constellation.*} settings.
 */
public final class ConstellationOptions {
  static final int DEFAULT_PLANES = 3;
  static final int DEFAULT_TILES_PER_PLANE = 4;
  static final double DEFAULT_ALTITUDE_KM = 550;
  static final double DEFAULT_INCLINATION_DEG = 53;
  static final int DEFAULT_PHASING = 1;
  static final double DEFAULT_LTAN_HOURS = 6;
  static final int MAX_TILES = ConstellationBuilder.MAX_TILES;

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--planes", paramLabel = "N", description = "Orbital planes (default: " + DEFAULT_PLANES + ").")
  Integer planes;

  @Option(names = "--tiles-per-plane", paramLabel = "N",
      description = "TILEs in each plane (default: " + DEFAULT_TILES_PER_PLANE + ").")
  Integer tilesPerPlane;

  @Option(names = "--altitude-km", paramLabel = "KM",
      description = "Circular orbit altitude, km, 160..2000 (default: 550).")
  Double altitudeKm;

  @Option(names = "--inclination-deg", paramLabel = "DEG",
      description = "Walker: orbit inclination, degrees, 0..180 (default: 53).")
  Double inclinationDeg;

  @Option(names = "--phasing", paramLabel = "F",
      description = "Walker: phasing parameter F, 0..planes-1 (default: " + DEFAULT_PHASING + ").")
  Integer phasing;

  @Option(names = "--sun-synchronous",
      description = "Sun-synchronous planes (inclination from the altitude) instead of Walker-delta.")
  boolean sunSynchronous;

  @Option(names = "--ltan-hours", paramLabel = "H",
      description = "Sun-synchronous: local time of the ascending node of the first plane, hours, [0, 24);"
          + " plane k flies at LTAN + 24k/planes (default: 6 = dawn-dusk).")
  Double ltanHours;

  @Option(names = "--tle", paramLabel = "FILE",
      description = "Fly the satellites of this TLE file (two- or three-line sets) instead of a generated layout.")
  Path tleFile;

  @Option(names = "--epoch", paramLabel = "ISO-8601", converter = InstantConverter.class,
      description = "Walker / sun-synchronous: epoch of the orbital elements (default: the start of the simulation or prediction).")
  Instant epoch;

  /** walker, sun-synchronous or tle. */
  public String type() {
    if (tleFile != null) {
      return "tle";
    }
    return sunSynchronous ? "sun-synchronous" : "walker";
  }

  /**
   * Checks the combination and ranges of the options.
   *
   * @throws ParameterException naming the offending option
   */
  public void validate() {
    if (tleFile != null) {
      for (String[] given : new String[][] {
          {"--planes", str(planes)}, {"--tiles-per-plane", str(tilesPerPlane)}, {"--altitude-km", str(altitudeKm)},
          {"--inclination-deg", str(inclinationDeg)}, {"--phasing", str(phasing)},
          {"--sun-synchronous", sunSynchronous ? "true" : null}, {"--ltan-hours", str(ltanHours)}, {"--epoch", str(epoch)}}) {
        if (given[1] != null) {
          throw usage(given[0] + " cannot be combined with --tle (the TLE file gives the orbits)");
        }
      }
      if (!Files.isRegularFile(tleFile)) {
        throw usage("--tle: no such file: " + tleFile.toAbsolutePath());
      }
      if (!Files.isReadable(tleFile)) {
        throw usage("--tle: cannot read file: " + tleFile.toAbsolutePath());
      }
      return;
    }
    if (sunSynchronous) {
      if (inclinationDeg != null) {
        throw usage("--inclination-deg cannot be combined with --sun-synchronous (the altitude sets the inclination)");
      }
      if (phasing != null) {
        throw usage("--phasing applies to Walker constellations only, not with --sun-synchronous");
      }
    } else if (ltanHours != null) {
      throw usage("--ltan-hours applies only with --sun-synchronous");
    }
    int p = planes();
    int t = tilesPerPlane();
    if (p < 1 || p > 1000) {
      throw usage("--planes must be in 1..1000, got: " + p);
    }
    if (t < 1 || t > 10_000) {
      throw usage("--tiles-per-plane must be in 1..10000, got: " + t);
    }
    if ((long) p * t > MAX_TILES) {
      throw usage("--planes x --tiles-per-plane must be at most " + MAX_TILES + " TILEs, got: " + (long) p * t);
    }
    double alt = altitudeKm();
    if (!(alt >= OrbitSpec.MIN_ALTITUDE_KM && alt <= OrbitSpec.MAX_ALTITUDE_KM)) {
      throw usage("--altitude-km must be in " + num(OrbitSpec.MIN_ALTITUDE_KM) + ".." + num(OrbitSpec.MAX_ALTITUDE_KM)
          + " km (LEO), got: " + num(alt));
    }
    if (!sunSynchronous) {
      double inc = inclinationDeg();
      if (!(inc >= 0 && inc <= 180)) {
        throw usage("--inclination-deg must be in 0..180, got: " + num(inc));
      }
      int f = phasing();
      if (f < 0 || f > p - 1) {
        throw usage("--phasing must be in 0.." + (p - 1) + " (0..planes-1), got: " + f);
      }
    } else {
      double ltan = ltanHours();
      if (!(ltan >= 0 && ltan < 24)) {
        throw usage("--ltan-hours must be >= 0 and < 24, got: " + num(ltan));
      }
    }
  }

  /**
   * The TILEs of the constellation, in the constellation's order (the order tile-nodes split by).
   *
   * @param defaultEpoch epoch of generated layouts when {@code --epoch} is not given
   */
  public List<TileOrbit> tiles(Instant defaultEpoch) {
    validate();
    if (tleFile != null) {
      try (Reader reader = Files.newBufferedReader(tleFile, StandardCharsets.UTF_8)) {
        List<TileOrbit> tiles = ConstellationBuilder.fromTle(reader, tleFile.toString());
        if (tiles.isEmpty()) {
          throw usage("--tle: no TLE sets in " + tleFile.toAbsolutePath());
        }
        return tiles;
      } catch (IOException e) {
        throw usage("--tle: cannot read " + tleFile.toAbsolutePath() + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw usage("--tle: " + e.getMessage());
      }
    }
    Instant elementsEpoch = epoch != null ? epoch : defaultEpoch;
    try {
      return sunSynchronous
          ? ConstellationBuilder.sunSynchronous(altitudeKm(), ltanHours(), planes(), tilesPerPlane(), elementsEpoch)
          : ConstellationBuilder.walkerDelta(
              altitudeKm(), inclinationDeg(), planes(), tilesPerPlane(), phasing(), elementsEpoch);
    } catch (IllegalArgumentException e) {
      throw usage("constellation options: " + e.getMessage());
    }
  }

  /**
   * The {@code soos.constellation.*} settings (keys without the prefix) that make every JVM build
   * this constellation.
   */
  public Map<String, String> settings() {
    validate();
    Map<String, String> s = new LinkedHashMap<>();
    s.put("type", type());
    if (tleFile != null) {
      s.put("tle-file", tleFile.toAbsolutePath().normalize().toString());
      return s;
    }
    s.put("planes", Integer.toString(planes()));
    s.put("tiles-per-plane", Integer.toString(tilesPerPlane()));
    s.put("altitude-km", num(altitudeKm()));
    if (sunSynchronous) {
      s.put("ltan-hours", num(ltanHours()));
    } else {
      s.put("inclination-deg", num(inclinationDeg()));
      s.put("phasing", Integer.toString(phasing()));
    }
    s.put("epoch", epoch != null ? epoch.toString() : "sim-start");
    return s;
  }

  /** A one-line description, e.g. "walker 3 planes x 4 TILEs, 550 km, 53 deg, F=1". */
  public String describe() {
    return switch (type()) {
      case "tle" -> "TLE file " + tleFile.toAbsolutePath().normalize();
      case "sun-synchronous" -> String.format(Locale.ROOT, "sun-synchronous %d planes x %d TILEs, %s km, LTAN %s h",
          planes(), tilesPerPlane(), num(altitudeKm()), num(ltanHours()));
      default -> String.format(Locale.ROOT, "Walker-delta %d planes x %d TILEs, %s km, %s deg, F=%d",
          planes(), tilesPerPlane(), num(altitudeKm()), num(inclinationDeg()), phasing());
    };
  }

  int planes() {
    return planes != null ? planes : DEFAULT_PLANES;
  }

  int tilesPerPlane() {
    return tilesPerPlane != null ? tilesPerPlane : DEFAULT_TILES_PER_PLANE;
  }

  double altitudeKm() {
    return altitudeKm != null ? altitudeKm : DEFAULT_ALTITUDE_KM;
  }

  double inclinationDeg() {
    return inclinationDeg != null ? inclinationDeg : DEFAULT_INCLINATION_DEG;
  }

  int phasing() {
    return phasing != null ? phasing : DEFAULT_PHASING;
  }

  double ltanHours() {
    return ltanHours != null ? ltanHours : DEFAULT_LTAN_HOURS;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  static String num(double v) {
    return LocalConstellation.formatNumber(v);
  }

  /** TILE ids of a list, for messages. */
  static String ids(List<TileOrbit> tiles, int max) {
    List<String> ids = new ArrayList<>();
    for (TileOrbit t : tiles) {
      if (ids.size() == max) {
        ids.add("... (" + tiles.size() + " in all)");
        break;
      }
      ids.add(t.tileId().value());
    }
    return String.join(", ", ids);
  }
}
