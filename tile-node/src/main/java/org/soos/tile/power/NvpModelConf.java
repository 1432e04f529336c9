package org.soos.tile.power;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;

/**
 * The power-mode table of a Jetson's {@code /etc/nvpmodel.conf}: the {@code < POWER_MODEL ID=n NAME=x >}
 * sections and the {@code < PM_CONFIG DEFAULT=n >} default. Pure parsing.
 *
 * @param modes the modes in file order
 * @param defaultModeId the default mode, when the file names one
 */
public record NvpModelConf(List<Mode> modes, OptionalInt defaultModeId) {
  private static final Pattern POWER_MODEL =
      Pattern.compile("^<\\s*POWER_MODEL\\s+ID\\s*=\\s*(\\d+)\\s+NAME\\s*=\\s*([^\\s>]+)\\s*>\\s*$");
  private static final Pattern PM_CONFIG = Pattern.compile("^<\\s*PM_CONFIG\\s+DEFAULT\\s*=\\s*(\\d+)\\s*>\\s*$");
  private static final Pattern WATTS = Pattern.compile("(\\d+)W\\b");

  /** One power model of the file. */
  public record Mode(int id, String name) {}

  public NvpModelConf {
    modes = List.copyOf(modes);
  }

  /**
   * Parses the file's text.
   *
   * @throws IllegalArgumentException when it defines no power model, or one id twice (the message names the line)
   */
  public static NvpModelConf parse(String text) {
    List<Mode> modes = new ArrayList<>();
    OptionalInt def = OptionalInt.empty();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      Matcher m = POWER_MODEL.matcher(line);
      if (m.matches()) {
        int id = Integer.parseInt(m.group(1));
        if (modes.stream().anyMatch(x -> x.id() == id)) {
          throw new IllegalArgumentException("nvpmodel.conf line " + (i + 1) + ": power model ID=" + id + " defined twice");
        }
        modes.add(new Mode(id, m.group(2)));
        continue;
      }
      Matcher d = PM_CONFIG.matcher(line);
      if (d.matches()) def = OptionalInt.of(Integer.parseInt(d.group(1)));
    }
    if (modes.isEmpty()) throw new IllegalArgumentException("nvpmodel.conf defines no < POWER_MODEL ID=.. NAME=.. > section");
    return new NvpModelConf(modes, def);
  }

  /** The mode with {@code id}. */
  public Optional<Mode> mode(int id) {
    return modes.stream().filter(m -> m.id() == id).findFirst();
  }

  /**
   * The modes as SOOS power modes of {@code module}, fastest first: each mode's budget is the watts in its
   * name ({@code MODE_30W}, {@code 15W}); {@code MAXN} and other unnamed budgets take the module's top
   * budget. The speed factor is the module's for the same id (the module's table is what SOOS measured),
   * else scaled from the module's top mode by budget.
   */
  public List<PowerMode> toPowerModes(OrinModule module) {
    List<PowerMode> out = new ArrayList<>(modes.size());
    PowerMode top = module.maxMode();
    for (Mode m : modes) {
      double watts = budgetWatts(m.name()).orElse(top.budgetWatts());
      double speed = module.mode(m.id()).map(PowerMode::speedFactor)
          .orElse(top.speedFactor() * Math.min(1.0, watts / top.budgetWatts()));
      out.add(new PowerMode(m.id(), m.name(), watts, speed));
    }
    out.sort(Comparator.comparingDouble(PowerMode::budgetWatts).reversed().thenComparingInt(PowerMode::id));
    return List.copyOf(out);
  }

  /** The watts a mode name carries ({@code MODE_30W} -> 30), if any. */
  public static Optional<Double> budgetWatts(String modeName) {
    Matcher m = WATTS.matcher(modeName);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }
}
