package org.soos.scheduler.sim;

import java.util.List;

/**
 * What one policy achieved on one scenario. Deterministic: no wall-clock figure is part of it.
 *
 * @param policy the policy's name
 * @param metrics the summary figures ({@code summary.json}'s {@code policies.<name>})
 * @param energy where the harvested energy went
 * @param counters how often things happened
 * @param series constellation totals, one point per decision interval
 * @param samples battery and junction temperature of the sample TILEs, one point per decision interval
 * @param tileIds the TILEs in constellation order
 * @param workPerTileGpuHours useful work done on each TILE, GPU-hours (same order as {@code tileIds})
 */
public record PolicyResult(
    String policy,
    Metrics metrics,
    Energy energy,
    Counters counters,
    List<SeriesPoint> series,
    List<TileSample> samples,
    List<String> tileIds,
    double[] workPerTileGpuHours) {

  /**
   * The summary figures of issue 4 / BENCHMARKS.md section 1.
   *
   * @param harvestedWh array output available over the run, Wh
   * @param usefulWorkWh Orin energy that went into progress that was kept (completed, checkpointed, or still
   *     running at the end), Wh
   * @param usefulWorkGpuHours progress kept: completed work, checkpointed work and the progress of jobs still
   *     running at the end, GPU-hours at full speed
   * @param lostWorkGpuHours progress thrown away when running jobs died (brownout, or stopped without a
   *     checkpoint), GPU-hours; it has to be done again
   * @param jobsSubmitted jobs that arrived during the run
   * @param jobsCompleted jobs that finished
   * @param jobsLost jobs that lost progress at least once (a running instance died with work not covered by a checkpoint)
   * @param deadlineMissPercent of the jobs with a deadline that passed within the run or that completed, the
   *     share that did not complete by it, %
   * @param migrations migrations started (checkpoint moved to another Orin)
   * @param migrationBytes checkpoint bytes moved over the links
   * @param thermalViolationSeconds Orin-seconds with a junction at or above its shutdown (hard) limit
   * @param brownouts payload-bus cuts (episodes, per TILE)
   * @param slowdownP50 median of (completion - submission) / run time at full speed over completed jobs (null: none)
   * @param slowdownP95 95th percentile of the same (null: none)
   */
  public record Metrics(
      double harvestedWh,
      double usefulWorkWh,
      double usefulWorkGpuHours,
      double lostWorkGpuHours,
      long jobsSubmitted,
      long jobsCompleted,
      long jobsLost,
      double deadlineMissPercent,
      long migrations,
      long migrationBytes,
      double thermalViolationSeconds,
      long brownouts,
      Double slowdownP50,
      Double slowdownP95) {}

  /**
   * Energy account of the whole constellation, Wh. The array's output splits as
   * {@code harvested = consumed + stored + conversionLoss + curtailed} (each TILE's ledger), and the load
   * served splits as {@code consumed = housekeeping + usefulJob + wastedJob + idle + link}.
   */
  public record Energy(
      double harvestedWh,
      double consumedWh,
      double storedWh,
      double conversionLossWh,
      double curtailedWh,
      double unmetWh,
      double housekeepingWh,
      double usefulJobWh,
      double wastedJobWh,
      double idleWh,
      double linkWh) {

    /** harvested - (consumed + stored + losses + curtailed), Wh. */
    public double ledgerClosureWh() {
      return harvestedWh - (consumedWh + storedWh + conversionLossWh + curtailedWh);
    }

    /** consumed - (housekeeping + useful + wasted + idle + link), Wh. */
    public double loadClosureWh() {
      return consumedWh - (housekeepingWh + usefulJobWh + wastedJobWh + idleWh + linkWh);
    }
  }

  /**
   * Event counts. {@code rejectedDecisions}: decisions the TILEs refused (stale, no room, shedding, Orin off);
   * {@code losses*}: running instances that stopped with work not covered by a checkpoint, by cause (a
   * brownout; the TILE's load shedding, the Orin's thermal shutdown or a policy decision stopping a job that
   * cannot checkpoint).
   */
  public record Counters(
      long placements,
      long preemptions,
      long suspensions,
      long powerModeChanges,
      long rejectedDecisions,
      long brownoutKills,
      long shedSuspensions,
      long thermalShutdowns,
      long thermalThrottles,
      double executedGpuHours,
      long decisionRounds,
      long lossesAtBrownout,
      long lossesAtShedding,
      long lossesAtThermalShutdown,
      long lossesAtDecision) {}

  /**
   * Constellation totals over one decision interval ending at {@code hours}.
   *
   * @param hours simulated hours since the start
   * @param harvestedWatts mean array output available, W
   * @param payloadWatts mean Orin draw served (jobs, idle Orins and links), W
   * @param jobWatts mean draw of the Orins while running jobs, W (the rest of the payload is idle Orins and links)
   * @param runningJobs jobs running at the end of the interval
   * @param pendingJobs jobs waiting at the end of the interval
   */
  public record SeriesPoint(double hours, double harvestedWatts, double payloadWatts, double jobWatts,
      int runningJobs, int pendingJobs) {}

  /** One sample TILE at one instant: battery energy and its hottest Orin junction. */
  public record TileSample(String tileId, double hours, double batteryEnergyWh, double maxJunctionTempCelsius,
      double plateTempCelsius) {}
}
