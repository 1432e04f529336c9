package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.soos.shared.id.TileId;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * The SOOS policy: predictive placement and migration.
 *
 * <p>Each round, in this order:
 * <ol>
 *   <li><b>Energy.</b> For every TILE with running jobs, replay its solar forecast with its current
 *       load ({@link EnergyForecast}). If the battery would reach its reserve before the jobs finish,
 *       then once the start of the dark stretch holding that shortfall (usually eclipse entry) is
 *       within the migration lead plus the checkpoint transfer time, move jobs away (lowest priority
 *       first, then the cheapest to move) until what stays is carried through. A job that
 *       finishes before the shortfall stays; a job that cannot migrate is throttled to a lower
 *       power mode instead. Staying is always preferred when the battery carries the load.</li>
 *   <li><b>Thermal.</b> For every busy Orin, extrapolate its junction temperature over the lead time
 *       with the plate's trend; if it would cross throttle minus margin, move the job to a TILE with
 *       headroom, or lower the power mode when it cannot move.</li>
 *   <li><b>Placement.</b> Pending jobs by priority (high first), then deadline, then age: among the
 *       free Orins that pass the hard filters, prefer those whose TILE carries the job for the whole
 *       horizon (or until it finishes), then the longest time to an energy shortfall, then thermal
 *       headroom. A migratable job may start on a TILE that will run short later (it will be moved
 *       ahead of time); a job that cannot migrate only goes where it can finish. If no Orin fits,
 *       preempt the lowest-priority migratable job of lower priority.</li>
 * </ol>
 * Hysteresis: a job placed less than {@code minResidence} ago is not moved for thermal or energy
 * reasons unless its TILE is in emergency (shedding, Orin shut down). Rate limit:
 * {@code maxMigrationsPerDecision} per round.
 */
public final class SoosPolicy implements SchedulingPolicy {
  private final PolicySettings settings;

  public SoosPolicy(PolicySettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "soos";
  }

  @Override
  public List<Decision> decide(ClusterView view) {
    Candidates cands = new Candidates(view, settings);
    List<Decision> out = new ArrayList<>();
    int[] migrations = {0};
    Map<TileId, List<RunningJob>> byTile = view.running().stream()
        .filter(r -> !r.moving())
        .collect(Collectors.groupingBy(RunningJob::tileId, TreeMap::new, Collectors.toList()));

    for (Map.Entry<TileId, List<RunningJob>> e : byTile.entrySet()) {
      TileView tile = view.tiles().get(e.getKey());
      if (tile == null) continue; // the coordinator handles TILEs that vanished (node loss)
      planEnergy(view, tile, e.getValue(), cands, out, migrations);
    }
    for (Map.Entry<TileId, List<RunningJob>> e : byTile.entrySet()) {
      TileView tile = view.tiles().get(e.getKey());
      if (tile == null) continue;
      planThermal(view, tile, e.getValue(), cands, out, migrations);
    }
    planPlacements(view, cands, out);
    return out;
  }

  private boolean emergency(TileView tile) {
    TileReport r = tile.report();
    return r.shedding() || r.orins().stream().anyMatch(o -> o.health() == OrinReport.OrinHealth.SHUTDOWN);
  }

  private boolean settled(RunningJob job, Instant now) {
    return Duration.between(job.placedAt(), now).compareTo(settings.minResidence()) >= 0;
  }

