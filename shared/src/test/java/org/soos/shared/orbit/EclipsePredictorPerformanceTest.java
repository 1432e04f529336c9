package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator predicts a day of eclipses for 240..10,000 TILEs, so one TILE-day must cost milliseconds.
 * Measured in CPU time of this thread, after warm-up, and printed for the record; timings never fail
 * the build (the machine is shared and noisy), only the functional checks do.
 */
class EclipsePredictorPerformanceTest {
  static final Instant FROM = Instant.parse("2026-03-20T00:00:00Z");
  static final Instant UNTIL = FROM.plus(Duration.ofHours(24));

  @Test
  void predictsADayOfOneTileInMilliseconds() {
    OrbitSpec circular = new OrbitSpec.Circular(550, 53, 40, 10, FROM);
    OrbitSpec.Tle iss = EclipsePredictorTest.ISS;
    Instant issFrom = Instant.parse("2024-03-15T12:00:00Z");
    for (int i = 0; i < 40; i++) {
      EclipsePredictor.predict(circular, FROM, UNTIL);
      EclipsePredictor.predict(iss, issFrom, issFrom.plus(Duration.ofHours(24)));
    }
    int runs = 25;
    double circularMs = cpuMillis(() -> {
      for (int i = 0; i < runs; i++) EclipsePredictor.predict(circular, FROM, UNTIL);
    }) / runs;
    double tleMs = cpuMillis(() -> {
      for (int i = 0; i < runs; i++) EclipsePredictor.predict(iss, issFrom, issFrom.plus(Duration.ofHours(24)));
    }) / runs;
    System.out.printf("EclipsePredictor.predict, 24 h of one TILE: circular %.2f ms, TLE/SGP4 %.2f ms (CPU)%n",
        circularMs, tleMs);
    // Repeated predictions are identical (no hidden state carried between calls).
    assertTrue(EclipsePredictor.predict(circular, FROM, UNTIL).equals(EclipsePredictor.predict(circular, FROM, UNTIL)));
    assertTrue(EclipsePredictor.predict(iss, issFrom, issFrom.plus(Duration.ofHours(24))).size() >= 14);
  }

  @Test
  void predictsADayOf240TilesAtMillisecondsPerTile() {
    List<TileOrbit> tiles = ConstellationBuilder.walkerDelta(550, 53, 24, 10, 1, FROM);
    for (TileOrbit t : tiles.subList(0, 40)) EclipsePredictor.predict(t.orbit(), FROM, UNTIL);
    int[] windows = {0};
    double totalMs = cpuMillis(() -> {
      for (TileOrbit t : tiles) windows[0] += EclipsePredictor.predict(t.orbit(), FROM, UNTIL).size();
    });
    System.out.printf("EclipsePredictor.predict, 24 h of 240 TILEs: %.0f ms (CPU), %.2f ms per TILE, %d windows%n",
        totalMs, totalMs / tiles.size(), windows[0]);
    assertTrue(windows[0] >= 240 * 14, "about 15 passes per TILE-day, got " + windows[0]);
  }

  static double cpuMillis(Runnable work) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    work.run();
    return (mx.getCurrentThreadCpuTime() - start) / 1e6;
  }
}
