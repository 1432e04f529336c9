package org.soos.tile.tile;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a TILE actor runs: the behaviour part of the {@code soos.tile} block (the hardware part is
 * {@link org.soos.shared.tile.TileSpec}).
 *
 * @param reportInterval wall time between two reports ({@code report-interval})
 * @param maxSubStep longest simulated physics sub-step ({@code max-sub-step})
 * @param maxRoundStep longest simulated span between two exchanges with the Orins ({@code max-round-step})
 * @param forecastInterval simulated spacing of forecast points ({@code forecast-interval})
 * @param forecastOrbits forecast length, orbits ({@code forecast-orbits})
 * @param forecastRefresh simulated time between full forecast recomputations ({@code forecast-refresh})
 * @param predictionOrbits eclipse prediction length, orbits ({@code prediction-orbits})
 * @param predictionMarginOrbits predict again once fewer orbits than this remain ({@code prediction-margin-orbits})
 * @param reportEclipseCount shadow passes listed per report ({@code report-eclipse-count})
 * @param shedLeadTime shed when the battery would reach its floor within this simulated time ({@code shed-lead-time})
 * @param shedReleasePercent stop shedding this many % of capacity above the floor ({@code shed-release-percent})
 * @param throttleDwell simulated time between two thermal mode changes of an Orin ({@code throttle-dwell})
 */
public record TileSettings(
    Duration reportInterval,
    Duration maxSubStep,
    Duration maxRoundStep,
    Duration forecastInterval,
    double forecastOrbits,
    Duration forecastRefresh,
    double predictionOrbits,
    double predictionMarginOrbits,
    int reportEclipseCount,
    Duration shedLeadTime,
    double shedReleasePercent,
    Duration throttleDwell) {

  public TileSettings {
    positive("report-interval", reportInterval);
    positive("max-sub-step", maxSubStep);
    positive("max-round-step", maxRoundStep);
    positive("forecast-interval", forecastInterval);
    positive("forecast-refresh", forecastRefresh);
    positive("shed-lead-time", shedLeadTime);
    if (throttleDwell == null || throttleDwell.isNegative()) {
      throw new IllegalArgumentException("soos.tile.throttle-dwell must be >= 0, got: " + throttleDwell);
    }
    if (!(forecastOrbits > 0.0)) {
      throw new IllegalArgumentException("soos.tile.forecast-orbits must be > 0, got: " + forecastOrbits);
    }
    if (!(predictionMarginOrbits >= forecastOrbits + 0.5)) {
      throw new IllegalArgumentException("soos.tile.prediction-margin-orbits (" + predictionMarginOrbits
          + ") must be at least soos.tile.forecast-orbits + 0.5 (" + (forecastOrbits + 0.5) + ")");
    }
    if (!(predictionOrbits >= predictionMarginOrbits + 1.0)) {
      throw new IllegalArgumentException("soos.tile.prediction-orbits (" + predictionOrbits
          + ") must be at least soos.tile.prediction-margin-orbits + 1 (" + (predictionMarginOrbits + 1.0) + ")");
    }
    if (reportEclipseCount < 2) {
      throw new IllegalArgumentException("soos.tile.report-eclipse-count must be >= 2, got: " + reportEclipseCount);
    }
    if (!(shedReleasePercent >= 0.0 && shedReleasePercent <= 100.0)) {
      throw new IllegalArgumentException("soos.tile.shed-release-percent must be in 0..100, got: " + shedReleasePercent);
    }
  }

  /** Reads the behaviour keys of {@code soos.tile}. */
  public static TileSettings fromConfig(Config root) {
    Config c = root.getConfig("soos.tile");
    return new TileSettings(
        c.getDuration("report-interval"),
        c.getDuration("max-sub-step"),
        c.getDuration("max-round-step"),
        c.getDuration("forecast-interval"),
        c.getDouble("forecast-orbits"),
        c.getDuration("forecast-refresh"),
        c.getDouble("prediction-orbits"),
        c.getDouble("prediction-margin-orbits"),
        c.getInt("report-eclipse-count"),
        c.getDuration("shed-lead-time"),
        c.getDouble("shed-release-percent"),
        c.getDuration("throttle-dwell"));
  }

  /** The same settings with another report interval. */
  public TileSettings withReportInterval(Duration interval) {
    return new TileSettings(interval, maxSubStep, maxRoundStep, forecastInterval, forecastOrbits, forecastRefresh,
        predictionOrbits,
        predictionMarginOrbits, reportEclipseCount, shedLeadTime, shedReleasePercent, throttleDwell);
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("soos.tile." + key + " must be a duration > 0, got: " + d);
    }
  }
}
