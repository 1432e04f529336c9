package org.soos.tile.sensor;

import java.util.List;
import java.util.Optional;

/**
 * One reading of a Jetson board: what {@code soos jetson-probe} prints.
 *
 * @param board the board model
 * @param rails power rails, in the order found (monitor by monitor, channel by channel)
 * @param zones thermal zones that could be read, by zone index
 * @param skippedZones zones that could not be read, with the reason (e.g. {@code thermal_zone7: temp: ...})
 * @param layout how the rails were found: {@code hwmon} (JetPack 5/6), {@code iio} (JetPack 4) or {@code none}
 */
public record JetsonReading(BoardModel board, List<PowerRail> rails, List<ThermalZone> zones,
    List<String> skippedZones, String layout) {
  public JetsonReading {
    rails = List.copyOf(rails);
    zones = List.copyOf(zones);
    skippedZones = List.copyOf(skippedZones);
  }

  /** Rails that carry the whole module's input: VDD_IN (Orin NX/Nano, Xavier NX), POM_5V_IN (Nano, TX2 on JetPack 4). */
  public static final List<String> MODULE_INPUT_RAILS = List.of("VDD_IN", "POM_5V_IN");

  /**
   * The module's input power, W: the {@code VDD_IN} (or {@code POM_5V_IN}) rail where the board has one, else the
   * sum of all rails (AGX Orin, whose INA3221 rails VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0 split the input);
   * empty when no rail was found.
   */
  public Optional<Double> moduleInputWatts() {
    if (rails.isEmpty()) return Optional.empty();
    for (PowerRail r : rails) {
      if (MODULE_INPUT_RAILS.contains(r.name())) return Optional.of(r.watts());
    }
    double sum = 0.0;
    for (PowerRail r : rails) sum += r.watts();
    return Optional.of(sum);
  }

  /** The zone named {@code name} (case-insensitive), if it was read. */
  public Optional<ThermalZone> zone(String name) {
    return zones.stream().filter(z -> z.name().equalsIgnoreCase(name)).findFirst();
  }

  /**
   * The junction temperature, degrees C: the {@code tj-thermal} zone (JetPack 6) or {@code Tj-therm}
   * (JetPack 5), else the hottest CPU/GPU/SoC zone, else the hottest zone; empty when no zone was read.
   */
  public Optional<Double> junctionTempCelsius() {
    for (String name : List.of("tj-thermal", "Tj-therm")) {
      Optional<ThermalZone> z = zone(name);
      if (z.isPresent()) return Optional.of(z.get().tempCelsius());
    }
    Optional<Double> soc = zones.stream()
        .filter(z -> z.name().toLowerCase(java.util.Locale.ROOT).matches("(cpu|gpu|soc[0-9]*|cv[0-9]*)[-_]?therm(al)?"))
        .map(ThermalZone::tempCelsius).max(Double::compare);
    if (soc.isPresent()) return soc;
    return zones.stream().map(ThermalZone::tempCelsius).max(Double::compare);
  }
}
