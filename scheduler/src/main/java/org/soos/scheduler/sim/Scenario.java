package org.soos.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.soos.shared.orbit.ConstellationBuilder;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TileSpec;

/**
 * One simulation scenario: which constellation flies, on what TILE hardware, with which links, under
 * which workload, for how long, from which seed. Read from a JSON file by {@link ScenarioLoader} (the
 * format is documented in {@code docs/SIMULATOR.md}); immutable.
 *
 * @param name short name, used in reports and file names
 * @param description one line for people
 * @param start simulated UTC instant the run starts at
 * @param duration simulated time the run covers, &gt; 0
 * @param seed seed of the workload generator
 * @param constellation the TILEs and their orbits
 * @param tileCount how many TILEs of the constellation take part: all of them, or the first
 *     {@code tileCount} in constellation order (plane-major) after a {@code --tiles} override
 * @param tile every TILE's hardware
 * @param initial where every TILE's state starts
 * @param links inter-TILE links for checkpoint transfers
 * @param workload the jobs
 * @param simulation how the simulator steps and decides
 */
public record Scenario(
    String name,
    String description,
    Instant start,
    Duration duration,
    long seed,
    ConstellationSpec constellation,
    int tileCount,
    TileSpec tile,
    TileInitialConditions initial,
    Links links,
    WorkloadSpec workload,
    SimSettings simulation) {

  public Scenario {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
    if (start == null) throw new IllegalArgumentException("start is required (an ISO-8601 UTC instant)");
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("hours must be > 0, got: " + duration);
    }
    if (constellation == null) throw new IllegalArgumentException("constellation is required");
    if (tile == null) throw new IllegalArgumentException("tile is required");
    if (initial == null) throw new IllegalArgumentException("tile.initial is required");
    if (links == null) throw new IllegalArgumentException("links is required");
    if (workload == null) throw new IllegalArgumentException("workload is required");
    if (simulation == null) throw new IllegalArgumentException("simulation is required");
    if (tileCount < 1) throw new IllegalArgumentException("tileCount must be >= 1, got: " + tileCount);
  }

  /** End of the run (exclusive). */
  public Instant end() {
    return start.plus(duration);
  }

  /** The TILEs that take part, in constellation order. */
  public List<TileOrbit> tiles() {
    List<TileOrbit> all = constellation.build();
    if (tileCount >= all.size()) return all;
    return all.subList(0, tileCount);
  }

  /**
   * The same scenario with {@code tiles} TILEs: a Walker or sun-synchronous layout keeps its number of
   * planes and gets ceil(tiles / planes) TILEs per plane, of which the first {@code tiles} take part
   * (the last plane may be short). A TLE catalog keeps its first {@code tiles} entries.
   */
  public Scenario withTiles(int tiles) {
    if (tiles < 1 || tiles > ConstellationBuilder.MAX_TILES) {
      throw new IllegalArgumentException("--tiles must be in 1.." + ConstellationBuilder.MAX_TILES + ", got: " + tiles);
    }
    ConstellationSpec c = constellation;
    if (c.type() != ConstellationSpec.Type.TLE) {
      int planes = Math.min(c.planes(), tiles);
      int perPlane = (tiles + planes - 1) / planes;
      int phasing = Math.min(c.phasing(), planes - 1);
      c = new ConstellationSpec(c.type(), c.altitudeKm(), c.inclinationDeg(), planes, perPlane, phasing,
          c.ltanHours(), c.tleFile(), c.epoch());
    }
    return new Scenario(name, description, start, duration, seed, c, tiles, tile, initial, links, workload,
        simulation);
  }

  /** The same scenario over {@code newDuration} (tests use short runs of the shipped scenarios). */
  public Scenario withDuration(Duration newDuration) {
    return new Scenario(name, description, start, newDuration, seed, constellation, tileCount, tile, initial, links,
        workload, simulation);
  }

  /** The same scenario with another seed. */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, start, duration, newSeed, constellation, tileCount, tile, initial, links,
        workload, simulation);
  }

  /**
   * Inter-TILE links used to move checkpoints.
   *
   * @param inPlaneBitsPerSecond between TILEs of one plane (neighbours in the ring), bit/s, &gt; 0
   * @param crossPlaneBitsPerSecond between planes, bit/s, &gt; 0
   * @param transmitWatts extra draw of the sending TILE while a checkpoint is on the link, W, &gt;= 0
   */
  public record Links(double inPlaneBitsPerSecond, double crossPlaneBitsPerSecond, double transmitWatts) {
    public Links {
      if (!(inPlaneBitsPerSecond > 0) || Double.isInfinite(inPlaneBitsPerSecond)) {
        throw new IllegalArgumentException("links.inPlaneGbps must be > 0, got: " + inPlaneBitsPerSecond / 1e9);
      }
      if (!(crossPlaneBitsPerSecond > 0) || Double.isInfinite(crossPlaneBitsPerSecond)) {
        throw new IllegalArgumentException("links.crossPlaneGbps must be > 0, got: " + crossPlaneBitsPerSecond / 1e9);
      }
      if (!(transmitWatts >= 0) || Double.isInfinite(transmitWatts)) {
        throw new IllegalArgumentException("links.transmitWatts must be >= 0, got: " + transmitWatts);
      }
    }

    /** Seconds to send {@code bytes} between two TILEs. */
    public double transferSeconds(long bytes, boolean samePlane) {
      return bytes * 8.0 / (samePlane ? inPlaneBitsPerSecond : crossPlaneBitsPerSecond);
    }
  }

  /**
   * How the simulator steps and decides.
   *
   * @param step physics step (cut at every shadow edge), &gt; 0, at most the decision interval
   * @param decisionInterval simulated time between two calls of the policy, a multiple of {@code step}
   * @param forecastRefresh simulated time between two full forecasts of a TILE (as the TILE actor's
   *     {@code forecast-refresh}); the report in between carries the last forecast's points from now on
   * @param forecastInterval spacing of forecast points
   * @param forecastOrbits forecast length, orbits
   * @param shedLeadTime a TILE sheds load when its battery would reach the reserve floor within this time
   * @param shedReleasePercent and stops once it is this many % of capacity above the floor again
   * @param throttleDwell time an Orin's thermal guard waits between two mode changes
   * @param reportEclipseCount shadow passes listed per report
   * @param sampleTiles how many TILEs' battery and junction temperature are recorded for the plots
   */
  public record SimSettings(
      Duration step,
      Duration decisionInterval,
      Duration forecastRefresh,
      Duration forecastInterval,
      double forecastOrbits,
      Duration shedLeadTime,
      double shedReleasePercent,
      Duration throttleDwell,
      int reportEclipseCount,
      int sampleTiles) {

    public SimSettings {
      positive("simulation.stepSeconds", step);
      positive("simulation.decisionIntervalSeconds", decisionInterval);
      positive("simulation.forecastRefreshMinutes", forecastRefresh);
      positive("simulation.forecastIntervalMinutes", forecastInterval);
      positive("simulation.shedLeadTimeSeconds", shedLeadTime);
      if (throttleDwell == null || throttleDwell.isNegative()) {
        throw new IllegalArgumentException("simulation.throttleDwellSeconds must be >= 0, got: " + throttleDwell);
      }
      if (step.toMillis() % 1000 != 0 || decisionInterval.toMillis() % step.toMillis() != 0) {
        throw new IllegalArgumentException("simulation.decisionIntervalSeconds (" + decisionInterval.toSeconds()
            + ") must be a multiple of simulation.stepSeconds (" + step.toSeconds() + "), both whole seconds");
      }
      if (!(forecastOrbits > 0 && forecastOrbits <= 6)) {
        throw new IllegalArgumentException("simulation.forecastOrbits must be in (0, 6], got: " + forecastOrbits);
      }
      if (!(shedReleasePercent >= 0 && shedReleasePercent <= 100)) {
        throw new IllegalArgumentException("simulation.shedReleasePercent must be in 0..100, got: " + shedReleasePercent);
      }
      if (reportEclipseCount < 2) {
        throw new IllegalArgumentException("simulation.reportEclipseCount must be >= 2, got: " + reportEclipseCount);
      }
      if (sampleTiles < 0) throw new IllegalArgumentException("simulation.sampleTiles must be >= 0, got: " + sampleTiles);
    }

    /** 60 s steps, a decision every 5 minutes, forecasts as the TILE actor makes them (5 min points, 2 orbits). */
    public static SimSettings defaults() {
      return new SimSettings(Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(30),
          Duration.ofMinutes(5), 2.0, Duration.ofMinutes(3), 5.0, Duration.ofSeconds(30), 3, 3);
    }

    private static void positive(String field, Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(field + " must be > 0, got: " + d);
      }
    }
  }
}
