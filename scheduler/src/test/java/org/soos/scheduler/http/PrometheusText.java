package org.soos.scheduler.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * {@code # HELP}, {@code # TYPE} or a sample {@code name{label="value",...} number}; anything else
 * fails. Samples are keyed {@code name{a="1",b="2"}} with labels sorted by name.
 */
final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

  private PrometheusText() {}

  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) continue;
      if (line.startsWith("#")) {
        if (!COMMENT.matcher(line).matches()) throw new AssertionError("bad comment line: " + line);
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) throw new AssertionError("bad sample line: " + line);
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(3));
        int end = 0;
        while (l.find()) {
          if (l.start() != end) throw new AssertionError("bad labels in: " + line);
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        if (end != m.group(3).length()) throw new AssertionError("bad labels in: " + line);
      }
      samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
    }
    return samples;
  }

  /** The key of a sample: {@code name} or {@code name{a="1",b="2"}} (labels sorted). */
  static String key(String name, Map<String, String> labels) {
    if (labels.isEmpty()) return name;
    StringBuilder b = new StringBuilder(name).append('{');
    new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }
}
