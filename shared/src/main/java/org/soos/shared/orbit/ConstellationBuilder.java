package org.soos.shared.orbit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.bodies.AnalyticalSolarPositionProvider;
import org.orekit.data.DataContext;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

/**
 * Lays out constellations: Walker delta shells, sun-synchronous planes, or a TLE catalog. Pure and
 * deterministic: the same arguments always give the same TILEs in the same order (every JVM of a
 * constellation builds the list itself and must agree on it).
 */
public final class ConstellationBuilder {
  /** Inclination tolerance for grouping TLEs into one plane, degrees. */
  public static final double PLANE_INCLINATION_TOLERANCE_DEG = 0.5;
  /** RAAN tolerance for grouping TLEs into one plane, degrees (after J2 drift to a common epoch). */
  public static final double PLANE_RAAN_TOLERANCE_DEG = 2.0;
  /** Upper bound of TILEs in one generated constellation (catches typos such as 1000 x 1000). */
  public static final int MAX_TILES = 100_000;

  private static final int MAX_ID_LENGTH = 64;

  private ConstellationBuilder() {}

  /**
   * Walker delta constellation i:T/P/F with T = planes x tilesPerPlane: plane k (0-based) has
   * RAAN_k = 360 k / P, TILE j of it argument of latitude u_kj = 360 j / S + 360 F k / T (mod 360),
   * all circular at the same altitude and inclination (Walker, "Satellite constellations", JBIS 37, 1984).
   * Plane ids {@code p{k}}, TILE ids {@code p{k}-t{j}}; plane-major order.
   *
   * @param altitudeKm altitude, km, 160..2000
   * @param inclinationDeg inclination, degrees, 0..180
   * @param planes P, &gt;= 1
   * @param tilesPerPlane S, &gt;= 1
   * @param phasing F, 0..P-1
   * @param epoch instant at which the elements hold
   */
  public static List<TileOrbit> walkerDelta(
      double altitudeKm, double inclinationDeg, int planes, int tilesPerPlane, int phasing, Instant epoch) {
    requireLayout(planes, tilesPerPlane);
    if (phasing < 0 || phasing >= planes) {
      throw new IllegalArgumentException("phasing must be in 0.." + (planes - 1) + " (planes - 1), got: " + phasing);
    }
    int total = planes * tilesPerPlane;
    List<TileOrbit> out = new ArrayList<>(total);
    for (int k = 0; k < planes; k++) {
      double raanDeg = 360.0 * k / planes;
      for (int j = 0; j < tilesPerPlane; j++) {
        double u = normalizeDeg(360.0 * j / tilesPerPlane + 360.0 * phasing * k / total);
        out.add(tile(k, j, new OrbitSpec.Circular(altitudeKm, inclinationDeg, raanDeg, u, epoch)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Sun-synchronous constellation: circular orbits at the J2 sun-synchronous inclination
   * ({@link OrbitMath#sunSynchronousInclinationDeg}). Plane k (0-based) has local time of the ascending
   * node ltanHours + 24 k / P (its RAAN 360 k / P east of the first plane's), so one plane sits at the
   * given LTAN and the others are spread evenly around the clock; with a dawn-dusk LTAN (6 or 18 h) and
   * two planes both are terminator orbits (06:00 and 18:00). TILE j of a plane has argument of latitude
   * 360 j / S. RAAN = RA_sun + 15 deg/h x (LTAN - 12 h), with the Sun's right ascension (EME2000) from
   * Orekit's analytic solar model at {@code epoch}: the LTAN is apparent solar time at the epoch (it differs
   * from mean solar time by the equation of time, at most ~16 min). Ids {@code p{k}}, {@code p{k}-t{j}}.
   *
   * @param altitudeKm altitude, km, 160..2000
   * @param ltanHours local time of the ascending node of plane 0, hours, [0, 24)
   * @param planes P, &gt;= 1
   * @param tilesPerPlane S, &gt;= 1
   * @param epoch instant at which the elements hold
   */
  public static List<TileOrbit> sunSynchronous(
      double altitudeKm, double ltanHours, int planes, int tilesPerPlane, Instant epoch) {
    requireLayout(planes, tilesPerPlane);
    if (!(ltanHours >= 0.0 && ltanHours < 24.0)) {
      throw new IllegalArgumentException("ltanHours must be in [0, 24), got: " + ltanHours);
    }
    if (epoch == null) {
      throw new IllegalArgumentException("epoch is required");
    }
    if (!(altitudeKm >= OrbitSpec.MIN_ALTITUDE_KM && altitudeKm <= OrbitSpec.MAX_ALTITUDE_KM)) {
      throw new IllegalArgumentException(
          "altitudeKm must be in " + OrbitSpec.MIN_ALTITUDE_KM + ".." + OrbitSpec.MAX_ALTITUDE_KM + " km, got: " + altitudeKm);
    }
    double inclinationDeg = OrbitMath.sunSynchronousInclinationDeg(altitudeKm);
    double raan0 = sunRightAscensionDeg(epoch) + 15.0 * (ltanHours - 12.0);
    List<TileOrbit> out = new ArrayList<>(planes * tilesPerPlane);
    for (int k = 0; k < planes; k++) {
      double raanDeg = normalizeDeg(raan0 + 360.0 * k / planes);
      for (int j = 0; j < tilesPerPlane; j++) {
        double u = normalizeDeg(360.0 * j / tilesPerPlane);
        out.add(tile(k, j, new OrbitSpec.Circular(altitudeKm, inclinationDeg, raanDeg, u, epoch)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Right ascension of the Sun at {@code at}, degrees in [0, 360), in EME2000, from Orekit's analytic
   * solar model.
   */
  public static double sunRightAscensionDeg(Instant at) {
    DataContext context = OrekitSupport.context();
    Vector3D sun = new AnalyticalSolarPositionProvider(context)
        .getPosition(OrekitSupport.toDate(at), context.getFrames().getEME2000());
    return normalizeDeg(Math.toDegrees(Math.atan2(sun.getY(), sun.getX())));
  }

  /**
   * Reads a TLE catalog: two-line sets, or three-line sets whose first line is the satellite name
   * (optionally prefixed "0 ", as CelesTrak writes it). Blank lines are skipped; every line's length and
   * checksum are verified.
   *
   * <p>TILE ids are the names sanitized to {@link TileId}'s alphabet (runs of other characters become one
   * '-', at most 64 characters), or {@code sat-<catalog number>} without a name; a repeated id gets
   * {@code -2}, {@code -3}, ... TILEs are grouped into planes {@code plane-0}, {@code plane-1}, ... in order
   * of first appearance: a TLE joins the first plane whose first member has an inclination within
   * {@value #PLANE_INCLINATION_TOLERANCE_DEG} deg and a RAAN within {@value #PLANE_RAAN_TOLERANCE_DEG} deg,
   * RAANs being carried to the first TLE's epoch with the J2 nodal rate (catalogs mix epochs days apart).
   *
   * @param reader the catalog text (not closed here)
   * @param sourceName the file name used in error messages
   * @throws IllegalArgumentException naming {@code sourceName} and the 1-based line number on bad input,
   *     or when the catalog holds no TLE
   */
  public static List<TileOrbit> fromTle(Reader reader, String sourceName) {
    if (reader == null) throw new IllegalArgumentException("reader is required");
    String source = sourceName == null || sourceName.isBlank() ? "<tle>" : sourceName;
    List<NumberedLine> lines = readLines(reader, source);
    List<OrbitSpec.Tle> sets = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      NumberedLine first = lines.get(i);
      String name = null;
      NumberedLine l1;
      if (looksLikeElementLine(first.text, '1')) {
        l1 = first;
        i += 1;
      } else if (looksLikeElementLine(first.text, '2')) {
        throw error(source, first.number, "TLE line 2 without a line 1 before it");
      } else {
        name = first.text;
        if (i + 1 >= lines.size()) {
          throw error(source, first.number, "name line \"" + name + "\" is not followed by TLE line 1");
        }
        l1 = lines.get(i + 1);
        if (!l1.text.startsWith("1 ")) {
          throw error(source, l1.number, "expected TLE line 1 (starting \"1 \") after the name line, got: " + l1.text);
        }
        i += 2;
      }
      String p1 = TleLines.problem(l1.text, 1);
      if (p1 != null) throw error(source, l1.number, "TLE line 1 " + p1);
      if (i >= lines.size()) throw error(source, l1.number, "TLE line 1 is not followed by line 2");
      NumberedLine l2 = lines.get(i);
      if (!l2.text.startsWith("2 ")) {
        throw error(source, l2.number, "expected TLE line 2 (starting \"2 \"), got: " + l2.text);
      }
      String p2 = TleLines.problem(l2.text, 2);
      if (p2 != null) throw error(source, l2.number, "TLE line 2 " + p2);
      i += 1;
      try {
        sets.add(new OrbitSpec.Tle(name, l1.text, l2.text));
      } catch (IllegalArgumentException e) {
        throw error(source, l1.number, "TLE set on lines " + l1.number + "-" + l2.number + ": " + e.getMessage());
      }
    }
    if (sets.isEmpty()) {
      throw new IllegalArgumentException(source + ": no TLE set found");
    }
    return assignIds(sets);
  }

  private static List<TileOrbit> assignIds(List<OrbitSpec.Tle> sets) {
    Set<String> used = new HashSet<>();
    List<double[]> planeReferences = new ArrayList<>();
    Instant referenceEpoch = epochOf(sets.get(0));
    List<TileOrbit> out = new ArrayList<>(sets.size());
    for (OrbitSpec.Tle tle : sets) {
      String base = sanitize(tle.name());
      if (base == null) base = "sat-" + tle.catalogNumber();
      String id = unique(base, used);
      double inclination = tle.inclinationDeg();
      double raan = raanAt(tle, referenceEpoch);
      int plane = -1;
      for (int p = 0; p < planeReferences.size() && plane < 0; p++) {
        double[] ref = planeReferences.get(p);
        if (Math.abs(ref[0] - inclination) <= PLANE_INCLINATION_TOLERANCE_DEG
            && angularDistanceDeg(ref[1], raan) <= PLANE_RAAN_TOLERANCE_DEG) {
          plane = p;
        }
      }
      if (plane < 0) {
        plane = planeReferences.size();
        planeReferences.add(new double[] {inclination, raan});
      }
      out.add(new TileOrbit(TileId.of(id), PlaneId.of("plane-" + plane), tle));
    }
    return List.copyOf(out);
  }

  /** The TLE's RAAN carried from its epoch to {@code reference} with the secular J2 nodal rate, degrees. */
  private static double raanAt(OrbitSpec.Tle tle, Instant reference) {
    double n = tle.meanMotionRevPerDay() * 2.0 * Math.PI / 86400.0;
    double a = Math.cbrt(OrbitMath.MU_EARTH_M3_PER_S2 / (n * n));
    double altitudeKm = (a - OrbitMath.EARTH_RADIUS_M) / 1000.0;
    if (!(altitudeKm > 0.0)) {
      return tle.raanDeg();
    }
    double dt = (reference.toEpochMilli() - epochOf(tle).toEpochMilli()) / 1000.0;
    double drift = Math.toDegrees(OrbitMath.nodalPrecessionRadPerSecond(altitudeKm, tle.inclinationDeg()) * dt);
    return normalizeDeg(tle.raanDeg() + drift);
  }

  /** The TLE epoch (line 1, columns 19-32) as an instant. */
  static Instant epochOf(OrbitSpec.Tle tle) {
    int year = TleLines.epochYear(tle.line1());
    double day = TleLines.epochDayOfYear(tle.line1());
    long nanos = Math.round((day - 1.0) * 86400.0e9);
    return LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).plusNanos(nanos);
  }

  /** Name reduced to [A-Za-z0-9._-], starting with a letter or digit, at most 64 characters; null if nothing is left. */
  static String sanitize(String name) {
    if (name == null) return null;
    StringBuilder b = new StringBuilder(name.length());
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (ok) {
        b.append(c);
      } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
        b.append('-');
      }
    }
    int start = 0;
    while (start < b.length() && !Character.isLetterOrDigit(b.charAt(start))) start++;
    String s = b.substring(start);
    while (!s.isEmpty() && s.endsWith("-")) s = s.substring(0, s.length() - 1);
    if (s.length() > MAX_ID_LENGTH) s = s.substring(0, MAX_ID_LENGTH);
    return s.isEmpty() ? null : s;
  }

  private static String unique(String base, Set<String> used) {
    if (used.add(base)) return base;
    for (int n = 2; ; n++) {
      String suffix = "-" + n;
      String head = base.length() + suffix.length() > MAX_ID_LENGTH
          ? base.substring(0, MAX_ID_LENGTH - suffix.length()) : base;
      String candidate = head + suffix;
      if (used.add(candidate)) return candidate;
    }
  }

  private static boolean looksLikeElementLine(String text, char number) {
    return text.length() >= 60 && text.charAt(0) == number && text.charAt(1) == ' ';
  }

  private record NumberedLine(int number, String text) {}

  private static List<NumberedLine> readLines(Reader reader, String source) {
    List<NumberedLine> out = new ArrayList<>();
    BufferedReader in = reader instanceof BufferedReader br ? br : new BufferedReader(reader);
    try {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
        String text = line.stripTrailing();
        if (!text.isBlank()) out.add(new NumberedLine(number, text));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
    }
    return out;
  }

  private static IllegalArgumentException error(String source, int line, String message) {
    return new IllegalArgumentException(source + ":" + line + ": " + message);
  }

  private static TileOrbit tile(int plane, int index, OrbitSpec orbit) {
    return new TileOrbit(TileId.of("p" + plane + "-t" + index), PlaneId.of("p" + plane), orbit);
  }

  private static void requireLayout(int planes, int tilesPerPlane) {
    if (planes < 1) throw new IllegalArgumentException("planes must be >= 1, got: " + planes);
    if (tilesPerPlane < 1) throw new IllegalArgumentException("tilesPerPlane must be >= 1, got: " + tilesPerPlane);
    if ((long) planes * tilesPerPlane > MAX_TILES) {
      throw new IllegalArgumentException(
          "planes x tilesPerPlane must be <= " + MAX_TILES + ", got: " + planes + " x " + tilesPerPlane);
    }
  }

  private static double normalizeDeg(double deg) {
    double r = deg % 360.0;
    if (r < 0) r += 360.0;
    return r >= 360.0 ? 0.0 : r;
  }

  private static double angularDistanceDeg(double a, double b) {
    double d = Math.abs(normalizeDeg(a) - normalizeDeg(b));
    return Math.min(d, 360.0 - d);
  }
}
