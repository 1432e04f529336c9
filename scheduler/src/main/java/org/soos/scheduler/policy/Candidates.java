package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 *
 * <p>Built for constellations of thousands of TILEs: the TILEs are indexed once per round (sorted by id),
 * the job-independent filters (healthy, fresh report, not shedding) are applied once, TILEs with no free
 * Orin drop out of the scan, and each TILE's energy headroom (the largest extra load with no predicted
 * shortfall within the horizon, found by bisection once per round) answers "no shortfall" without replaying
 * the forecast for every slot and job; loads within {@link #HEADROOM_GUARD_WATTS} of the headroom are checked
 * exactly, so the answers are those of {@link EnergyForecast#shortfall}. When every Orin is the same module,
 * the free Orins are also kept sorted by their steady junction temperature, coolest first: the coolest one
 * with energy to spare is then the best target, and finding it rarely looks past the first few.
 */
final class Candidates {
  /**
   * A free Orin slot on a TILE that passed the filters, with what placing the job there would mean.
   * {@code mode} is the power mode the job would run in (see {@link #fit}); {@code junctionAfterCelsius} is the
   * steady junction temperature with the job in that mode. {@code guarded}: the TILE runs work that cannot
   * checkpoint, so its shortfall is the strict one ({@link #strictShortfall}) and nothing may be added that
   * would make the TILE shed before it finishes.
   */
  record Slot(TileView tile, OrinReport orin, double jobDrawWatts, double runSeconds,
      Optional<Instant> shortfall, double junctionAfterCelsius, PowerMode mode, boolean guarded) {
    TileId tileId() {
      return tile.report().tileId();
    }

    int slot() {
      return orin.slot();
    }
  }

  /** Loads this close to a TILE's headroom are checked with the full forecast replay, W. */
  static final double HEADROOM_GUARD_WATTS = 1e-3;
  private static final double HEADROOM_MAX_WATTS = 1e4;

  private final ClusterView view;
  private final PolicySettings settings;
  private final TileView[] tiles;
  private final Map<TileId, Integer> index;
  private final boolean[][] taken;
  private final double[] loadDeltaWatts;
  private final double[] headroomWatts;
  private final double[] strictHeadroomWatts;
  private final EnergyForecast.Profile[] profiles;
  private final boolean[] eligible;
  /** TILEs running work that cannot checkpoint. */
  private final boolean[] guarded;
  /** Eligible TILE indices, in id order, that may still have a free nominal Orin. */
  private final List<Integer> open = new ArrayList<>();
  private final Set<String> takenElsewhere = new HashSet<>();
  private final Map<TileId, Double> loadElsewhere = new HashMap<>();
  /** The module every Orin in view is, or null when they differ. */
  private final OrinModule uniformModule;
  /** Free nominal Orins on eligible TILEs, by steady junction, then TILE id, then slot. */
  private final int[] coolTile;
  private final OrinReport[] coolOrin;
  /** Entries of the cool list before this one are all taken. */
  private int coolHead;
  /** See {@link #topModeOnly}. */
  private boolean topModeOnly;
  /** Orins freed during the round (not in the cool list), TILE index and report. */
  private final List<Integer> freedTile = new ArrayList<>();
  private final List<OrinReport> freedOrin = new ArrayList<>();

  Candidates(ClusterView view, PolicySettings settings) {
    this.view = view;
    this.settings = settings;
    this.tiles = view.tiles().values().toArray(new TileView[0]);
    Arrays.sort(tiles, Comparator.comparing(t -> t.report().tileId()));
    int n = tiles.length;
    this.index = new HashMap<>(n * 2);
    this.taken = new boolean[n][];
    this.loadDeltaWatts = new double[n];
    this.headroomWatts = new double[n];
    this.strictHeadroomWatts = new double[n];
    this.profiles = new EnergyForecast.Profile[n];
    this.eligible = new boolean[n];
    this.guarded = new boolean[n];
    Arrays.fill(headroomWatts, Double.NaN);
    Arrays.fill(strictHeadroomWatts, Double.NaN);
    Instant now = view.now();
    OrinModule module = null;
    boolean uniform = true;
    Map<JobId, TileId> placedOn = new HashMap<>(view.running().size() * 2);
    for (RunningJob r : view.running()) placedOn.put(r.jobId(), r.tileId());
    for (int i = 0; i < n; i++) {
      TileReport r = tiles[i].report();
      index.put(r.tileId(), i);
      int slots = 0;
      for (OrinReport o : r.orins()) {
        slots = Math.max(slots, o.slot() + 1);
        if (module == null) module = o.module();
        else if (module != o.module()) uniform = false;
      }
      taken[i] = new boolean[slots];
      for (OrinReport o : r.orins()) {
        boolean stillHere = false;
        for (JobProgress p : o.jobs()) {
          if (p.state() == JobProgress.JobRunState.RUNNING || p.state() == JobProgress.JobRunState.CHECKPOINTING) {
            taken[i][o.slot()] = true;
            stillHere |= r.tileId().equals(placedOn.get(p.jobId()));
          }
        }
        // Released (suspended, preempted, moving away) and still in the report, which predates the release: the
        // report's load holds a draw that is gone. Left in, it shows a shortfall that is not there, and the TILE
        // sheds more work only to take it back a round later. The Orin stays taken until a report frees it.
        if (taken[i][o.slot()] && !stillHere) loadDeltaWatts[i] -= Math.max(0.0, o.drawWatts() - o.module().idleWatts());
      }
      eligible[i] = tiles[i].acceptsWork() && !r.shedding()
          && Duration.between(r.simTime(), now).compareTo(settings.maxReportAge()) <= 0;
    }
    for (RunningJob r : view.running()) {
      markTaken(r.tileId(), r.slot());
      if (r.spec().checkpoint() == null) guard(r.tileId());
      // Being placed, or landing here from a migration, and not in its TILE's report yet: the report's
      // load lacks its draw.
      Integer i = index.get(r.tileId());
      if (i != null && !reported(tiles[i].report(), r)) {
        for (OrinReport o : tiles[i].report().orins()) {
          if (o.slot() == r.slot()) loadDeltaWatts[i] += jobDrawWatts(r.spec(), o);
        }
      }
    }
    List<long[]> cool = new ArrayList<>();
    List<OrinReport> coolOrins = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!eligible[i] || !hasFreeNominal(i)) continue;
      open.add(i);
      for (OrinReport o : tiles[i].report().orins()) {
        if (taken[i][o.slot()] || o.health() != OrinReport.OrinHealth.NOMINAL) continue;
        coolOrins.add(o);
        cool.add(new long[] {Double.doubleToLongBits(steadyJunctionCelsius(tiles[i].report(), o, settings)), i,
            o.slot(), coolOrins.size() - 1});
      }
    }
    this.uniformModule = uniform ? module : null;
    cool.sort(Comparator.<long[]>comparingDouble(e -> Double.longBitsToDouble(e[0]))
        .thenComparingLong(e -> e[1]).thenComparingLong(e -> e[2]));
    this.coolTile = new int[cool.size()];
    this.coolOrin = new OrinReport[cool.size()];
    for (int k = 0; k < cool.size(); k++) {
      coolTile[k] = (int) cool.get(k)[1];
      coolOrin[k] = coolOrins.get((int) cool.get(k)[3]);
    }
  }

  /** Whether the TILE's report lists the job on its Orin. */
  private static boolean reported(TileReport report, RunningJob job) {
    for (OrinReport o : report.orins()) {
      if (o.slot() != job.slot()) continue;
      for (JobProgress p : o.jobs()) {
        if (p.jobId().equals(job.jobId())) return true;
      }
    }
    return false;
  }

  static String key(TileId tile, int slot) {
    return tile.value() + "#" + slot;
  }

  private void markTaken(TileId tile, int slot) {
    Integer i = index.get(tile);
    if (i != null && slot >= 0 && slot < taken[i].length) {
      taken[i][slot] = true;
    } else {
      takenElsewhere.add(key(tile, slot));
    }
  }

  private boolean hasFreeNominal(int i) {
    for (OrinReport o : tiles[i].report().orins()) {
      if (!taken[i][o.slot()] && o.health() == OrinReport.OrinHealth.NOMINAL) return true;
    }
    return false;
  }

  /** From now on the TILE runs work that cannot checkpoint (see {@link Slot#guarded}). */
  void guard(TileId tile) {
    Integer i = index.get(tile);
    if (i != null) guarded[i] = true;
  }

  /** Whether the TILE runs work that cannot checkpoint. */
  boolean guarded(TileId tile) {
    Integer i = index.get(tile);
    return i != null && guarded[i];
  }

  boolean isTaken(TileId tile, int slot) {
    Integer i = index.get(tile);
    if (i != null && slot >= 0 && slot < taken[i].length) return taken[i][slot];
    return takenElsewhere.contains(key(tile, slot));
  }

  void take(TileId tile, int slot, double drawWatts) {
    Integer i = index.get(tile);
    if (i == null || slot < 0 || slot >= taken[i].length) {
      takenElsewhere.add(key(tile, slot));
      loadElsewhere.merge(tile, drawWatts, Double::sum);
      return;
    }
    taken[i][slot] = true;
    loadDeltaWatts[i] += drawWatts;
    if (!hasFreeNominal(i)) open.remove(Integer.valueOf(i));
  }

  /** Frees a slot (its job moves away or is throttled). */
  void release(TileId tile, int slot, double drawWatts) {
    Integer i = index.get(tile);
    if (i == null || slot < 0 || slot >= taken[i].length) {
      takenElsewhere.remove(key(tile, slot));
      loadElsewhere.merge(tile, -drawWatts, Double::sum);
      return;
    }
    taken[i][slot] = false;
    loadDeltaWatts[i] -= drawWatts;
    for (OrinReport o : tiles[i].report().orins()) {
      if (o.slot() == slot && o.health() == OrinReport.OrinHealth.NOMINAL && eligible[i]) {
        freedTile.add(i);
        freedOrin.add(o);
      }
    }
    if (eligible[i] && hasFreeNominal(i)) {
      int at = java.util.Collections.binarySearch(open, i);
      if (at < 0) open.add(-at - 1, i);
    }
  }

  double loadDelta(TileId tile) {
    Integer i = index.get(tile);
    return i != null ? loadDeltaWatts[i] : loadElsewhere.getOrDefault(tile, 0.0);
  }

  /** True when some eligible TILE may still have a free nominal Orin. */
  boolean anyOpen() {
    return !open.isEmpty();
  }

  /**
   * Where the Orin's junction settles with its present draw, degrees C: plate + R_jp x draw (the junction
   * follows its draw within minutes, the plate within tens of minutes).
   */
  static double steadyJunctionCelsius(TileReport r, OrinReport o, PolicySettings settings) {
    return r.plateTempCelsius() + settings.junctionToPlateKelvinPerWatt() * o.drawWatts();
  }

  /** The Orin's power mode in force. */
  static PowerMode modeOf(OrinReport orin) {
    OrinModule module = orin.module();
    return module.mode(orin.powerModeId()).orElse(module.maxMode());
  }

  /** Electrical draw a job adds on this Orin in its current power mode, watts (idle excluded). */
  static double jobDrawWatts(JobSpec spec, OrinReport orin) {
    return jobDrawWatts(spec, orin.module(), modeOf(orin));
  }

  /** Electrical draw a job adds on a module in {@code mode}, watts (idle excluded). */
  static double jobDrawWatts(JobSpec spec, OrinModule module, PowerMode mode) {
    double scaled = spec.powerWatts() * mode.speedFactor() / module.maxMode().speedFactor();
    return Math.max(0.0, Math.min(scaled, mode.budgetWatts() - module.idleWatts()));
  }

  /** Simulated seconds the Orin needs for {@code gpuSeconds} of work in its current mode. */
  static double runSeconds(double gpuSeconds, OrinReport orin) {
    return gpuSeconds / modeOf(orin).speedFactor();
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
   * The mode the job would run in on this Orin if it passes the hard filters (free, nominal, memory,
   * constraints), or null: the fastest mode of the module whose steady junction (plate + R_jp x draw) stays
   * within the thermal margin above the throttle temperature. The Orin's guard trims that by at most a mode,
   * far below its shutdown temperature, and the job runs fast while the junction warms up; a job that only
   * fits slower is throttled from the start instead of refused. (The Orin's present mode is whatever its
   * last job needed.)
   */
  private PowerMode fit(int i, OrinReport o, JobSpec spec) {
    if (taken[i][o.slot()]) return null;
    if (o.health() != OrinReport.OrinHealth.NOMINAL) return null;
    if (spec.memoryGb() > o.module().memoryGb()) return null;
    if (!allowed(spec, tiles[i].report(), o)) return null;
    return thermalFit(steadyJunctionCelsius(tiles[i].report(), o, settings), o.module(), spec);
  }

  /**
   * From now on only Orins where the job runs in its module's top mode with its junction settling under
   * throttle minus margin count as fitting (or, with false, any mode within the margin above throttle again):
   * a placement pass that fills Orins with work that runs at full speed, unthrottled.
   */
  void topModeOnly(boolean only) {
    topModeOnly = only;
  }

  /** The fastest mode of {@code module} that keeps {@code steady} + R_jp x job draw within the limit, or null. */
  private PowerMode thermalFit(double steady, OrinModule module, JobSpec spec) {
    double limit = settings.throttleTempCelsius() + settings.thermalMarginCelsius();
    PowerMode[] modes = fastestFirst(module);
    if (topModeOnly) {
      // Full speed with the junction settling under throttle minus margin: the guard never steps in.
      double cool = settings.throttleTempCelsius() - settings.thermalMarginCelsius();
      PowerMode top = modes[0];
      return steady + settings.junctionToPlateKelvinPerWatt() * jobDrawWatts(spec, module, top) <= cool ? top : null;
    }
    for (PowerMode mode : modes) {
      if (steady + settings.junctionToPlateKelvinPerWatt() * jobDrawWatts(spec, module, mode) <= limit) return mode;
    }
    return null;
  }

  private static final Map<OrinModule, PowerMode[]> FASTEST_FIRST = new java.util.EnumMap<>(OrinModule.class);

  static {
    for (OrinModule m : OrinModule.values()) {
      List<PowerMode> modes = new ArrayList<>();
      for (PowerMode p = m.maxMode(); p != null; p = m.nextLower(p).orElse(null)) modes.add(p);
      FASTEST_FIRST.put(m, modes.toArray(new PowerMode[0]));
    }
  }

  /** The module's modes from the top mode down by budget (the order of {@link OrinModule#nextLower}). */
  private static PowerMode[] fastestFirst(OrinModule module) {
    return FASTEST_FIRST.get(module);
  }

  private Slot slot(int i, OrinReport o, JobSpec spec, PowerMode mode, double remainingGpuSeconds,
      Optional<Instant> shortfall) {
    double draw = jobDrawWatts(spec, o.module(), mode);
    double junctionAfter = steadyJunctionCelsius(tiles[i].report(), o, settings)
        + settings.junctionToPlateKelvinPerWatt() * draw;
    return new Slot(tiles[i], o, draw, remainingGpuSeconds / mode.speedFactor(), shortfall, junctionAfter, mode,
        guarded[i]);
  }

  /**
   * Every free Orin slot that can take {@code spec} with {@code remainingGpuSeconds} of work left,
   * outside {@code excludeTile}, that passes the hard filters: fresh healthy TILE not shedding,
   * constraints, memory, Orin nominal, some mode keeps the junction within the thermal margin of throttle.
   * Energy is evaluated but not filtered here (policies differ on that): strictly on guarded TILEs. In TILE
   * id then slot order.
   */
  List<Slot> freeSlots(JobSpec spec, double remainingGpuSeconds, TileId excludeTile, boolean predictEnergy) {
    return scan(spec, remainingGpuSeconds, excludeTile, predictEnergy, false);
  }

  /** Like {@link #freeSlots} with energy predicted strictly everywhere: for jobs that cannot checkpoint. */
  List<Slot> freeSlotsStrict(JobSpec spec, double remainingGpuSeconds, TileId excludeTile) {
    return scan(spec, remainingGpuSeconds, excludeTile, true, true);
  }

  private List<Slot> scan(JobSpec spec, double remainingGpuSeconds, TileId excludeTile, boolean predictEnergy,
      boolean strictEverywhere) {
    Instant now = view.now();
    List<Slot> out = new ArrayList<>();
    for (int i : open) {
      TileReport r = tiles[i].report();
      if (r.tileId().equals(excludeTile)) continue;
      double lastDelta = Double.NaN;
      Optional<Instant> lastShortfall = Optional.empty();
      for (OrinReport o : r.orins()) {
        PowerMode mode = fit(i, o, spec);
        if (mode == null) continue;
        double delta = loadDeltaWatts[i] + jobDrawWatts(spec, o.module(), mode);
        Optional<Instant> shortfall;
        if (!predictEnergy) {
          shortfall = Optional.empty();
        } else if (delta == lastDelta) {
          shortfall = lastShortfall; // the TILE's other Orins in the same mode: the same answer
        } else {
          shortfall = strictEverywhere || guarded[i] ? strictShortfall(i, delta) : shortfall(i, delta, now);
          lastDelta = delta;
          lastShortfall = shortfall;
        }
        out.add(slot(i, o, spec, mode, remainingGpuSeconds, shortfall));
      }
    }
    return out;
  }

  /**
   * Among the free slots of {@link #freeSlots} whose TILE shows no shortfall with the job's load added
   * (strictly on guarded TILEs, or everywhere with {@code strictEverywhere}), the one where the job runs
   * fastest, then with the coolest junction, then the lowest TILE id and slot; empty if there is none.
   */
  Optional<Slot> coolestClear(JobSpec spec, double remainingGpuSeconds, TileId excludeTile, boolean strictEverywhere) {
    if (uniformModule == null || spec.placement() != null) {
      return coolestClearByScan(spec, remainingGpuSeconds, excludeTile, strictEverywhere);
    }
    if (spec.memoryGb() > uniformModule.memoryGb()) return Optional.empty();
    Instant now = view.now();
    // Same module everywhere: a cooler Orin allows at least as fast a mode and a cooler junction after, so
    // the first clear Orin of the cool list is the best; once none fits thermally, no hotter one will.
    Slot best = null;
    for (int k = coolHead; k < coolTile.length; k++) {
      int i = coolTile[k];
      OrinReport o = coolOrin[k];
      if (taken[i][o.slot()]) {
        if (k == coolHead) coolHead++;
        continue;
      }
      if (tiles[i].report().tileId().equals(excludeTile)) continue;
      PowerMode mode = thermalFit(steadyJunctionCelsius(tiles[i].report(), o, settings), o.module(), spec);
      if (mode == null) break;
      double delta = loadDeltaWatts[i] + jobDrawWatts(spec, o.module(), mode);
      if (!clear(i, delta, strictEverywhere || guarded[i], now)) continue;
      best = slot(i, o, spec, mode, remainingGpuSeconds, Optional.empty());
      break;
    }
    // Orins freed this round are not in the cool list: weigh them too.
    for (int f = 0; f < freedTile.size(); f++) {
      int i = freedTile.get(f);
      OrinReport o = freedOrin.get(f);
      if (taken[i][o.slot()] || tiles[i].report().tileId().equals(excludeTile)) continue;
      PowerMode mode = thermalFit(steadyJunctionCelsius(tiles[i].report(), o, settings), o.module(), spec);
      if (mode == null) continue;
      double delta = loadDeltaWatts[i] + jobDrawWatts(spec, o.module(), mode);
      if (!clear(i, delta, strictEverywhere || guarded[i], now)) continue;
      Slot candidate = slot(i, o, spec, mode, remainingGpuSeconds, Optional.empty());
      if (best == null || better(candidate, i, best)) best = candidate;
    }
    return Optional.ofNullable(best);
  }

  /** Whether {@code a} (on TILE index {@code ai}) beats {@code b}: faster, then cooler, then TILE id, then slot. */
  private boolean better(Slot a, int ai, Slot b) {
    if (a.mode().speedFactor() != b.mode().speedFactor()) return a.mode().speedFactor() > b.mode().speedFactor();
    if (a.junctionAfterCelsius() != b.junctionAfterCelsius()) return a.junctionAfterCelsius() < b.junctionAfterCelsius();
    int bi = index.get(b.tileId());
    if (ai != bi) return ai < bi;
    return a.slot() < b.slot();
  }

  private Optional<Slot> coolestClearByScan(JobSpec spec, double remainingGpuSeconds, TileId excludeTile,
      boolean strictEverywhere) {
    Instant now = view.now();
    int bestTile = -1;
    OrinReport bestOrin = null;
    PowerMode bestMode = null;
    double bestJunction = Double.POSITIVE_INFINITY;
    double bestSpeed = 0;
    for (int i : open) {
      TileReport r = tiles[i].report();
      if (r.tileId().equals(excludeTile)) continue;
      for (OrinReport o : r.orins()) {
        PowerMode mode = fit(i, o, spec);
        if (mode == null) continue;
        double draw = jobDrawWatts(spec, o.module(), mode);
        double junctionAfter = steadyJunctionCelsius(r, o, settings) + settings.junctionToPlateKelvinPerWatt() * draw;
        // Faster first (a slot that needs no throttling beats one that does), then cooler; ties keep the
        // earlier TILE / slot.
        if (mode.speedFactor() < bestSpeed || mode.speedFactor() == bestSpeed && junctionAfter >= bestJunction) continue;
        if (!clear(i, loadDeltaWatts[i] + draw, strictEverywhere || guarded[i], now)) continue;
        bestTile = i;
        bestOrin = o;
        bestMode = mode;
        bestJunction = junctionAfter;
        bestSpeed = mode.speedFactor();
      }
    }
    if (bestTile < 0) return Optional.empty();
    return Optional.of(slot(bestTile, bestOrin, spec, bestMode, remainingGpuSeconds, Optional.empty()));
  }

  /**
   * {@link EnergyForecast#shortfall} of the TILE's latest report with its load changed by {@code loadDelta}
   * (the round's decisions so far are not added: pass {@link #loadDelta} in for that).
   */
  Optional<Instant> shortfall(TileId tile, double loadDelta) {
    Integer i = index.get(tile);
    if (i == null) return Optional.empty();
    return profile(i).shortfall(loadDelta);
  }

  /**
   * As {@link #shortfall(TileId, double)} but keeping, on top of the battery margin, the energy the TILE
   * spends at the resulting load over the migration lead: a TILE sheds (checkpointing and stopping everything
   * on it) once its floor is that close at the present drain, which work that cannot checkpoint must not see.
   */
  Optional<Instant> strictShortfall(TileId tile, double loadDelta) {
    Integer i = index.get(tile);
    if (i == null) return Optional.empty();
    return strictShortfall(i, loadDelta);
  }

  private Optional<Instant> strictShortfall(int i, double loadDelta) {
    EnergyForecast.Profile p = profile(i);
    return p.shortfall(loadDelta, strictExtraWh(p, loadDelta));
  }

  private double strictExtraWh(EnergyForecast.Profile p, double loadDelta) {
    double load = Math.max(0.0, p.baseLoadWatts() + loadDelta);
    return load * settings.migrationLead().toMillis() / 3.6e6 / settings.dischargeEfficiency();
  }

  /** True when the TILE's latest report predicts no shortfall within the horizon with its load changed by {@code loadDelta}. */
  boolean carries(TileId tile, double loadDelta) {
    Integer i = index.get(tile);
    if (i == null) return false;
    return clear(i, loadDelta, false, view.now());
  }

  /** The TILE's forecast profile for this round (built once). */
  private EnergyForecast.Profile profile(int i) {
    EnergyForecast.Profile p = profiles[i];
    if (p == null) {
      p = EnergyForecast.Profile.of(tiles[i].report(), settings, view.now());
      profiles[i] = p;
    }
    return p;
  }

  private Optional<Instant> shortfall(int i, double loadDelta, Instant now) {
    double h = headroom(i, false);
    if (loadDelta <= h - HEADROOM_GUARD_WATTS) return Optional.empty();
    return profile(i).shortfall(loadDelta);
  }

  /** No (strict) shortfall with the load changed by {@code loadDelta}. */
  private boolean clear(int i, double loadDelta, boolean strict, Instant now) {
    double h = headroom(i, strict);
    if (loadDelta <= h - HEADROOM_GUARD_WATTS) return true;
    if (loadDelta >= h + HEADROOM_GUARD_WATTS) return false;
    return strict ? strictShortfall(i, loadDelta).isEmpty() : profile(i).carries(loadDelta);
  }

  /**
   * The largest load change (W) with no (strict) shortfall within the horizon, by bisection: a shortfall only
   * comes sooner with more load, so "no shortfall" holds exactly below one threshold. -infinity when even
   * shedding the whole load leaves one; +infinity above {@link #HEADROOM_MAX_WATTS}.
   */
  private double headroom(int i, boolean strict) {
    double[] cache = strict ? strictHeadroomWatts : headroomWatts;
    double h = cache[i];
    if (!Double.isNaN(h)) return h;
    EnergyForecast.Profile p = profile(i);
    double lo = -Math.max(0.0, tiles[i].report().loadWatts());
    double hi = HEADROOM_MAX_WATTS;
    if (!carries(p, lo, strict)) {
      h = Double.NEGATIVE_INFINITY;
    } else if (carries(p, hi, strict)) {
      h = Double.POSITIVE_INFINITY;
    } else {
      while (hi - lo > HEADROOM_GUARD_WATTS / 4) {
        double mid = 0.5 * (lo + hi);
        if (carries(p, mid, strict)) lo = mid;
        else hi = mid;
      }
      h = lo;
    }
    cache[i] = h;
    return h;
  }

  private boolean carries(EnergyForecast.Profile p, double loadDelta, boolean strict) {
    return strict ? p.shortfall(loadDelta, strictExtraWh(p, loadDelta)).isEmpty() : p.carries(loadDelta);
  }

  /** The job ids of the reports' running jobs on a TILE, for callers that need them. */
  static Set<JobId> jobsOn(TileReport r) {
    Set<JobId> ids = new HashSet<>();
    for (OrinReport o : r.orins()) for (JobProgress p : o.jobs()) ids.add(p.jobId());
    return ids;
  }
}
