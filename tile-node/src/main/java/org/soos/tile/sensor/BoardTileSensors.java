package org.soos.tile.sensor;

import java.time.Instant;
import java.util.Optional;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.tile.TilePhysics;

/**
 * The sensors of a TILE one of whose Orin slots is a real Jetson board (board mode). The TILE's
 * environment (sunlight, solar array, battery, plate) stays simulated by {@code environment}, since a
 * board on a bench has none; the board's slot takes its junction temperature from the board's thermal
 * zones ({@link JetsonReading#junctionTempCelsius()}) and, with {@code measuredPower}, its draw from the
 * board's INA3221 rails ({@link JetsonReading#moduleInputWatts()}) in place of the modelled draw. A
 * reading the board cannot give (no zone, no rail) falls back to the simulated value.
 *
 * <p>Not thread-safe: owned by one TILE actor, like every {@link TileSensors}.
 */
public final class BoardTileSensors implements TileSensors {
  private final TileSensors environment;
  private final JetsonSysfs board;
  private final int slot;
  private final boolean measuredPower;
  private JetsonReading boardReading;
  private SensorReadings latest;

  /**
   * @param environment the simulated TILE environment
   * @param board the board's sysfs
   * @param slot the board's Orin slot in the TILE
   * @param measuredPower true: the slot's draw is the board's measured input power
   */
  public BoardTileSensors(TileSensors environment, JetsonSysfs board, int slot, boolean measuredPower) {
    if (environment == null) throw new IllegalArgumentException("environment is required");
    if (board == null) throw new IllegalArgumentException("board is required");
    int n = environment.latest().junctionTempCelsius().length;
    if (slot < 0 || slot >= n) throw new IllegalArgumentException("slot must be in 0.." + (n - 1) + ", got: " + slot);
    this.environment = environment;
    this.board = board;
    this.slot = slot;
    this.measuredPower = measuredPower;
    this.boardReading = board.read();
    this.latest = overlay(environment.latest(), environment.latest().loadWatts());
  }

  /** A factory wrapping each simulated environment the {@code environment} factory creates. */
  public static Factory factory(Factory environment, JetsonSysfs board, int slot, boolean measuredPower) {
    return (tileId, spec, start) -> new BoardTileSensors(environment.create(tileId, spec, start), board, slot,
        measuredPower);
  }

  @Override
  public SensorReadings advance(Instant until, double[] orinDrawWatts, EclipseTimeline timeline) {
    boardReading = board.read();
    double[] draws = orinDrawWatts.clone();
    if (measuredPower) {
      Optional<Double> watts = boardReading.moduleInputWatts();
      if (watts.isPresent()) draws[slot] = watts.get();
    }
    SensorReadings r = environment.advance(until, draws, timeline);
    latest = overlay(r, r.loadWatts());
    return latest;
  }

  private SensorReadings overlay(SensorReadings r, double loadWatts) {
    double[] junctions = r.junctionTempCelsius().clone();
    Optional<Double> tj = boardReading.junctionTempCelsius();
    if (tj.isPresent()) junctions[slot] = tj.get();
    return new SensorReadings(r.simTime(), r.sunlitFraction(), r.solarInputWatts(), loadWatts, r.batteryEnergyWh(),
        r.plateTempCelsius(), junctions, r.payloadBrownout(), r.unmetWattHours());
  }

  @Override
  public Instant time() {
    return environment.time();
  }

  @Override
  public SensorReadings latest() {
    return latest;
  }

  @Override
  public TilePhysics.State state() {
    return environment.state();
  }

  /** The board's latest reading. */
  public JetsonReading boardReading() {
    return boardReading;
  }

  /** The board's slot in the TILE. */
  public int slot() {
    return slot;
  }
}
