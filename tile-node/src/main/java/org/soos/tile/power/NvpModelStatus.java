package org.soos.tile.power;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The power mode in force, as {@code nvpmodel -q} prints it ("NV Power Mode: MODE_30W" then the id on the
 * next line, possibly after "NVPM WARN" lines) or as nvpmodel keeps it in {@code /var/lib/nvpmodel/status}
 * ("pmode:0002 fmode:cool"). Pure parsing.
 *
 * @param id the mode id
 * @param name the mode name (empty when the source has only the id, like the status file)
 */
public record NvpModelStatus(int id, String name) {
  private static final Pattern NAME_LINE = Pattern.compile("^NV Power Mode:\\s*(\\S+)\\s*$");
  private static final Pattern ID_LINE = Pattern.compile("^\\s*(\\d+)\\s*$");
  private static final Pattern STATUS = Pattern.compile("\\bpmode:(\\d+)");

  /**
   * Parses {@code nvpmodel -q} output.
   *
   * @throws IllegalArgumentException when it has no "NV Power Mode:" line followed by an id line
   */
  public static NvpModelStatus parseQuery(String output) {
    String[] lines = output.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      Matcher m = NAME_LINE.matcher(lines[i].strip());
      if (!m.matches()) continue;
      for (int j = i + 1; j < lines.length; j++) {
        Matcher id = ID_LINE.matcher(lines[j]);
        if (id.matches()) return new NvpModelStatus(Integer.parseInt(id.group(1)), m.group(1));
        if (!lines[j].isBlank()) break;
      }
      throw new IllegalArgumentException("nvpmodel -q: no mode id after '" + lines[i].strip() + "'");
    }
    throw new IllegalArgumentException("nvpmodel -q: no 'NV Power Mode:' line in: " + abbreviate(output));
  }

  /** Parses {@code /var/lib/nvpmodel/status}; empty when it has no {@code pmode:}. */
  public static Optional<NvpModelStatus> parseStatusFile(String text) {
    Matcher m = STATUS.matcher(text);
    return m.find() ? Optional.of(new NvpModelStatus(Integer.parseInt(m.group(1)), "")) : Optional.empty();
  }

  /** The same id with its name from the table, when this status has none. */
  public NvpModelStatus named(NvpModelConf conf) {
    if (!name.isEmpty() || conf == null) return this;
    return conf.mode(id).map(m -> new NvpModelStatus(id, m.name())).orElse(this);
  }

  private static String abbreviate(String s) {
    String t = s.strip().replace('\n', ' ');
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }
}
