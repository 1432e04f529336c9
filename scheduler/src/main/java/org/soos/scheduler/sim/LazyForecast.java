package org.soos.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.tile.TileForecast;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;

/**
 * A TILE's {@link TileForecast#forecast} made from a snapshot of its state, computed the first time someone
 * reads its points. A policy that never looks at forecasts costs nothing; one that does gets exactly the
 * points an eager forecast at the snapshot's instant would have given. Thread-safe.
 */
final class LazyForecast {
  private final TileSpec spec;
  private final TilePhysics.State snapshot;
  private final EclipseTimeline timeline;
  private final Instant at;
  private final double[] draws;
  private final Duration horizon;
  private final Duration interval;
  private List<BudgetForecastPoint> points;
  private volatile boolean read;

  LazyForecast(TileSpec spec, TilePhysics.State state, EclipseTimeline timeline, Instant at, double[] draws,
      Duration horizon, Duration interval) {
    this.spec = spec;
    this.snapshot = state.copy();
    this.timeline = timeline;
    this.at = at;
    this.draws = draws.clone();
    this.horizon = horizon;
    this.interval = interval;
  }

  /** The points, computed now if they were not yet. */
  synchronized List<BudgetForecastPoint> points() {
    return compute();
  }

  /** Computes the points ahead of need (e.g. on a worker thread) without marking them read. */
  synchronized void prepare() {
    compute();
  }

  /** True once someone outside {@link #prepare} asked for the points. */
  boolean read() {
    return read;
  }

  private List<BudgetForecastPoint> compute() {
    if (points == null) {
      points = TileForecast.forecast(spec, snapshot, timeline, at, draws, horizon, interval).points();
    }
    return points;
  }

  /** The points at or after {@code from}, as the TILE actor puts them in a report. */
  List<BudgetForecastPoint> from(Instant from) {
    return new View(from);
  }

  private final class View extends AbstractList<BudgetForecastPoint> {
    private final Instant from;
    private List<BudgetForecastPoint> all;
    private int first;

    View(Instant from) {
      this.from = from;
    }

    private List<BudgetForecastPoint> all() {
      List<BudgetForecastPoint> p = all;
      if (p == null) {
        read = true;
        p = points();
        int k = 0;
        while (k < p.size() && p.get(k).at().isBefore(from)) k++;
        first = k;
        all = p;
      }
      return p;
    }

    @Override
    public BudgetForecastPoint get(int index) {
      List<BudgetForecastPoint> p = all();
      if (index < 0 || first + index >= p.size()) throw new IndexOutOfBoundsException(index);
      return p.get(first + index);
    }

    @Override
    public int size() {
      List<BudgetForecastPoint> p = all();
      return p.size() - first;
    }
  }
}
