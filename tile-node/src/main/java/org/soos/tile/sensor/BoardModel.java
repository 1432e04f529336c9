package org.soos.tile.sensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.soos.shared.orin.OrinModule;

/**
 * The board a tile-node runs on, from the device tree ({@code /proc/device-tree/compatible},
 * NUL-separated strings, most specific first, and {@code /proc/device-tree/model}).
 *
 * @param compatible the compatible strings, in order
 * @param model the model string (empty when absent)
 * @param module the Orin module the compatible strings name, if it is one SOOS knows
 */
public record BoardModel(List<String> compatible, String model, Optional<OrinModule> module) {
  public BoardModel {
    compatible = List.copyOf(compatible);
  }

  /** No device tree (not a Jetson, or a root without {@code /proc/device-tree}). */
  public static BoardModel unknown() {
    return new BoardModel(List.of(), "", Optional.empty());
  }

  /** Parses the raw bytes of {@code compatible} and {@code model} (each may be null when absent). */
  public static BoardModel parse(byte[] compatible, byte[] model) {
    List<String> list = compatible == null ? List.of() : nulSeparated(compatible);
    List<String> modelParts = model == null ? List.of() : nulSeparated(model);
    String m = modelParts.isEmpty() ? "" : modelParts.get(0);
    return new BoardModel(list, m, moduleOf(list));
  }

  /** Splits NUL-separated (and NUL-terminated) strings, dropping empty ones. */
  static List<String> nulSeparated(byte[] bytes) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == 0) {
        String s = new String(bytes, start, i - start, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!s.isEmpty()) out.add(s);
        start = i + 1;
      }
    }
    return List.copyOf(out);
  }

  /**
   * The Orin module of the module part number in the compatible strings: p3701-0000/-0004 AGX Orin 32GB,
   * p3701-0005/-0008 AGX Orin 64GB, p3767-0000 Orin NX 16GB, p3767-0001 Orin NX 8GB, p3767-0003/-0004/-0005
   * Orin Nano (SOOS knows the 8GB one and uses it for all three).
   */
  static Optional<OrinModule> moduleOf(List<String> compatible) {
    for (String c : compatible) {
      String s = c.toLowerCase(java.util.Locale.ROOT);
      int plus = s.indexOf('+');
      // "nvidia,p3737-0000+p3701-0005": the carrier board first, the module after '+'.
      List<String> parts = plus >= 0 ? List.of(s.substring(plus + 1), s) : List.of(s);
      for (String p : parts) {
        if (p.contains("p3701-0004") || p.contains("p3701-0000")) return Optional.of(OrinModule.AGX_ORIN_32GB);
        if (p.contains("p3701-0005") || p.contains("p3701-0008")) {
          return Optional.of(OrinModule.AGX_ORIN_64GB);
        }
        if (p.contains("p3767-0000")) return Optional.of(OrinModule.ORIN_NX_16GB);
        if (p.contains("p3767-0001")) return Optional.of(OrinModule.ORIN_NX_8GB);
        if (p.contains("p3767-0003") || p.contains("p3767-0004") || p.contains("p3767-0005")) {
          return Optional.of(OrinModule.ORIN_NANO_8GB);
        }
      }
    }
    return Optional.empty();
  }

  /** True when the compatible strings name a Tegra SoC (any Jetson). */
  public boolean jetson() {
    return compatible.stream().anyMatch(c -> c.startsWith("nvidia,tegra"));
  }
}
