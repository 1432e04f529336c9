package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Jetson systemd unit caps a reboot loop (RELIABILITY.md fault 14): the start-limit keys sit in
 * {@code [Unit]}, the only section where systemd reads {@code StartLimitIntervalSec}.
 */
class JetsonUnitFileTest {
  /** "section.key" to value. */
  private static Map<String, String> keys() throws Exception {
    Map<String, String> keys = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(Path.of("jetson", "soos-tile-node.service"))) {
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#")) continue;
      if (l.startsWith("[")) {
        section = l.substring(1, l.indexOf(']'));
        continue;
      }
      int eq = l.indexOf('=');
      keys.put(section + "." + l.substring(0, eq), l.substring(eq + 1));
    }
    return keys;
  }

  @Test
  void restartsAreCappedAtFiveWithinFiveMinutes() throws Exception {
    Map<String, String> k = keys();
    assertEquals("on-failure", k.get("Service.Restart"));
    assertEquals("300", k.get("Unit.StartLimitIntervalSec"), k.toString());
    assertEquals("5", k.get("Unit.StartLimitBurst"), k.toString());
    assertEquals(null, k.get("Service.StartLimitIntervalSec"), "ignored by systemd in [Service]");
  }
}
