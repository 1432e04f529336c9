package org.soos.tile.sensor;

import java.util.List;
import java.util.Optional;

/**
 * One thermal zone of {@code /sys/class/thermal}.
 *
 * @param index N of {@code thermal_zoneN}
 * @param name its {@code type}, e.g. {@code tj-thermal} (JetPack 6) or {@code Tj-therm} (JetPack 5)
 * @param tempCelsius temperature, degrees C
 * @param tripPoints its trip points, by index (those that could be read)
 */
public record ThermalZone(int index, String name, double tempCelsius, List<TripPoint> tripPoints) {
  public ThermalZone {
    tripPoints = List.copyOf(tripPoints);
  }

  /** The lowest trip point of {@code type}, if any. */
  public Optional<TripPoint> trip(String type) {
    return tripPoints.stream().filter(t -> t.type().equals(type))
        .min(java.util.Comparator.comparingDouble(TripPoint::tempCelsius));
  }
}
