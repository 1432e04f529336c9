package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * The SOOS policy: predictive placement and migration.
 *
 * <p>Each round, in this order:
 * <ol>
 *   <li><b>Drain.</b> Every migratable job on a TILE an operator drained ({@link TileView#drained()}) moves
 *       to the best Orin that carries it (the same choice as an energy migration), with reason
 *       {@code drain}, regardless of residence, within the rate limit; a job with nowhere to go stays
 *       until a target frees up, and a job that cannot migrate is left to finish. A drained TILE gets no
 *       new work: no placements, no migration targets, no preemption for a newcomer.</li>
 *   <li><b>Energy.</b> For every TILE with running jobs, replay its solar forecast with its current
 *       load ({@link EnergyForecast}). If the battery would reach its reserve before the jobs finish,
 *       then once the start of the dark stretch holding that shortfall (usually eclipse entry) is
 *       within the migration lead plus the checkpoint transfer time, move jobs away (lowest priority
 *       first, then the cheapest to move) until what stays is carried through: to a TILE that carries
 *       the job to its end if there is one; else, when no work of its priority or higher waits, to one
 *       where it can settle and move on again before that TILE's own dark stretch (it hops ahead of the
 *       shadow); a job with nowhere to go is checkpointed and suspended instead of being left for the
 *       TILE to shed. A job that finishes before the shortfall stays; a job that cannot migrate is
 *       throttled to a lower power mode instead. Staying is always preferred when the battery carries the load. A TILE that runs a job
 *       that cannot checkpoint is <i>guarded</i>: its shortfall also keeps the energy of the migration
 *       lead at the present load above the floor (the TILE sheds everything, that job included, once its
 *       floor is that close), and it acts a report age earlier, regardless of residence.</li>
 *   <li><b>Thermal.</b> For every busy Orin, extrapolate its junction temperature over the lead time
 *       with the plate's trend; if it would cross throttle minus half the margin, or its guard already
 *       throttled it, move the job to an Orin where it runs at least as fast and stays clear of that
 *       threshold. With nowhere better to go, an Orin heading past throttle plus half the margin gets a
 *       lower power mode ahead of its guard; otherwise its guard throttles it (speed, never work, is
 *       lost).</li>
 *   <li><b>Placement.</b> Pending jobs by priority (high first), then deadline, then age: among the
 *       free Orins that pass the hard filters, prefer those whose TILE carries the job for the whole
 *       horizon (or until it finishes), then the longest time to an energy shortfall, then the fastest
 *       mode, then thermal headroom. A job starts in the fastest mode whose steady junction stays within
 *       the margin above throttle (slower when the Orin is hot, rather than not at all). A migratable
 *       job may start on a TILE that will run short later (it will be moved ahead of time), but not on a
 *       guarded TILE; a job that cannot migrate only goes where it can finish, by the guarded rule. If no
 *       Orin fits, preempt the lowest-priority migratable job of lower priority.</li>
 *   <li><b>Restore.</b> An Orin left in a slower mode (throttled earlier for heat or energy) goes back to
 *       the fastest mode its steady junction allows under throttle minus margin, when the TILE's forecast
 *       still carries the extra draw.</li>
 * </ol>
 * Hysteresis: a job placed less than {@code minResidence} ago is not moved for thermal or energy
 * reasons unless its TILE is in emergency (shedding, Orin shut down) or guarded. Rate limit:
 * {@code maxMigrationsPerDecision} per plane per round (the live coordinator decides for one plane; the
 * simulator for the whole constellation at once).
 */
public final class SoosPolicy implements SchedulingPolicy {
  /** Placement order: priority (high first), then deadline (none last), then age, then id. */
  private static final Comparator<PendingJob> PENDING_ORDER = (a, b) -> {
    int c = Integer.compare(b.spec().priority(), a.spec().priority());
    if (c != 0) return c;
    Instant da = a.spec().deadline();
    Instant db = b.spec().deadline();
    if (da != db) {
      if (da == null) return 1;
      if (db == null) return -1;
      c = da.compareTo(db);
      if (c != 0) return c;
    }
    c = a.submittedAt().compareTo(b.submittedAt());
    return c != 0 ? c : a.jobId().value().compareTo(b.jobId().value());
  };
  /** Preemption order: priority (low first), then id. */
  private static final Comparator<RunningJob> VICTIM_ORDER = (a, b) -> {
    int c = Integer.compare(a.spec().priority(), b.spec().priority());
    return c != 0 ? c : a.jobId().value().compareTo(b.jobId().value());
  };

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
    Decisions out = new Decisions();
    Map<TileId, List<RunningJob>> byTile = view.running().stream()
        .filter(r -> !r.moving())
        .collect(Collectors.groupingBy(RunningJob::tileId, TreeMap::new, Collectors.toList()));

    for (Map.Entry<TileId, List<RunningJob>> e : byTile.entrySet()) {
      TileView tile = view.tiles().get(e.getKey());
      if (tile == null || !tile.drained()) continue;
      planDrain(view, tile, e.getValue(), cands, out);
    }
    for (Map.Entry<TileId, List<RunningJob>> e : byTile.entrySet()) {
      TileView tile = view.tiles().get(e.getKey());
      if (tile == null) continue; // the coordinator handles TILEs that vanished (node loss)
      planEnergy(view, tile, e.getValue(), cands, out);
    }
    for (Map.Entry<TileId, List<RunningJob>> e : byTile.entrySet()) {
      TileView tile = view.tiles().get(e.getKey());
      if (tile == null) continue;
      planThermal(view, tile, e.getValue(), cands, out);
    }
    planPlacements(view, cands, out);
    planRestore(view, byTile, cands, out);
    return out.list;
  }

  /** Asks for the slot's mode when it is not the mode its Orin runs in now (the job is throttled from the start). */
  private static void setModeIfNeeded(Decisions out, JobId job, Candidates.Slot t) {
    if (t.mode().id() != t.orin().powerModeId()) {
      out.add(new Decision.SetPowerMode(job, t.tileId(), t.slot(), t.mode().id(), "thermal-fit"));
    }
  }

  /**
   * Raises the mode of an Orin running below its top mode (throttled earlier for heat or energy) to the
   * fastest mode whose steady junction stays under throttle minus margin and with which the TILE's forecast
   * still shows no shortfall.
   */
  private void planRestore(ClusterView view, Map<TileId, List<RunningJob>> byTile, Candidates cands, Decisions out) {
    double limit = settings.throttleTempCelsius() - settings.thermalMarginCelsius();
    for (Map.Entry<TileId, List<RunningJob>> e : byTile.entrySet()) {
      TileView tile = view.tiles().get(e.getKey());
      if (tile == null || tile.report().shedding()) continue;
      TileReport r = tile.report();
      for (RunningJob job : e.getValue()) {
        if (out.concerns(job.jobId())) continue;
        OrinReport orin = orin(r, job.slot());
        if (orin == null || orin.health() != OrinReport.OrinHealth.NOMINAL) continue;
        OrinModule module = orin.module();
        PowerMode mode = Candidates.modeOf(orin);
        double drawNow = Candidates.jobDrawWatts(job.spec(), module, mode);
        double steady = Candidates.steadyJunctionCelsius(r, orin, settings);
        for (PowerMode higher : module.modes()) {
          if (higher.budgetWatts() <= mode.budgetWatts()) continue;
          double delta = Candidates.jobDrawWatts(job.spec(), module, higher) - drawNow;
          if (steady + settings.junctionToPlateKelvinPerWatt() * delta > limit) continue;
          if (!cands.carries(r.tileId(), cands.loadDelta(r.tileId()) + delta)) continue;
          out.add(new Decision.SetPowerMode(job.jobId(), r.tileId(), job.slot(), higher.id(), "restore"));
          cands.take(r.tileId(), job.slot(), delta);
          break;
        }
      }
    }
  }

  /** The round's decisions, the jobs they concern, and the migrations started per plane (the rate limit). */
  private static final class Decisions {
    final List<Decision> list = new ArrayList<>();
    final Set<JobId> jobs = new HashSet<>();
    final Map<PlaneId, Integer> migrationsByPlane = new HashMap<>();

    void add(Decision d) {
      list.add(d);
      jobs.add(d.jobId());
    }

    boolean concerns(JobId id) {
      return jobs.contains(id);
    }

    int migrations(PlaneId plane) {
      return migrationsByPlane.getOrDefault(plane, 0);
    }

    void migrated(PlaneId plane) {
      migrationsByPlane.merge(plane, 1, Integer::sum);
    }
  }

  private boolean emergency(TileView tile) {
    TileReport r = tile.report();
    return r.shedding() || r.orins().stream().anyMatch(o -> o.health() == OrinReport.OrinHealth.SHUTDOWN);
  }

  private boolean settled(RunningJob job, Instant now) {
    return Duration.between(job.placedAt(), now).compareTo(settings.minResidence()) >= 0;
  }

  /**
   * Drain: moves every migratable job off a drained TILE, highest priority first, to the best target that
   * carries it. Jobs that cannot migrate stay and finish; a job with no target stays for a later round.
   */
  private void planDrain(ClusterView view, TileView tile, List<RunningJob> jobs, Candidates cands, Decisions out) {
    TileReport r = tile.report();
    List<RunningJob> order = new ArrayList<>(jobs);
    order.sort(Comparator.comparingInt((RunningJob j) -> -j.spec().priority()).thenComparing(RunningJob::jobId));
    for (RunningJob job : order) {
      if (!job.spec().migratable() || out.concerns(job.jobId())) continue;
      if (out.migrations(r.planeId()) >= settings.maxMigrationsPerDecision()) return;
      OrinReport orin = orin(r, job.slot());
      if (orin == null) continue;
      Optional<Candidates.Slot> target =
          bestTarget(job.spec(), job.remainingGpuSeconds(), r.tileId(), cands, view.now(), true);
      if (target.isEmpty()) continue;
      Candidates.Slot t = target.get();
      long bytes = job.spec().checkpoint().sizeBytes();
      boolean samePlane = t.tile().report().planeId().equals(r.planeId());
      out.add(new Decision.Migrate(job.jobId(), r.tileId(), job.slot(), t.tileId(), t.tile().report().planeId(),
          t.slot(), "drain", settings.transferSeconds(bytes, samePlane)));
      setModeIfNeeded(out, job.jobId(), t);
      cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
      cands.release(r.tileId(), job.slot(), Candidates.jobDrawWatts(job.spec(), orin));
      out.migrated(r.planeId());
    }
  }

  private void planEnergy(ClusterView view, TileView tile, List<RunningJob> jobs, Candidates cands,
      Decisions out) {
    TileReport r = tile.report();
    Instant now = view.now();
    boolean emergency = emergency(tile);
    // Work that cannot checkpoint here: keep clear of the TILE's own shedding too.
    boolean strict = jobs.stream().anyMatch(j -> j.spec().checkpoint() == null);
    Optional<Instant> shortfall = strict
        ? cands.strictShortfall(r.tileId(), cands.loadDelta(r.tileId()))
        : cands.shortfall(r.tileId(), cands.loadDelta(r.tileId()));
    if (shortfall.isEmpty() && !emergency) return;

    List<RunningJob> order = new ArrayList<>(jobs);
    order.sort(Comparator.comparingInt((RunningJob j) -> j.spec().priority())
        .thenComparingLong(j -> j.spec().checkpoint() == null ? Long.MAX_VALUE : j.spec().checkpoint().sizeBytes())
        .thenComparing(RunningJob::jobId));
    for (RunningJob job : order) {
      if (shortfall.isEmpty() && !emergency) return;
      if (out.concerns(job.jobId())) continue; // already leaving (drain)
      OrinReport orin = orin(r, job.slot());
      if (orin == null) continue;
      double secondsToShortfall = shortfall.map(s -> seconds(now, s)).orElse(0.0);
      // Hand work on before the array goes dark, so the checkpoint and transfer run on sunlight.
      double secondsToAct = shortfall.map(s -> seconds(now, EnergyForecast.darkStretchStart(r, s))).orElse(0.0);
      double runSeconds = Candidates.runSeconds(job.remainingGpuSeconds(), orin);
      if (!emergency && runSeconds < secondsToShortfall) continue; // finishes first: stay
      long bytes = job.spec().checkpoint() == null ? 0 : job.spec().checkpoint().sizeBytes();
      double leadSeconds = settings.migrationLead().toSeconds() + settings.transferSeconds(bytes, false);
      // Where work that cannot checkpoint is at stake, act a report age earlier and regardless of residence:
      // the next look may come too late.
      if (strict) leadSeconds += settings.maxReportAge().toSeconds();
      if (!emergency && secondsToAct > leadSeconds) continue; // not yet: conditions may still change
      if (!emergency && !strict && !settled(job, now)) continue;
      double draw = Candidates.jobDrawWatts(job.spec(), orin);
      if (job.spec().migratable()) {
        Optional<Candidates.Slot> target = Optional.empty();
        if (out.migrations(r.planeId()) < settings.maxMigrationsPerDecision()) {
          target = bestTarget(job.spec(), job.remainingGpuSeconds(), r.tileId(), cands, now, true);
          // No TILE carries it to its end: a sunlit one where it can settle and move on again before that
          // TILE's own dark stretch keeps it running, where suspending would stop it until one frees up. Not
          // ahead of waiting work of its priority or higher, though: suspended, it queues behind that work.
          if (target.isEmpty() && !waitingAtOrAbove(view, job.spec().priority())) {
            target = bestTarget(job.spec(), job.remainingGpuSeconds(), r.tileId(), cands, now, false);
          }
        }
        if (target.isPresent()) {
          Candidates.Slot t = target.get();
          boolean samePlane = t.tile().report().planeId().equals(r.planeId());
          out.add(new Decision.Migrate(job.jobId(), r.tileId(), job.slot(), t.tileId(), t.tile().report().planeId(),
              t.slot(), emergency ? "emergency-energy" : "eclipse-energy", settings.transferSeconds(bytes, samePlane)));
          setModeIfNeeded(out, job.jobId(), t);
          cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
          cands.release(r.tileId(), job.slot(), draw);
          out.migrated(r.planeId());
        } else {
          // Nowhere to go: checkpoint it now rather than let the TILE run dry (and shed or cut everything, work
          // that cannot checkpoint included); it waits for an Orin with the energy to carry it.
          out.add(new Decision.Suspend(job.jobId(), r.tileId(), job.slot(),
              emergency ? "emergency-energy-no-target" : "energy-no-target"));
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
      shortfall = strict
          ? cands.strictShortfall(r.tileId(), cands.loadDelta(r.tileId()))
          : cands.shortfall(r.tileId(), cands.loadDelta(r.tileId()));
      emergency = false; // one job moved off an emergency TILE per round is enough to re-evaluate
    }
  }

  /** True when a pending job of at least {@code priority} waits for an Orin. */
  private static boolean waitingAtOrAbove(ClusterView view, int priority) {
    for (PendingJob p : view.pending()) if (p.spec().priority() >= priority) return true;
    return false;
  }

  /**
   * Thermal: a job whose Orin is heading over its throttle point (junction now plus the plate's trend over the
   * lead time at or above throttle minus half the margin), or that the Orin's guard already throttled, moves
   * to an Orin where it runs at least as fast; with nowhere better to go, an Orin heading well past the
   * throttle point (throttle plus half the margin) gets a lower mode ahead of its guard. A throttled Orin
   * is otherwise left to its guard: throttling costs speed, never work.
   */
  private void planThermal(ClusterView view, TileView tile, List<RunningJob> jobs, Candidates cands,
      Decisions out) {
    TileReport r = tile.report();
    Instant now = view.now();
    double leadSeconds = settings.migrationLead().toSeconds();
    double moveAt = settings.throttleTempCelsius() - settings.thermalMarginCelsius() / 2.0;
    double throttleAt = settings.throttleTempCelsius() + settings.thermalMarginCelsius() / 2.0;
    for (RunningJob job : jobs) {
      if (out.concerns(job.jobId())) continue;
      OrinReport orin = orin(r, job.slot());
      if (orin == null) continue;
      boolean nominal = orin.health() == OrinReport.OrinHealth.NOMINAL;
      double predicted = orin.junctionTempCelsius() + Math.max(0.0, tile.plateTrendCelsiusPerSecond()) * leadSeconds;
      boolean hot = predicted >= moveAt || !nominal;
      if (!hot) continue;
      if (!settled(job, now) && nominal) continue;
      double draw = Candidates.jobDrawWatts(job.spec(), orin);
      if (job.spec().migratable() && out.migrations(r.planeId()) < settings.maxMigrationsPerDecision()) {
        // Only where it runs at least as fast and stays clear of the threshold: every Orin as hot as this one
        // is no escape.
        double speedHere = Candidates.modeOf(orin).speedFactor();
        Optional<Candidates.Slot> target = bestTarget(job.spec(), job.remainingGpuSeconds(), r.tileId(), cands, now, true)
            .filter(t -> t.mode().speedFactor() >= speedHere && t.junctionAfterCelsius() < moveAt);
        if (target.isPresent()) {
          Candidates.Slot t = target.get();
          long bytes = job.spec().checkpoint().sizeBytes();
          boolean samePlane = t.tile().report().planeId().equals(r.planeId());
          out.add(new Decision.Migrate(job.jobId(), r.tileId(), job.slot(), t.tileId(), t.tile().report().planeId(),
              t.slot(), "thermal", settings.transferSeconds(bytes, samePlane)));
          setModeIfNeeded(out, job.jobId(), t);
          cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
          cands.release(r.tileId(), job.slot(), draw);
          out.migrated(r.planeId());
          continue;
        }
      }
      if (nominal && predicted >= throttleAt) {
        lowerMode(orin).ifPresent(m ->
            out.add(new Decision.SetPowerMode(job.jobId(), r.tileId(), job.slot(), m.id(), "thermal-throttle")));
      }
    }
  }

  private void planPlacements(ClusterView view, Candidates cands, Decisions out) {
    Instant now = view.now();
    List<PendingJob> pending = new ArrayList<>(view.pending());
    pending.sort(PENDING_ORDER);
    List<RunningJob> preemptable = new ArrayList<>();
    for (RunningJob r : view.running()) if (!r.moving() && r.spec().migratable()) preemptable.add(r);
    preemptable.sort(VICTIM_ORDER);
    // Two passes: first every job that can run at full speed somewhere, in order; then, on the Orins left,
    // the rest in slower modes (a hot Orin runs cool work fast rather than hot work slowly).
    List<PendingJob> unplaced = new ArrayList<>();
    cands.topModeOnly(true);
    Misses fast = new Misses();
    for (PendingJob job : pending) {
      if (cands.anyOpen() && !fast.dominated(job) && place(job, cands, now, out)) continue;
      if (cands.anyOpen()) fast.add(job);
      unplaced.add(job);
    }
    cands.topModeOnly(false);
    int firstVictim = 0;
    Misses misses = new Misses();
    List<double[]> noVictim = new ArrayList<>();
    for (PendingJob job : unplaced) {
      if (cands.anyOpen() && !misses.dominated(job) && place(job, cands, now, out)) continue;
      if (cands.anyOpen()) misses.add(job);
      // Preempt the lowest-priority migratable job of strictly lower priority, if any. A job that needs at
      // least the memory and power of one that found no victim, at no higher priority, finds none either.
      JobSpec s = job.spec();
      if (s.placement() == null && noVictim.stream().anyMatch(f -> s.priority() <= f[0] && s.powerWatts() >= f[1]
          && s.memoryGb() >= f[2])) {
        continue;
      }
      boolean preempted = false;
      while (firstVictim < preemptable.size() && out.concerns(preemptable.get(firstVictim).jobId())) firstVictim++;
      for (int k = firstVictim; k < preemptable.size(); k++) {
        RunningJob victim = preemptable.get(k);
        if (victim.spec().priority() >= job.spec().priority()) break;
        if (out.concerns(victim.jobId())) continue;
        TileView tile = view.tiles().get(victim.tileId());
        if (tile == null || !tile.acceptsWork()) continue; // a drained TILE takes no newcomer
        OrinReport orin = orin(tile.report(), victim.slot());
        if (orin == null || job.spec().memoryGb() > orin.module().memoryGb()) continue;
        if (!Candidates.allowed(job.spec(), tile.report(), orin)) continue;
        if (!runsFullSpeed(job.spec(), tile.report(), orin)) continue; // would only trade places with cooler work
        double swapWatts = Candidates.jobDrawWatts(job.spec(), orin.module(), orin.module().maxMode())
            - Candidates.jobDrawWatts(victim.spec(), orin);
        if (tile.report().shedding()
            || !cands.carries(victim.tileId(), cands.loadDelta(victim.tileId()) + swapWatts)) {
          continue; // its TILE could not carry the newcomer: the Orin would only stand empty
        }
        out.add(new Decision.Preempt(victim.jobId(), victim.tileId(), victim.slot(), job.jobId(),
            "priority " + job.spec().priority() + " > " + victim.spec().priority()));
        preempted = true;
        break;
      }
      if (!preempted && s.placement() == null && noVictim.size() < 64) {
        noVictim.add(new double[] {s.priority(), s.powerWatts(), s.memoryGb()});
      }
    }
  }

  /**
   * Whether {@code spec} would run in its module's top mode on this Orin once it is idle, with the junction
   * settling under throttle minus margin.
   */
  private boolean runsFullSpeed(JobSpec spec, TileReport r, OrinReport o) {
    OrinModule m = o.module();
    double steady = r.plateTempCelsius()
        + settings.junctionToPlateKelvinPerWatt() * (m.idleWatts() + Candidates.jobDrawWatts(spec, m, m.maxMode()));
    return steady <= settings.throttleTempCelsius() - settings.thermalMarginCelsius();
  }

  /** Places {@code job} on its best target, if it has one. */
  private boolean place(PendingJob job, Candidates cands, Instant now, Decisions out) {
    Optional<Candidates.Slot> target = bestTarget(job.spec(), job.remainingGpuSeconds(), null, cands, now, false);
    if (target.isEmpty()) return false;
    Candidates.Slot t = target.get();
    out.add(new Decision.Place(job.jobId(), t.tileId(), t.tile().report().planeId(), t.slot(),
        t.shortfall().isEmpty() ? "energy-safe" : "until-" + t.shortfall().get()));
    setModeIfNeeded(out, job.jobId(), t);
    cands.take(t.tileId(), t.slot(), t.jobDrawWatts());
    if (job.spec().checkpoint() == null) cands.guard(t.tileId());
    return true;
  }

  /**
   * Pending jobs that found no Orin in this round's placement pass. Finding none is monotone in what a job
   * needs (more memory, power, remaining work or checkpoint bytes, or being unable to migrate, never fits
   * where less did not) while slots are only being taken, so a job that needs at least as much as one that
   * failed is not searched for again. Jobs with placement constraints are always searched.
   */
  private static final class Misses {
    private static final int MAX = 64;
    private final List<double[]> failed = new ArrayList<>();

    private static double[] needs(PendingJob job) {
      JobSpec s = job.spec();
      return new double[] {s.memoryGb(), s.powerWatts(), job.remainingGpuSeconds(),
          s.checkpoint() == null ? 0 : s.checkpoint().sizeBytes(), s.migratable() ? 0 : 1};
    }

    boolean dominated(PendingJob job) {
      if (job.spec().placement() != null) return false;
      double[] n = needs(job);
      for (double[] f : failed) if (covers(n, f)) return true;
      return false;
    }

    void add(PendingJob job) {
      if (job.spec().placement() != null) return;
      double[] n = needs(job);
      failed.removeIf(f -> covers(f, n));
      if (failed.size() < MAX) failed.add(n);
    }

    /** True when a needs at least as much as b in every respect. */
    private static boolean covers(double[] a, double[] b) {
      for (int i = 0; i < a.length; i++) if (a[i] < b[i]) return false;
      return true;
    }
  }

  /**
   * The best free Orin for a job. With {@code mustBeSafe} only TILEs that carry the job through the
   * horizon or until it completes qualify; without it (placements, and energy moves that found no such
   * TILE) a migratable job may also go where it can settle and move on before the array goes dark. A TILE with no shortfall at all beats any
   * other; among those the coolest Orin wins.
   */
  private Optional<Candidates.Slot> bestTarget(JobSpec spec, double remainingGpuSeconds,
      TileId exclude, Candidates cands, Instant now, boolean mustBeSafe) {
    boolean checkpoints = spec.checkpoint() != null;
    Optional<Candidates.Slot> clear = cands.coolestClear(spec, remainingGpuSeconds, exclude, !checkpoints);
    if (clear.isPresent()) return clear;
    long bytes = spec.checkpoint() == null ? 0 : spec.checkpoint().sizeBytes();
    double minUsefulSeconds = settings.migrationLead().toSeconds() + settings.transferSeconds(bytes, false)
        + settings.minResidence().toSeconds();
    List<Candidates.Slot> slots = checkpoints
        ? cands.freeSlots(spec, remainingGpuSeconds, exclude, true)
        : cands.freeSlotsStrict(spec, remainingGpuSeconds, exclude);
    return slots.stream()
        .filter(s -> {
          if (s.shortfall().isEmpty()) return true;
          double available = seconds(now, s.shortfall().get());
          if (s.runSeconds() + settings.migrationLead().toSeconds() <= available) return true; // finishes first
          if (mustBeSafe || !spec.migratable() || s.guarded()) return false;
          // It must be able to settle and move on before the array goes dark, as planEnergy moves it.
          double untilDark = seconds(now, EnergyForecast.darkStretchStart(s.tile().report(), s.shortfall().get()));
          return untilDark >= minUsefulSeconds;
        })
        .min(Comparator
            .comparing((Candidates.Slot s) -> s.shortfall().isPresent()
                && s.runSeconds() + settings.migrationLead().toSeconds() > seconds(now, s.shortfall().get()))
            .thenComparing(s -> -s.shortfall().map(t -> seconds(now, t)).orElse(Double.MAX_VALUE))
            .thenComparingDouble(s -> -s.mode().speedFactor())
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

  /** {@code Duration.between(a, b).toMillis() / 1000.0}, without allocating. */
  private static double seconds(Instant a, Instant b) {
    long nanos = (b.getEpochSecond() - a.getEpochSecond()) * 1_000_000_000L + (b.getNano() - a.getNano());
    return Math.floorDiv(nanos, 1_000_000L) / 1000.0;
  }
}
