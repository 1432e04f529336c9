package org.soos.tile.sensor;

import java.time.Instant;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;

/**
 * Where a TILE actor gets its power and thermal readings: the simulated environment
 * ({@link SimulatedTileSensors}, physics stepped to the requested instant) or, in board mode,
 * {@link BoardTileSensors}: the same simulated environment with the board's slot read from the Jetson's
 * sysfs thermal zones and INA3221 power monitors ({@link JetsonSysfs}). Not thread-safe: owned by one
 * TILE actor.
 */
public interface TileSensors {

  /**
   * Readings at {@code until}, the Orins having drawn {@code orinDrawWatts} since the previous call.
   *
   * @param until simulated (or wall) instant, not before {@link #time()}
   * @param orinDrawWatts each slot's draw since the previous call, W
   * @param timeline the TILE's eclipse timeline, covering [{@link #time()}, until]; what a simulated
   *     environment takes its sunlight from (a hardware reader ignores it)
   */
  SensorReadings advance(Instant until, double[] orinDrawWatts, EclipseTimeline timeline);

  /** The instant of the latest readings. */
  Instant time();

  /** The latest readings. */
  SensorReadings latest();

  /** The physical state to forecast from (a snapshot the caller must not modify). */
  TilePhysics.State state();

  /** Creates the sensors of one TILE, starting at {@code start}. */
  @FunctionalInterface
  interface Factory {
    TileSensors create(TileId tileId, TileSpec spec, Instant start);
  }
}
