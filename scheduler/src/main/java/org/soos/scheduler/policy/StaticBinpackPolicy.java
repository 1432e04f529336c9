package org.soos.scheduler.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cluster scheduler does today (kube-scheduler's defaults, with power as an extended resource):
 * pending jobs in priority, then age order; filter the Orins that are free, not shut down, with enough
 * memory and allowed by the job's constraints, on TILEs that are ready (healthy, reporting, not shedding)
 * and whose static power capacity still covers the job's request; pick the least allocated; never migrate,
 * never preempt, never change a power mode. A job whose TILE browns out or whose Orin shuts down comes back
 * as pending (from its last checkpoint) and is placed again like any other.
 *
 * <p>Pure and deterministic; no clock reads.
 */
public final class StaticBinpackPolicy implements SchedulingPolicy {
  private final PolicySettings settings;
  private final double staticPowerCapacityWatts;

  /**
   * @param settings report age limit
   * @param staticPowerCapacityWatts the power a TILE declares allocatable to its Orins (e.g. its array's
   *     rated output less housekeeping), W, &gt; 0
   */
  public StaticBinpackPolicy(PolicySettings settings, double staticPowerCapacityWatts) {
    if (!(staticPowerCapacityWatts > 0)) {
      throw new IllegalArgumentException("staticPowerCapacityWatts must be > 0, got " + staticPowerCapacityWatts);
    }
    this.settings = settings;
    this.staticPowerCapacityWatts = staticPowerCapacityWatts;
  }

  @Override
  public String name() {
    return "static-binpack";
  }

  @Override
  public List<Decision> decide(ClusterView view) {
    BinpackState state = new BinpackState(view, settings, staticPowerCapacityWatts);
    List<Decision> out = new ArrayList<>();
    BinpackState.Misses misses = new BinpackState.Misses();
    for (PendingJob job : BinpackState.queue(view.pending())) {
      if (state.full()) break;
      if (misses.dominated(job.spec())) continue;
      BinpackState.Choice c = state.best(job.spec(), view.now(), n -> true, (n, o) -> true);
      if (c == null) {
        misses.add(job.spec());
        continue;
      }
      out.add(new Decision.Place(job.jobId(), c.node().id(), c.node().report().planeId(), c.orin().slot(),
          "least-allocated"));
      state.take(c.node(), c.orin().slot(), BinpackState.request(job.spec(), c.orin()));
    }
    return out;
  }
}
