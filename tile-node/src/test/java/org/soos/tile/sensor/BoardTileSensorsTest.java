package org.soos.tile.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TileSpec;

class BoardTileSensorsTest {
  private static final Instant T0 = Instant.parse("2026-03-20T00:00:00Z");
  private static final EclipseTimeline SUNLIT = new EclipseTimeline(T0, T0.plusSeconds(7200), List.of());

  private static TileSensors.Factory environment() {
    return SimulatedTileSensors.factory(TileInitialConditions.defaults(), Duration.ofSeconds(10));
  }

  @Test
  void boardSlotTakesTheBoardsJunctionAndMeasuredPower() {
    TileSpec spec = TileSpec.defaults();
    JetsonSysfs board = new JetsonSysfs(JetsonFixtures.root(JetsonFixtures.ORIN_NX_JP5));
    TileSensors real = BoardTileSensors.factory(environment(), board, 2, true).create(TileId.of("p0-t0"), spec, T0);
    TileSensors sim = environment().create(TileId.of("p0-t0"), spec, T0);

    double[] draws = {10.0, 12.0, 30.0, 14.0};
    SensorReadings r = real.advance(T0.plusSeconds(60), draws, SUNLIT);
    double measured = 5.008 * 1.472;
    double[] expectedDraws = {10.0, 12.0, measured, 14.0};
    SensorReadings s = sim.advance(T0.plusSeconds(60), expectedDraws, SUNLIT);

    assertEquals(42.843, r.junctionTempCelsius()[2], 1e-12);
    for (int k : new int[] {0, 1, 3}) assertEquals(s.junctionTempCelsius()[k], r.junctionTempCelsius()[k], 0.0);
    // The physics ran with the measured draw in slot 2: same battery as a simulation given that draw.
    assertEquals(s.batteryEnergyWh(), r.batteryEnergyWh(), 0.0);
    assertEquals(spec.housekeepingWatts() + 10.0 + 12.0 + measured + 14.0, r.loadWatts(), 1e-9);
    assertEquals(s.loadWatts(), r.loadWatts(), 1e-9);
  }

  @Test
  void modelledPowerKeepsTheOrinsDrawAndMissingZonesFallBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
    TileSpec spec = TileSpec.defaults();
    TileSensors real = BoardTileSensors.factory(environment(), new JetsonSysfs(empty), 0, true)
        .create(TileId.of("p0-t0"), spec, T0);
    TileSensors sim = environment().create(TileId.of("p0-t0"), spec, T0);
    double[] draws = {25.0, 12.0, 30.0, 14.0};
    SensorReadings r = real.advance(T0.plusSeconds(60), draws, SUNLIT);
    SensorReadings s = sim.advance(T0.plusSeconds(60), draws, SUNLIT);
    // No rail and no zone on this "board": everything as simulated.
    assertEquals(s.junctionTempCelsius()[0], r.junctionTempCelsius()[0], 0.0);
    assertEquals(s.batteryEnergyWh(), r.batteryEnergyWh(), 0.0);
  }

  @Test
  void slotMustExist() {
    TileSpec spec = TileSpec.defaults();
    JetsonSysfs board = new JetsonSysfs(JetsonFixtures.root(JetsonFixtures.AGX_ORIN_JP6));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BoardTileSensors.factory(environment(), board, spec.orinCount(), false).create(TileId.of("p0-t0"), spec, T0));
    assertEquals("slot must be in 0.." + (spec.orinCount() - 1) + ", got: " + spec.orinCount(), e.getMessage());
  }
}
