package org.soos.shared.tile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.EclipseWindow;

/**
 * A repeating shadow pattern with the geometry of a 550 km circular orbit at beta = 0: period 5738 s
 * (Kepler), cylindrical umbra 0.372 of the orbit (2136 s), 8 s penumbra crossings.
 */
final class SyntheticOrbit {
  static final Instant START = Instant.parse("2026-03-20T00:00:00Z");
  static final double PERIOD_SECONDS = 5738.0;
  static final double UMBRA_SECONDS = 2136.0;
  static final double PENUMBRA_SECONDS = 8.0;
  /** First penumbra entry, seconds after START. */
  static final double FIRST_ENTRY_SECONDS = 3000.0;

  private SyntheticOrbit() {}

  static EclipseTimeline timeline(int orbits) {
    List<EclipseWindow> windows = new ArrayList<>();
    for (int k = 0; k < orbits; k++) {
      double p0 = FIRST_ENTRY_SECONDS + k * PERIOD_SECONDS;
      windows.add(new EclipseWindow(at(p0), at(p0 + PENUMBRA_SECONDS), at(p0 + PENUMBRA_SECONDS + UMBRA_SECONDS),
          at(p0 + 2 * PENUMBRA_SECONDS + UMBRA_SECONDS)));
    }
    return new EclipseTimeline(START, at(orbits * PERIOD_SECONDS + FIRST_ENTRY_SECONDS - 1.0), windows);
  }

  static Instant at(double secondsAfterStart) {
    return START.plus(Duration.ofNanos(Math.round(secondsAfterStart * 1e9)));
  }
}
