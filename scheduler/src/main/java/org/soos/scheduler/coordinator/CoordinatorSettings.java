package org.soos.scheduler.coordinator;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code soos.scheduler.coordinator} block.
 *
 * @param reportInterval expected wall time between two reports of one TILE; also the fastest rate at
 *     which a coordinator republishes its plane summary
 * @param staleAfterIntervals a TILE silent for this many report intervals is stale
 * @param passivateAfterIdle a coordinator that receives nothing for this long is stopped
 * @param maxJobUpdates at most this many jobs' latest updates are kept per plane
 */
public record CoordinatorSettings(
    Duration reportInterval, int staleAfterIntervals, Duration passivateAfterIdle, int maxJobUpdates) {

  public CoordinatorSettings {
    if (reportInterval == null || reportInterval.isNegative() || reportInterval.isZero()) {
      throw new IllegalArgumentException("soos.scheduler.coordinator.report-interval must be > 0, got: " + reportInterval);
    }
    if (staleAfterIntervals < 1) {
      throw new IllegalArgumentException(
          "soos.scheduler.coordinator.stale-after-intervals must be >= 1, got: " + staleAfterIntervals);
    }
    if (passivateAfterIdle == null || passivateAfterIdle.compareTo(reportInterval.multipliedBy(staleAfterIntervals)) <= 0) {
      throw new IllegalArgumentException("soos.scheduler.coordinator.passivate-after-idle must be longer than "
          + "report-interval x stale-after-intervals, got: " + passivateAfterIdle);
    }
    if (maxJobUpdates < 1) {
      throw new IllegalArgumentException("soos.scheduler.coordinator.max-job-updates must be >= 1, got: " + maxJobUpdates);
    }
  }

  /** Reads {@code soos.scheduler.coordinator} from the root config. */
  public static CoordinatorSettings fromConfig(Config root) {
    Config c = root.getConfig("soos.scheduler.coordinator");
    return new CoordinatorSettings(
        c.getDuration("report-interval"),
        c.getInt("stale-after-intervals"),
        c.getDuration("passivate-after-idle"),
        c.getInt("max-job-updates"));
  }

  /** How long a TILE may stay silent before it is stale: report interval x stale-after-intervals. */
  public Duration staleAfter() {
    return reportInterval.multipliedBy(staleAfterIntervals);
  }
}
