package org.soos.scheduler.coordinator;

import com.typesafe.config.Config;
import java.time.Duration;
import org.soos.scheduler.policy.TileHealth;

/**
 * The {@code soos.scheduler.coordinator} block.
 *
 * @param reportInterval expected wall time between two reports of one TILE; also the fastest rate at
 *     which a coordinator republishes its plane summary
 * @param staleAfterIntervals a TILE silent for this many report intervals is stale (gets no new work)
 * @param passivateAfterIdle a coordinator that receives nothing for this long is stopped
 * @param maxJobUpdates at most this many jobs' latest updates are kept per plane
 * @param decisionInterval simulated time between two decision rounds of the placement policy
 * @param lostAfterIntervals a TILE silent for this many report intervals is lost: its jobs are requeued
 *     from their last checkpoint under a new epoch (at least {@code staleAfterIntervals})
 * @param spillAfter simulated time a job may wait in a plane's queue before the coordinator hands it to
 *     a plane with free Orins
 * @param operationTimeout wall time within which a started or checkpointed job must show up as such in its
 *     TILE's reports; after it, a job missing from the reports is requeued
 * @param forgetAfter wall time after which a job not heard of (no registration, report or reply) is
 *     dropped from the coordinator's soft state
 * @param askTimeout how long the coordinator waits for a job entity or a TILE to answer
 * @param health when a TILE is unhealthy and gets no work (safe mode; {@code health} block)
 */
public record CoordinatorSettings(
    Duration reportInterval,
    int staleAfterIntervals,
    Duration passivateAfterIdle,
    int maxJobUpdates,
    Duration decisionInterval,
    int lostAfterIntervals,
    Duration spillAfter,
    Duration operationTimeout,
    Duration forgetAfter,
    Duration askTimeout,
    TileHealth.Settings health) {

  public CoordinatorSettings {
    java.util.Objects.requireNonNull(health, "health");
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
    requirePositive("decision-interval", decisionInterval);
    if (lostAfterIntervals < staleAfterIntervals) {
      throw new IllegalArgumentException("soos.scheduler.coordinator.lost-after-intervals must be >= "
          + "stale-after-intervals (" + staleAfterIntervals + "), got: " + lostAfterIntervals);
    }
    requirePositive("spill-after", spillAfter);
    requirePositive("operation-timeout", operationTimeout);
    requirePositive("forget-after", forgetAfter);
    requirePositive("ask-timeout", askTimeout);
  }

  /** The settings with the default health thresholds ({@link TileHealth.Settings#DEFAULTS}). */
  public CoordinatorSettings(Duration reportInterval, int staleAfterIntervals, Duration passivateAfterIdle,
      int maxJobUpdates, Duration decisionInterval, int lostAfterIntervals, Duration spillAfter,
      Duration operationTimeout, Duration forgetAfter, Duration askTimeout) {
    this(reportInterval, staleAfterIntervals, passivateAfterIdle, maxJobUpdates, decisionInterval, lostAfterIntervals,
        spillAfter, operationTimeout, forgetAfter, askTimeout, TileHealth.Settings.DEFAULTS);
  }

  /**
   * The report-handling settings with every job-handling setting at its default (decision round every
   * 30 s simulated, TILE lost after 10 silent intervals, spill after 10 min simulated, operation timeout
   * 10 s, forget after 60 s, ask timeout 5 s).
   */
  public CoordinatorSettings(
      Duration reportInterval, int staleAfterIntervals, Duration passivateAfterIdle, int maxJobUpdates) {
    this(reportInterval, staleAfterIntervals, passivateAfterIdle, maxJobUpdates, Duration.ofSeconds(30),
        Math.max(10, staleAfterIntervals), Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(5));
  }

  /** Reads {@code soos.scheduler.coordinator} from the root config. */
  public static CoordinatorSettings fromConfig(Config root) {
    Config c = root.getConfig("soos.scheduler.coordinator");
    return new CoordinatorSettings(
        c.getDuration("report-interval"),
        c.getInt("stale-after-intervals"),
        c.getDuration("passivate-after-idle"),
        c.getInt("max-job-updates"),
        c.getDuration("decision-interval"),
        c.getInt("lost-after-intervals"),
        c.getDuration("spill-after"),
        c.getDuration("operation-timeout"),
        c.getDuration("forget-after"),
        c.getDuration("ask-timeout"),
        health(c));
  }

  private static TileHealth.Settings health(Config c) {
    if (!c.hasPath("health")) return TileHealth.Settings.DEFAULTS;
    Config h = c.getConfig("health");
    TileHealth.Settings d = TileHealth.Settings.DEFAULTS;
    return new TileHealth.Settings(
        h.hasPath("emergency-plate-temp-celsius") ? h.getDouble("emergency-plate-temp-celsius") : d.emergencyPlateTempCelsius(),
        h.hasPath("power-emergency-margin-wh") ? h.getDouble("power-emergency-margin-wh") : d.powerEmergencyMarginWh(),
        h.hasPath("max-restarts") ? h.getInt("max-restarts") : d.maxRestarts(),
        h.hasPath("restart-window") ? h.getDuration("restart-window") : d.restartWindow());
  }

  /** How long a TILE may stay silent before it is stale: report interval x stale-after-intervals. */
  public Duration staleAfter() {
    return reportInterval.multipliedBy(staleAfterIntervals);
  }

  /** How long a TILE may stay silent before its jobs are requeued: report interval x lost-after-intervals. */
  public Duration lostAfter() {
    return reportInterval.multipliedBy(lostAfterIntervals);
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("soos.scheduler.coordinator." + key + " must be > 0, got: " + d);
    }
  }
}
