package org.soos.tile.sensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Jetson's power rails, thermal zones and board model from sysfs and procfs under a root
 * directory ({@code /} on a board; a fixture tree with the same layout in tests). No state, no clock:
 * every call reads the files again.
 *
 * <ul>
 *   <li><b>Power rails, JetPack 5/6 (hwmon):</b> {@code sys/bus/i2c/drivers/ina3221/*}{@code /hwmon/hwmon*}
 *       (the hwmon number varies from boot to boot); channel N is a rail when {@code inN_label} names it
 *       and both {@code inN_input} (mV) and {@code currN_input} (mA) read; labels {@code NC} and channels
 *       without a current (e.g. "sum of shunt voltages") are not rails.</li>
 *   <li><b>Power rails, JetPack 4 (iio):</b> {@code sys/bus/i2c/drivers/ina3221x/*}{@code /iio:device*}:
 *       {@code rail_name_N}, {@code in_voltageN_input} (mV), {@code in_currentN_input} (mA),
 *       {@code in_powerN_input} (mW, used for watts when present).</li>
 *   <li><b>Thermal zones:</b> {@code sys/class/thermal/thermal_zone*}: {@code type}, {@code temp}
 *       (millidegrees C), {@code trip_point_N_type|temp}. A zone whose type or temperature cannot be read
 *       or parsed is skipped (and listed with the reason), never fatal.</li>
 *   <li><b>Board:</b> {@code proc/device-tree/compatible} and {@code proc/device-tree/model}.</li>
 * </ul>
 */
public final class JetsonSysfs {
  private static final Pattern IN_LABEL = Pattern.compile("in(\\d+)_label");
  private static final Pattern RAIL_NAME = Pattern.compile("rail_name_(\\d+)");
  private static final Pattern ZONE_DIR = Pattern.compile("thermal_zone(\\d+)");
  private static final Pattern TRIP_TYPE = Pattern.compile("trip_point_(\\d+)_type");

  private final Path root;

  /** @param root the sysfs/procfs root: {@code /} on a board */
  public JetsonSysfs(Path root) {
    if (root == null) throw new IllegalArgumentException("root is required");
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Everything at once. */
  public JetsonReading read() {
    List<String> skipped = new ArrayList<>();
    List<ThermalZone> zones = thermalZones(skipped);
    List<PowerRail> hwmon = hwmonRails();
    if (!hwmon.isEmpty()) return new JetsonReading(board(), hwmon, zones, skipped, "hwmon");
    List<PowerRail> iio = iioRails();
    return new JetsonReading(board(), iio, zones, skipped, iio.isEmpty() ? "none" : "iio");
  }

  /** The board model; {@link BoardModel#unknown()} without a device tree. */
  public BoardModel board() {
    Path dt = root.resolve("proc/device-tree");
    byte[] compatible = readBytes(dt.resolve("compatible"));
    byte[] model = readBytes(dt.resolve("model"));
    if (compatible == null && model == null) return BoardModel.unknown();
    return BoardModel.parse(compatible, model);
  }

  /** Rails of the INA3221 hwmon devices (JetPack 5/6), monitor by monitor, channel by channel. */
  public List<PowerRail> hwmonRails() {
    List<PowerRail> out = new ArrayList<>();
    for (Path device : sortedChildren(root.resolve("sys/bus/i2c/drivers/ina3221"), null)) {
      for (Path hwmon : sortedChildren(device.resolve("hwmon"), "hwmon")) {
        for (Path label : sortedChildren(hwmon, null)) {
          Matcher m = IN_LABEL.matcher(label.getFileName().toString());
          if (!m.matches()) continue;
          String channel = m.group(1);
          Optional<String> name = readText(label);
          if (name.isEmpty() || !isRailName(name.get())) continue;
          Optional<Long> mv = readLong(hwmon.resolve("in" + channel + "_input"));
          Optional<Long> ma = readLong(hwmon.resolve("curr" + channel + "_input"));
          if (mv.isEmpty() || ma.isEmpty()) continue;
          out.add(PowerRail.fromMilli(name.get(), mv.get(), ma.get()));
        }
      }
    }
    return out;
  }

  /** Rails of the INA3221 iio devices (JetPack 4). */
  public List<PowerRail> iioRails() {
    List<PowerRail> out = new ArrayList<>();
    for (Path device : sortedChildren(root.resolve("sys/bus/i2c/drivers/ina3221x"), null)) {
      for (Path iio : sortedChildren(device, "iio:device")) {
        for (Path f : sortedChildren(iio, "rail_name_")) {
          Matcher m = RAIL_NAME.matcher(f.getFileName().toString());
          if (!m.matches()) continue;
          String channel = m.group(1);
          Optional<String> name = readText(f);
          if (name.isEmpty() || !isRailName(name.get())) continue;
          Optional<Long> mv = readLong(iio.resolve("in_voltage" + channel + "_input"));
          Optional<Long> ma = readLong(iio.resolve("in_current" + channel + "_input"));
          if (mv.isEmpty() || ma.isEmpty()) continue;
          PowerRail rail = PowerRail.fromMilli(name.get(), mv.get(), ma.get());
          Optional<Long> mw = readLong(iio.resolve("in_power" + channel + "_input"));
          out.add(mw.isPresent() ? new PowerRail(rail.name(), rail.volts(), rail.amps(), mw.get() / 1000.0) : rail);
        }
      }
    }
    return out;
  }

  /** Thermal zones that could be read, by index; the others are appended to {@code skipped} with the reason. */
  public List<ThermalZone> thermalZones(List<String> skipped) {
    List<ThermalZone> out = new ArrayList<>();
    for (Path zone : sortedChildren(root.resolve("sys/class/thermal"), "thermal_zone")) {
      String dir = zone.getFileName().toString();
      Matcher m = ZONE_DIR.matcher(dir);
      if (!m.matches()) continue;
      int index = Integer.parseInt(m.group(1));
      Optional<String> type = readText(zone.resolve("type"));
      if (type.isEmpty() || type.get().isBlank()) {
        skipped.add(dir + ": type unreadable");
        continue;
      }
      String temp = readTextOrError(zone.resolve("temp"));
      Optional<Double> celsius = parseMilliCelsius(temp);
      if (celsius.isEmpty()) {
        skipped.add(dir + " (" + type.get() + "): temp " + (temp.startsWith("!") ? temp.substring(1) : "not a number: " + temp));
        continue;
      }
      out.add(new ThermalZone(index, type.get(), celsius.get(), tripPoints(zone)));
    }
    out.sort(Comparator.comparingInt(ThermalZone::index));
    return out;
  }

  private List<TripPoint> tripPoints(Path zone) {
    List<TripPoint> trips = new ArrayList<>();
    for (Path f : sortedChildren(zone, "trip_point_")) {
      Matcher m = TRIP_TYPE.matcher(f.getFileName().toString());
      if (!m.matches()) continue;
      int n = Integer.parseInt(m.group(1));
      Optional<String> type = readText(f);
      Optional<Double> celsius = parseMilliCelsius(readTextOrError(zone.resolve("trip_point_" + n + "_temp")));
      if (type.isPresent() && celsius.isPresent()) trips.add(new TripPoint(n, type.get(), celsius.get()));
    }
    trips.sort(Comparator.comparingInt(TripPoint::index));
    return trips;
  }

  /** A millidegree reading ("45500") in degrees C; empty for anything else (errors are prefixed with '!'). */
  static Optional<Double> parseMilliCelsius(String text) {
    if (text == null || text.startsWith("!")) return Optional.empty();
    try {
      return Optional.of(Long.parseLong(text.strip()) / 1000.0);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A rail label that names a rail: not "NC" (not connected), not a sum channel. */
  static boolean isRailName(String label) {
    String l = label.strip().toLowerCase(Locale.ROOT);
    return !l.isEmpty() && !l.equals("nc") && !l.startsWith("sum of");
  }

  private static List<Path> sortedChildren(Path dir, String prefix) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (prefix == null || p.getFileName().toString().startsWith(prefix)) out.add(p);
      }
    } catch (IOException e) {
      return out;
    }
    out.sort(Comparator.comparing((Path p) -> naturalKey(p.getFileName().toString())));
    return out;
  }

  /** Sorts "thermal_zone10" after "thermal_zone9". */
  private static String naturalKey(String name) {
    Matcher m = Pattern.compile("(\\d+)").matcher(name);
    StringBuilder sb = new StringBuilder();
    while (m.find()) m.appendReplacement(sb, String.format("%012d", Long.parseLong(m.group(1))));
    m.appendTail(sb);
    return sb.toString();
  }

  private static Optional<String> readText(Path file) {
    String s = readTextOrError(file);
    return s.startsWith("!") ? Optional.empty() : Optional.of(s);
  }

  /** The file's text, stripped; or "!" followed by why it could not be read. */
  private static String readTextOrError(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\0", "").strip();
    } catch (IOException e) {
      return "!" + (e instanceof java.nio.file.NoSuchFileException ? "missing" : "unreadable (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
  }

  private static Optional<Long> readLong(Path file) {
    Optional<String> s = readText(file);
    if (s.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Long.parseLong(s.get()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }
}
