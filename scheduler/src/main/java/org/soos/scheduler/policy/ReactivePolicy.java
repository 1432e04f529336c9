package org.soos.scheduler.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.soos.shared.id.PlaneId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * A reactive scheduler, like a cluster scheduler plus a descheduler that watches node conditions, with no
 * prediction: it only acts on what the reports say now.
 * <ul>
 *   <li><b>Eclipse.</b> A migratable job on a TILE that is in Earth's shadow (penumbra or umbra) is moved to
 *       a free Orin on a sunlit TILE.</li>
 *   <li><b>Thermal.</b> A migratable job on an Orin whose junction is within half the thermal margin of the
 *       throttle temperature, or that its guard throttled or shut down, is moved to a cool Orin on a sunlit
 *       TILE; if it cannot move, its Orin's power mode is lowered one step.</li>
 *   <li><b>Placement.</b> As {@link StaticBinpackPolicy} (priority then age; free slot, static power
 *       capacity; least allocated), but only on sunlit TILEs and cool Orins (the conditions above act as
 *       taints).</li>
 * </ul>
 * Moves are rate-limited to {@code maxMigrationsPerDecision} per plane per round; targets are chosen least
 * allocated first. Pure and deterministic; no clock reads.
 */
public final class ReactivePolicy implements SchedulingPolicy {
  private final PolicySettings settings;
  private final double staticPowerCapacityWatts;

  /**
   * @param settings thermal thresholds, link bandwidths, migration rate limit, report age limit
   * @param staticPowerCapacityWatts the power a TILE declares allocatable to its Orins, W, &gt; 0
   */
  public ReactivePolicy(PolicySettings settings, double staticPowerCapacityWatts) {
    if (!(staticPowerCapacityWatts > 0)) {
      throw new IllegalArgumentException("staticPowerCapacityWatts must be > 0, got " + staticPowerCapacityWatts);
    }
    this.settings = settings;
    this.staticPowerCapacityWatts = staticPowerCapacityWatts;
  }

  @Override
  public String name() {
    return "reactive";
  }

  private double hotCelsius() {
    return settings.throttleTempCelsius() - settings.thermalMarginCelsius() / 2.0;
  }

  private boolean sunlit(BinpackState.Node n) {
    return n.report().eclipseState() == EclipseState.SUNLIT;
  }

  private boolean cool(OrinReport o, double addedWatts) {
    return o.health() == OrinReport.OrinHealth.NOMINAL
        && o.junctionTempCelsius() + settings.junctionToPlateKelvinPerWatt() * addedWatts
            <= settings.throttleTempCelsius() - settings.thermalMarginCelsius();
  }

  @Override
  public List<Decision> decide(ClusterView view) {
    BinpackState state = new BinpackState(view, settings, staticPowerCapacityWatts);
    state.keepOpen(this::sunlit); // shadow acts as a taint: nothing lands on a TILE in eclipse
    List<Decision> out = new ArrayList<>();
    Map<PlaneId, Integer> moves = new HashMap<>();
    BinpackState.Misses stuck = new BinpackState.Misses();
    List<RunningJob> running = new ArrayList<>(view.running());
    running.sort(java.util.Comparator.comparing(RunningJob::tileId).thenComparingInt(RunningJob::slot));
    for (RunningJob job : running) {
      if (job.moving()) continue;
      BinpackState.Node node = state.node(job.tileId());
      if (node == null) continue;
      TileReport r = node.report();
      OrinReport orin = BinpackState.orin(r, job.slot());
      if (orin == null) continue;
      boolean dark = r.eclipseState() != EclipseState.SUNLIT;
      boolean hot = orin.junctionTempCelsius() >= hotCelsius() || orin.health() != OrinReport.OrinHealth.NOMINAL;
      if (!dark && !hot) continue;
      int used = moves.getOrDefault(r.planeId(), 0);
      if (job.spec().migratable() && used < settings.maxMigrationsPerDecision() && !stuck.dominated(job.spec())) {
        double req = BinpackState.request(job.spec(), orin);
        BinpackState.Choice c = state.best(job.spec(), view.now(),
            n -> !n.id().equals(r.tileId()), (n, o) -> cool(o, Candidates.jobDrawWatts(job.spec(), o)));
        if (c == null && !sunlit(node)) stuck.add(job.spec()); // (a sunlit source is not a candidate: no memo)
        if (c != null) {
          boolean samePlane = c.node().report().planeId().equals(r.planeId());
          long bytes = job.spec().checkpoint().sizeBytes();
          out.add(new Decision.Migrate(job.jobId(), r.tileId(), job.slot(), c.node().id(),
              c.node().report().planeId(), c.orin().slot(), dark ? "eclipse" : "thermal",
              settings.transferSeconds(bytes, samePlane)));
          state.take(c.node(), c.orin().slot(), BinpackState.request(job.spec(), c.orin()));
          state.release(node, job.slot(), req);
          moves.put(r.planeId(), used + 1);
          continue;
        }
      }
      if (hot) {
        OrinModule module = orin.module();
        PowerMode mode = module.mode(orin.powerModeId()).orElse(module.maxMode());
        Optional<PowerMode> lower = module.nextLower(mode);
        lower.ifPresent(m -> out.add(new Decision.SetPowerMode(job.jobId(), r.tileId(), job.slot(), m.id(),
            "thermal-throttle")));
      }
    }
    BinpackState.Misses misses = new BinpackState.Misses();
    for (PendingJob job : BinpackState.queue(view.pending())) {
      if (state.full()) break;
      if (misses.dominated(job.spec())) continue;
      BinpackState.Choice c = state.best(job.spec(), view.now(), n -> true,
          (n, o) -> cool(o, Candidates.jobDrawWatts(job.spec(), o)));
      if (c == null) {
        misses.add(job.spec());
        continue;
      }
      out.add(new Decision.Place(job.jobId(), c.node().id(), c.node().report().planeId(), c.orin().slot(),
          "sunlit-least-allocated"));
      state.take(c.node(), c.orin().slot(), BinpackState.request(job.spec(), c.orin()));
    }
    return out;
  }
}
