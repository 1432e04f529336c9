package org.soos.shared.time;

import com.typesafe.config.Config;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The {@code soos.clock} block: where simulated time starts and how fast it runs.
 *
 * @param simStart simulated instant at the wall anchor
 * @param wallAnchor wall instant at which simulated time was {@code simStart}
 * @param warp simulated seconds per wall second
 */
public record ClockSettings(Instant simStart, Instant wallAnchor, double warp) {

  /** Reads {@code soos.clock}; "now" and a zero anchor resolve against {@code startedAt}. */
  public static ClockSettings fromConfig(Config root, Instant startedAt) {
    Config c = root.getConfig("soos.clock");
    String simStartText = c.getString("sim-start").trim();
    Instant simStart;
    try {
      simStart = simStartText.equalsIgnoreCase("now") ? startedAt : Instant.parse(simStartText);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "soos.clock.sim-start must be an ISO-8601 instant like 2026-03-20T00:00:00Z or \"now\", got: "
              + simStartText, e);
    }
    long anchorMillis = c.getLong("wall-anchor-epoch-millis");
    Instant wallAnchor = anchorMillis == 0 ? startedAt : Instant.ofEpochMilli(anchorMillis);
    double warp = c.getDouble("warp");
    if (!(warp > 0) || Double.isInfinite(warp)) {
      throw new IllegalArgumentException("soos.clock.warp must be a number > 0, got: " + warp);
    }
    return new ClockSettings(simStart, wallAnchor, warp);
  }

  /** A warped clock on the system wall clock with these anchors. */
  public SimClock clock() {
    return SimClock.warped(simStart, wallAnchor, warp);
  }
}
