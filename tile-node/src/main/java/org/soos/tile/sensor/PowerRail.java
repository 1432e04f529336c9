package org.soos.tile.sensor;

/**
 * One power rail of a Jetson's INA3221 power monitors.
 *
 * @param name the rail's label, e.g. {@code VDD_GPU_SOC} or {@code VDD_IN}
 * @param volts bus voltage, V
 * @param amps current, A
 * @param watts power, W (volts times amps, or the monitor's own power reading on the JetPack 4 iio layout)
 */
public record PowerRail(String name, double volts, double amps, double watts) {

  /** A rail from the monitor's millivolt and milliamp readings; watts = volts x amps. */
  public static PowerRail fromMilli(String name, long millivolts, long milliamps) {
    double volts = millivolts / 1000.0;
    double amps = milliamps / 1000.0;
    return new PowerRail(name, volts, amps, volts * amps);
  }
}
