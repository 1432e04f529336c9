package org.soos.shared.orin;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Jetson Orin modules SOOS knows, with their nvpmodel power modes.
 *
 * <p>Budgets are the module power budgets of NVIDIA's Jetson Orin module data sheets and the
 * nvpmodel tables shipped with JetPack 5/6. Speed factors are relative to an AGX Orin 64GB at MAXN:
 * the module's AI throughput (sparse INT8 TOPS: 275, 200, 100, 70, 40) times the GPU clock ratio of
 * the mode to the module's top mode (e.g. AGX Orin 64GB: 1301, 828, 624, 420 MHz). Idle power is the
 * typical draw of an idle module with the GPU powered down. On real boards the table is read from
 * {@code /etc/nvpmodel.conf}; these values drive emulation and the simulator.
 */
public enum OrinModule {
  AGX_ORIN_64GB(64, 8.0, List.of(
      new PowerMode(0, "MAXN", 60, 1.00),
      new PowerMode(3, "MODE_50W", 50, 0.64),
      new PowerMode(2, "MODE_30W", 30, 0.48),
      new PowerMode(1, "MODE_15W", 15, 0.32))),
  AGX_ORIN_32GB(32, 7.0, List.of(
      new PowerMode(0, "MAXN", 40, 0.73),
      new PowerMode(2, "MODE_30W", 30, 0.55),
      new PowerMode(1, "MODE_15W", 15, 0.33))),
  ORIN_NX_16GB(16, 5.0, List.of(
      new PowerMode(0, "MAXN", 25, 0.36),
      new PowerMode(3, "MODE_25W", 25, 0.36),
      new PowerMode(2, "MODE_15W", 15, 0.24),
      new PowerMode(1, "MODE_10W", 10, 0.16))),
  ORIN_NX_8GB(8, 4.5, List.of(
      new PowerMode(0, "MAXN", 20, 0.25),
      new PowerMode(2, "MODE_15W", 15, 0.21),
      new PowerMode(1, "MODE_10W", 10, 0.14))),
  ORIN_NANO_8GB(8, 3.5, List.of(
      new PowerMode(0, "MODE_15W", 15, 0.145),
      new PowerMode(1, "MODE_7W", 7, 0.07)));

  private final double memoryGb;
  private final double idleWatts;
  private final List<PowerMode> modes;

  OrinModule(double memoryGb, double idleWatts, List<PowerMode> modes) {
    this.memoryGb = memoryGb;
    this.idleWatts = idleWatts;
    this.modes = modes;
  }

  /** Module memory, GiB (shared CPU/GPU). */
  public double memoryGb() {
    return memoryGb;
  }

  /** Draw of the idle module, watts. */
  public double idleWatts() {
    return idleWatts;
  }

  /** Power modes, fastest first. */
  public List<PowerMode> modes() {
    return modes;
  }

  /** The fastest mode (the first in {@link #modes()}). */
  public PowerMode maxMode() {
    return modes.get(0);
  }

  /** The most economical mode. */
  public PowerMode minMode() {
    return modes.stream().min(Comparator.comparingDouble(PowerMode::budgetWatts)).orElseThrow();
  }

  /** The mode with nvpmodel id {@code id}. */
  public Optional<PowerMode> mode(int id) {
    return modes.stream().filter(m -> m.id() == id).findFirst();
  }

  /** The next slower mode below {@code current} (by budget), or empty when already at the slowest. */
  public Optional<PowerMode> nextLower(PowerMode current) {
    return modes.stream()
        .filter(m -> m.budgetWatts() < current.budgetWatts())
        .max(Comparator.comparingDouble(PowerMode::budgetWatts));
  }

  /** The next faster mode above {@code current} (by budget), or empty when already at the fastest. */
  public Optional<PowerMode> nextHigher(PowerMode current) {
    return modes.stream()
        .filter(m -> m.budgetWatts() > current.budgetWatts())
        .min(Comparator.comparingDouble(PowerMode::budgetWatts));
  }
}
