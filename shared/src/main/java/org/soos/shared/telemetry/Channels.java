package org.soos.shared.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The channel table: every telemetry value SOOS reports, with unit and range. */
public final class Channels {
  public static final List<Channel> ALL = List.of(
      new Channel("orb.eclipse", "Shadow state: SUNLIT, PENUMBRA or UMBRA", "", 0, 2),
      new Channel("orb.sunlit", "Visible fraction of the solar disk", "1", 0, 1),
      new Channel("orb.beta", "Beta angle: Sun elevation above the orbit plane", "deg", -90, 90),
      new Channel("pwr.solarIn", "Solar array electrical output", "W", 0, 2000),
      new Channel("pwr.load", "Total electrical load: Orins plus housekeeping", "W", 0, 2000),
      new Channel("pwr.battEnergy", "Energy stored in the battery", "Wh", 0, 100000),
      new Channel("pwr.battSoc", "Battery state of charge", "%", 0, 100),
      new Channel("pwr.computeBudget", "Power the TILE can give its Orins now", "W", 0, 2000),
      new Channel("pwr.shedding", "TILE is shedding load at the battery reserve floor", "bool", 0, 1),
      new Channel("therm.plate", "Radiator plate temperature", "degC", -150, 150),
      new Channel("therm.junction", "Orin junction temperature", "degC", -150, 150),
      new Channel("orin.draw", "Orin module electrical draw", "W", 0, 100),
      new Channel("orin.powerMode", "Orin nvpmodel power mode id", "", 0, 15),
      new Channel("job.progress", "Job work done", "GPU-s", 0, 1e9));

  private static final Map<String, Channel> BY_KEY =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Channel::key, Function.identity()));

  private Channels() {}

  public static Optional<Channel> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }
}
