package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.soos.shared.id.JobId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * Working state of one decision round: which Orin slots are taken and how much load each TILE
 * gains or loses from the decisions made so far in the round. Policies use it so that several
 * placements in one round account for each other.
 */
final class Candidates {
  /** A free Orin slot on a TILE that passed the filters, with what placing the job there would mean. */
  record Slot(TileView tile, OrinReport orin, double jobDrawWatts, double runSeconds,
      Optional<Instant> shortfall, double junctionAfterCelsius) {
    TileId tileId() {
      return tile.report().tileId();
    }

    int slot() {
      return orin.slot();
    }
  }

  private final ClusterView view;
  private final PolicySettings settings;
  private final Set<String> takenSlots = new HashSet<>();
  private final Map<TileId, Double> loadDeltaWatts = new HashMap<>();

  Candidates(ClusterView view, PolicySettings settings) {
    this.view = view;
    this.settings = settings;
    for (RunningJob r : view.running()) takenSlots.add(key(r.tileId(), r.slot()));
    for (TileView t : view.tiles().values()) {
      for (OrinReport o : t.report().orins()) {
        for (JobProgress p : o.jobs()) {
          if (p.state() == JobProgress.JobRunState.RUNNING || p.state() == JobProgress.JobRunState.CHECKPOINTING) {
            takenSlots.add(key(t.report().tileId(), o.slot()));
          }
        }
      }
    }
  }

  static String key(TileId tile, int slot) {
    return tile.value() + "#" + slot;
  }

  boolean isTaken(TileId tile, int slot) {
    return takenSlots.contains(key(tile, slot));
  }

  void take(TileId tile, int slot, double drawWatts) {
    takenSlots.add(key(tile, slot));
    loadDeltaWatts.merge(tile, drawWatts, Double::sum);
  }

  void release(TileId tile, int slot, double drawWatts) {
    takenSlots.remove(key(tile, slot));
    loadDeltaWatts.merge(tile, -drawWatts, Double::sum);
  }

  double loadDelta(TileId tile) {
    return loadDeltaWatts.getOrDefault(tile, 0.0);
  }

  /** Electrical draw a job adds on this Orin in its current power mode, watts (idle excluded). */
  static double jobDrawWatts(JobSpec spec, OrinReport orin) {
    OrinModule module = orin.module();
    PowerMode mode = module.mode(orin.powerModeId()).orElse(module.maxMode());
    double scaled = spec.powerWatts() * mode.speedFactor() / module.maxMode().speedFactor();
    return Math.max(0.0, Math.min(scaled, mode.budgetWatts() - module.idleWatts()));
  }

  /** Simulated seconds the Orin needs for {@code gpuSeconds} of work in its current mode. */
  static double runSeconds(double gpuSeconds, OrinReport orin) {
    OrinModule module = orin.module();
    PowerMode mode = module.mode(orin.powerModeId()).orElse(module.maxMode());
    return gpuSeconds / mode.speedFactor();
  }

  /** Whether the job's placement constraints allow this TILE and Orin. */
  static boolean allowed(JobSpec spec, TileReport tile, OrinReport orin) {
    JobSpec.PlacementConstraints c = spec.placement();
    if (c == null) return true;
    if (c.planes() != null && !c.planes().isEmpty() && !c.planes().contains(tile.planeId().value())) return false;
    if (c.tiles() != null && !c.tiles().isEmpty() && !c.tiles().contains(tile.tileId().value())) return false;
    return c.orinModules() == null || c.orinModules().isEmpty() || c.orinModules().contains(orin.module().name());
  }

  /**
   * Every free Orin slot that can take {@code spec} with {@code remainingGpuSeconds} of work left,
   * outside {@code excludeTile}, that passes the hard filters: fresh healthy TILE not shedding,
   * constraints, memory, Orin nominal, junction stays under throttle minus margin. Energy is
   * evaluated but not filtered here (policies differ on that).
   */
  List<Slot> freeSlots(JobSpec spec, double remainingGpuSeconds, TileId excludeTile, boolean predictEnergy) {
    Instant now = view.now();
    List<Slot> out = new java.util.ArrayList<>();
    List<TileView> tiles = view.tiles().values().stream()
        .sorted(java.util.Comparator.comparing(t -> t.report().tileId()))
        .toList();
    for (TileView t : tiles) {
      TileReport r = t.report();
      if (!t.healthy() || r.shedding() || r.tileId().equals(excludeTile)) continue;
      if (Duration.between(r.simTime(), now).compareTo(settings.maxReportAge()) > 0) continue;
      for (OrinReport o : r.orins()) {
        if (isTaken(r.tileId(), o.slot())) continue;
        if (o.health() != OrinReport.OrinHealth.NOMINAL) continue;
        if (spec.memoryGb() > o.module().memoryGb()) continue;
        if (!allowed(spec, r, o)) continue;
        double draw = jobDrawWatts(spec, o);
        double junctionAfter = o.junctionTempCelsius() + settings.junctionToPlateKelvinPerWatt() * draw;
        if (junctionAfter > settings.throttleTempCelsius() - settings.thermalMarginCelsius()) continue;
        Optional<Instant> shortfall = predictEnergy
            ? EnergyForecast.shortfall(r, loadDelta(r.tileId()) + draw, settings, now)
            : Optional.empty();
        out.add(new Slot(t, o, draw, runSeconds(remainingGpuSeconds, o), shortfall, junctionAfter));
      }
    }
    return out;
  }

  /** The job ids of the reports' running jobs on a TILE, for callers that need them. */
  static Set<JobId> jobsOn(TileReport r) {
    Set<JobId> ids = new HashSet<>();
    for (OrinReport o : r.orins()) for (JobProgress p : o.jobs()) ids.add(p.jobId());
    return ids;
  }
}