  private void planEnergy(ClusterView view, TileView tile, List<RunningJob> jobs, Candidates cands,
      List<Decision> out, int[] migrations) {
    TileReport r = tile.report();
    Instant now = view.now();
    boolean emergency = emergency(tile);
    Optional<Instant> shortfall = EnergyForecast.shortfall(r, cands.loadDelta(r.tileId()), settings, now);
    if (shortfall.isEmpty() && !emergency) return;

    List<RunningJob> order = new ArrayList<>(jobs);
    order.sort(Comparator.comparingInt((RunningJob j) -> j.spec().priority())
        .thenComparingLong(j -> j.spec().checkpoint() == null ? Long.MAX_VALUE : j.spec().checkpoint().sizeBytes())
        .thenComparing(RunningJob::jobId));
    for (RunningJob job : order) {
      if (shortfall.isEmpty() && !emergency) return;
      if (migrations[0] >= settings.maxMigrationsPerDecision()) return;
      OrinReport orin = orin(r, job.slot());
      if (orin == null) continue;
      double secondsToShortfall = shortfall.map(s -> seconds(now, s)).orElse(0.0);
      // Hand work on before the array goes dark, so the checkpoint and transfer run on sunlight.
      double secondsToAct = shortfall.map(s -> seconds(now, EnergyForecast.darkStretchStart(r, s))).orElse(0.0);
      double runSeconds = Candidates.runSeconds(job.remainingGpuSeconds(), orin);
      if (!emergency && runSeconds < secondsToShortfall) continue; // finishes first: stay
      long bytes = job.spec().checkpoint() == null ? 0 : job.spec().checkpoint().sizeBytes();
      double leadSeconds = settings.migrationLead().toSeconds() + settings.transferSeconds(bytes, false);
      if (!emergency && secondsToAct > leadSeconds) continue; // not yet: conditions may still change
      if (!emergency && !settled(job, now)) continue;
      double draw = Candidates.jobDrawWatts(job.spec(), orin);
      if (job.spec().migratable()) {
        Optional<Candidates.Slot> target = bestTarget(job.spec(), job.remainingGpuSeconds(), r.tileId(), cands, now, true);
        if (target.isPresent()) {
          Candidates.Slot t = target.get();
          boolean samePlane = t.tile().report().planeId().equals(r.planeId());
          out.add(new Decision.Migrate(job.jobId(), r.tileId(), job.slot(), t.tileId(), t.tile().report().planeId(),
              t.slot(), emergency ? "emergency-energy" : "eclipse-energy", settings.transferSeconds(bytes, samePlane)));
          cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
          cands.release(r.tileId(), job.slot(), draw);
          migrations[0]++;
        } else if (emergency) {
          out.add(new Decision.Suspend(job.jobId(), r.tileId(), job.slot(), "emergency-energy-no-target"));
          cands.release(r.tileId(), job.slot(), draw);
        }
      } else {
        Optional<PowerMode> lower = lowerMode(orin);
        if (lower.isPresent()) {
          out.add(new Decision.SetPowerMode(job.jobId(), r.tileId(), job.slot(), lower.get().id(), "energy-throttle"));
          double newDraw = drawAt(job, orin, lower.get());
          cands.release(r.tileId(), job.slot(), draw - newDraw);
          cands.take(r.tileId(), job.slot(), 0.0);
        }
      }
      shortfall = EnergyForecast.shortfall(r, cands.loadDelta(r.tileId()), settings, now);
      emergency = false; // one job moved off an emergency TILE per round is enough to re-evaluate
    }
  }

  private void planThermal(ClusterView view, TileView tile, List<RunningJob> jobs, Candidates cands,
      List<Decision> out, int[] migrations) {
    TileReport r = tile.report();
    Instant now = view.now();
    double leadSeconds = settings.migrationLead().toSeconds();
    double limit = settings.throttleTempCelsius() - settings.thermalMarginCelsius() / 2.0;
    for (RunningJob job : jobs) {
      if (out.stream().anyMatch(d -> d.jobId().equals(job.jobId()))) continue;
      OrinReport orin = orin(r, job.slot());
      if (orin == null) continue;
      double predicted = orin.junctionTempCelsius() + Math.max(0.0, tile.plateTrendCelsiusPerSecond()) * leadSeconds;
      boolean hot = predicted >= limit || orin.health() != OrinReport.OrinHealth.NOMINAL;
      if (!hot) continue;
      if (!settled(job, now) && orin.health() == OrinReport.OrinHealth.NOMINAL) continue;
      double draw = Candidates.jobDrawWatts(job.spec(), orin);
      if (job.spec().migratable() && migrations[0] < settings.maxMigrationsPerDecision()) {
        Optional<Candidates.Slot> target = bestTarget(job.spec(), job.remainingGpuSeconds(), r.tileId(), cands, now, true);
        if (target.isPresent()) {
          Candidates.Slot t = target.get();
          long bytes = job.spec().checkpoint().sizeBytes();
          boolean samePlane = t.tile().report().planeId().equals(r.planeId());
          out.add(new Decision.Migrate(job.jobId(), r.tileId(), job.slot(), t.tileId(), t.tile().report().planeId(),
              t.slot(), "thermal", settings.transferSeconds(bytes, samePlane)));
          cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
          cands.release(r.tileId(), job.slot(), draw);
          migrations[0]++;
          continue;
        }
      }
      lowerMode(orin).ifPresent(m ->
          out.add(new Decision.SetPowerMode(job.jobId(), r.tileId(), job.slot(), m.id(), "thermal-throttle")));
    }
  }

