package org.soos.tile.sensor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.power.PowerLedger;
import org.soos.shared.power.SolarArray;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;

/**
 * The simulated environment of one emulated TILE: {@link TilePhysics} stepped from the last instant to
 * the requested one in sub-steps of at most {@code maxSubStep}, cut at every shadow edge of the
 * timeline, each with the sunlit fraction at its midpoint. Keeps a {@link PowerLedger} of everything it
 * stepped.
 */
public final class SimulatedTileSensors implements TileSensors {
  private final TileSpec spec;
  private final TilePhysics.State state;
  private final PowerLedger ledger = new PowerLedger();
  private final long maxSubStepNanos;
  private Instant time;
  private SensorReadings latest;

  /**
   * @param spec the TILE's hardware
   * @param initial where its state starts
   * @param start simulated instant of the start
   * @param maxSubStep longest physics sub-step, &gt; 0
   */
  public SimulatedTileSensors(TileSpec spec, TileInitialConditions initial, Instant start, Duration maxSubStep) {
    if (maxSubStep == null || maxSubStep.isZero() || maxSubStep.isNegative()) {
      throw new IllegalArgumentException("maxSubStep must be > 0, got: " + maxSubStep);
    }
    this.spec = spec;
    this.state = TilePhysics.State.initial(spec, initial);
    this.maxSubStepNanos = maxSubStep.toNanos();
    this.time = start;
    this.latest = new SensorReadings(start, 1.0, 0.0, spec.housekeepingWatts(), state.batteryEnergyWh(),
        state.plateTempCelsius(), state.junctionTempsCelsius(), false, 0.0);
  }

  /** A factory of simulated sensors with the given initial conditions and sub-step. */
  public static Factory factory(TileInitialConditions initial, Duration maxSubStep) {
    return (tileId, spec, start) -> new SimulatedTileSensors(spec, initial, start, maxSubStep);
  }

  @Override
  public SensorReadings advance(Instant until, double[] orinDrawWatts, EclipseTimeline timeline) {
    if (until.isBefore(time)) {
      throw new IllegalArgumentException("until " + until + " is before the latest readings at " + time);
    }
    if (!timeline.covers(time) || until.isAfter(timeline.until())) {
      throw new IllegalArgumentException("the timeline [" + timeline.from() + ", " + timeline.until()
          + ") does not cover [" + time + ", " + until + "]");
    }
    boolean brownout = false;
    double unmetWh = 0.0;
    Instant t = time;
    while (t.isBefore(until)) {
      Instant end = t.plusNanos(maxSubStepNanos);
      if (end.isAfter(until)) end = until;
      Optional<Instant> edge = timeline.nextTransitionAfter(t);
      if (edge.isPresent() && edge.get().isBefore(end)) end = edge.get();
      long nanos = Duration.between(t, end).toNanos();
      double fraction = timeline.sunlitFractionAt(t.plusNanos(nanos / 2));
      TilePhysics.StepResult r = TilePhysics.step(spec, state, fraction, orinDrawWatts, nanos / 1e9, ledger);
      brownout |= r.payloadBrownout();
      unmetWh += r.unmetWatts() * nanos / 3.6e12;
      t = end;
    }
    time = until;
    double load = spec.housekeepingWatts();
    for (double w : orinDrawWatts) load += w;
    double fractionNow = timeline.covers(until) ? timeline.sunlitFractionAt(until) : latest.sunlitFraction();
    double solarNow = SolarArray.outputWatts(spec.solar(), fractionNow, spec.solar().cosIncidence(),
        Math.min(400.0, state.plateTempCelsius()));
    latest = new SensorReadings(until, fractionNow, solarNow, load, state.batteryEnergyWh(), state.plateTempCelsius(),
        state.junctionTempsCelsius(), brownout, unmetWh);
    return latest;
  }

  @Override
  public Instant time() {
    return time;
  }

  @Override
  public SensorReadings latest() {
    return latest;
  }

  @Override
  public TilePhysics.State state() {
    return state;
  }

  /** Energy account of everything stepped so far. */
  public PowerLedger ledger() {
    return ledger;
  }
}