  private void planPlacements(ClusterView view, Candidates cands, List<Decision> out) {
    Instant now = view.now();
    List<PendingJob> pending = new ArrayList<>(view.pending());
    pending.sort(Comparator.comparingInt((PendingJob p) -> -p.spec().priority())
        .thenComparing(p -> p.spec().deadline() == null ? Instant.MAX : p.spec().deadline())
        .thenComparing(PendingJob::submittedAt)
        .thenComparing(PendingJob::jobId));
    List<RunningJob> preemptable = new ArrayList<>(view.running().stream()
        .filter(r -> !r.moving() && r.spec().migratable())
        .sorted(Comparator.comparingInt((RunningJob r) -> r.spec().priority()).thenComparing(RunningJob::jobId))
        .toList());
    for (PendingJob job : pending) {
      Optional<Candidates.Slot> target = bestTarget(job.spec(), job.remainingGpuSeconds(), null, cands, now, false);
      if (target.isPresent()) {
        Candidates.Slot t = target.get();
        out.add(new Decision.Place(job.jobId(), t.tileId(), t.tile().report().planeId(), t.slot(),
            t.shortfall().isEmpty() ? "energy-safe" : "until-" + t.shortfall().get()));
        cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
        continue;
      }
      // Preempt the lowest-priority migratable job of strictly lower priority, if any.
      for (RunningJob victim : preemptable) {
        if (victim.spec().priority() >= job.spec().priority()) break;
        if (out.stream().anyMatch(d -> d.jobId().equals(victim.jobId()))) continue;
        TileView tile = view.tiles().get(victim.tileId());
        OrinReport orin = tile == null ? null : orin(tile.report(), victim.slot());
        if (orin == null || job.spec().memoryGb() > orin.module().memoryGb()) continue;
        if (!Candidates.allowed(job.spec(), tile.report(), orin)) continue;
        out.add(new Decision.Preempt(victim.jobId(), victim.tileId(), victim.slot(), job.jobId(),
            "priority " + job.spec().priority() + " > " + victim.spec().priority()));
        preemptable.remove(victim);
        break;
      }
    }
  }

  /**
   * The best free Orin for a job. With {@code mustBeSafe} (migration targets) only TILEs that carry
   * the job through the horizon or until it completes qualify.
   */
  private Optional<Candidates.Slot> bestTarget(org.soos.shared.job.JobSpec spec, double remainingGpuSeconds,
      TileId exclude, Candidates cands, Instant now, boolean mustBeSafe) {
    long bytes = spec.checkpoint() == null ? 0 : spec.checkpoint().sizeBytes();
    double minUsefulSeconds = settings.migrationLead().toSeconds() + settings.transferSeconds(bytes, false)
        + settings.minResidence().toSeconds();
    return cands.freeSlots(spec, remainingGpuSeconds, exclude, true).stream()
        .filter(s -> {
          if (s.shortfall().isEmpty()) return true;
          double available = seconds(now, s.shortfall().get());
          if (s.runSeconds() + settings.migrationLead().toSeconds() <= available) return true; // finishes first
          if (mustBeSafe || !spec.migratable()) return false;
          return available >= minUsefulSeconds;
        })
        .min(Comparator
            .comparing((Candidates.Slot s) -> s.shortfall().isPresent()
                && s.runSeconds() + settings.migrationLead().toSeconds() > seconds(now, s.shortfall().get()))
            .thenComparing(s -> -s.shortfall().map(t -> seconds(now, t)).orElse(Double.MAX_VALUE))
            .thenComparingDouble(Candidates.Slot::junctionAfterCelsius)
            .thenComparing(Candidates.Slot::tileId)
            .thenComparingInt(Candidates.Slot::slot));
  }

  private static Optional<PowerMode> lowerMode(OrinReport orin) {
    OrinModule module = orin.module();
    PowerMode mode = module.mode(orin.powerModeId()).orElse(module.maxMode());
    return module.nextLower(mode);
  }

  private static double drawAt(RunningJob job, OrinReport orin, PowerMode mode) {
    OrinModule module = orin.module();
    double scaled = job.spec().powerWatts() * mode.speedFactor() / module.maxMode().speedFactor();
    return Math.max(0.0, Math.min(scaled, mode.budgetWatts() - module.idleWatts()));
  }

  private static OrinReport orin(TileReport r, int slot) {
    for (OrinReport o : r.orins()) if (o.slot() == slot) return o;
    return null;
  }

  private static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }
}
