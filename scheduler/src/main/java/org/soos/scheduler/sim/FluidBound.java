package org.soos.scheduler.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.power.BatterySpec;
import org.soos.shared.power.PowerLedger;
import org.soos.shared.power.SolarArray;
import org.soos.shared.tile.TilePhysics;
import org.soos.shared.tile.TileSpec;

/**
 * The fluid upper bound on useful work: what the constellation could finish if work were a fluid that
 * flows to any Orin at no cost, limited only by each TILE's energy (array output and battery), its Orins'
 * speed and its thermal limit, and by the work that has arrived.
 *
 * <p><b>Derivation.</b> Any schedule obeys, for every TILE i and every interval:
 * <ol>
 *   <li><i>speed</i>: each Orin does at most its module's top-mode speed (GPU-s per s), so TILE i does at
 *       most K_i = sum of its Orins' top speeds times the interval;</li>
 *   <li><i>energy per unit of work</i>: job j on an Orin in mode m draws min(budget_m, idle + p_j x scale_m)
 *       and progresses at speed_m, so a GPU-second of j costs at least e_j = min over modes of
 *       draw_m / speed_m joules. The bound charges e_j per GPU-second while letting the Orin run at top
 *       speed (a relaxation: it may mix the top speed of one mode with the thrift of another), and an Orin
 *       without work draws nothing (real idle Orins draw their idle power);</li>
 *   <li><i>energy</i>: the payload bus can only be fed from the array's output beyond housekeeping and from
 *       the battery above its reserve floor, through the battery's efficiencies and power limits; the bound
 *       steps the same {@link TilePhysics} (array, battery, plate) with the draws it chooses, and credits work
 *       only for payload energy the bus actually delivered;</li>
 *   <li><i>thermal</i>: at steady state the junction runs R_jp x draw above the plate, so an Orin cannot draw
 *       more than (shutdown temperature - plate) / R_jp for long without tripping its hard limit; the
 *       bound caps each Orin's draw there (the real guard already throttles at the lower throttle
 *       temperature);</li>
 *   <li><i>demand</i>: a job can be worked on only after it arrives, at most at one Orin's top speed, and
 *       only until its work is done.</li>
 * </ol>
 * Dropping placement, migration, checkpoint and queueing costs and letting work split across TILEs at
 * will turns these into a fluid problem that is solved greedily step by step (steps as the simulator's):
 * energy that would otherwise be curtailed is spent first, then the rest of the array's direct output
 * (spending it now never costs more than storing it: storage loses {@code 1 - eta_c eta_d}), then the
 * batteries (a joule from a battery does the same work now or later, and using it now frees room for
 * sunlight that would otherwise be curtailed); within each class the most energy-efficient waiting work goes
 * to the most energy-constrained TILEs, so compute-bound TILEs take the least efficient work. Every real
 * schedule satisfies the constraints above at every step, so none can do more useful work; the tests check
 * it on every shipped scenario.
 */
public final class FluidBound {
  private static final double EPS = 1e-9;

  private final SimConstellation constellation;
  private final Scenario scenario;
  private final TileSpec spec;
  private final List<WorkloadGenerator.Arrival> arrivals;

  private FluidBound(SimConstellation constellation, List<WorkloadGenerator.Arrival> arrivals) {
    this.constellation = constellation;
    this.scenario = constellation.scenario();
    this.spec = scenario.tile();
    this.arrivals = arrivals;
  }

  /** The bound for the scenario of {@code constellation} with these jobs, as a {@link PolicyResult} named {@code bound}. */
  public static PolicyResult run(SimConstellation constellation, List<WorkloadGenerator.Arrival> arrivals,
      Simulation.Progress progress) {
    return new FluidBound(constellation, arrivals).run(progress);
  }

  /** Fluid state of one job. */
  private static final class Fluid implements Comparable<Fluid> {
    final int index;
    final double arrival;
    final double work;
    final double joulesPerGpuSecond;
    final double deadline;
    double remaining;
    double takenThisStep;
    double completed = Double.NaN;

    Fluid(int index, double arrival, double work, double joulesPerGpuSecond, double deadline) {
      this.index = index;
      this.arrival = arrival;
      this.work = work;
      this.remaining = work;
      this.joulesPerGpuSecond = joulesPerGpuSecond;
      this.deadline = deadline;
    }

    @Override
    public int compareTo(Fluid o) {
      int c = Double.compare(joulesPerGpuSecond, o.joulesPerGpuSecond);
      return c != 0 ? c : Integer.compare(index, o.index);
    }
  }

  private PolicyResult run(Simulation.Progress progress) {
    int n = constellation.size();
    int orins = spec.orinCount();
    double stepSeconds = scenario.simulation().step().toMillis() / 1000.0;
    double runSeconds = scenario.duration().toNanos() / 1e9;
    long steps = (long) Math.ceil(runSeconds / stepSeconds);
    long decisionEvery = scenario.simulation().decisionInterval().toMillis() / scenario.simulation().step().toMillis();
    BatterySpec battery = spec.battery();
    double hk = spec.housekeepingWatts();
    double topSpeed = 0;
    double topSpeedPerTile = 0;
    double maxDrawPerTile = 0;
    for (OrinModule m : spec.orins()) {
      topSpeed = Math.max(topSpeed, m.maxMode().speedFactor());
      topSpeedPerTile += m.maxMode().speedFactor();
      maxDrawPerTile += OrinPowerModel.maxDrawWatts(m);
    }
    double shutdown = spec.thermal().shutdownTempCelsius();
    double rjp = spec.thermal().junctionToPlateKelvinPerWatt();

    TilePhysics.State[] states = new TilePhysics.State[n];
    PowerLedger[] ledgers = new PowerLedger[n];
    SimConstellation.Cursor[] cursors = new SimConstellation.Cursor[n];
    for (int i = 0; i < n; i++) {
      states[i] = TilePhysics.State.initial(spec, scenario.initial());
      ledgers[i] = new PowerLedger();
      cursors[i] = constellation.cursor(i);
    }
    List<Fluid> all = new ArrayList<>(arrivals.size());
    for (int k = 0; k < arrivals.size(); k++) {
      WorkloadGenerator.Arrival a = arrivals.get(k);
      all.add(new Fluid(k, a.atSeconds(), a.spec().workGpuSeconds(), joulesPerGpuSecond(a.spec()),
          deadlineSeconds(a.spec())));
    }
    TreeSet<Fluid> backlog = new TreeSet<>();
    int nextArrival = 0;

    double[] curtailable = new double[n];
    double[] direct = new double[n];
    double[] stored = new double[n];
    double[] computeLeft = new double[n];
    double[] thermalLeft = new double[n];
    double[] plannedWh = new double[n];
    double[] draws = new double[orins];
    long[] order = new long[n];
    // Allocations of the step: job, TILE, GPU-s.
    List<Fluid> allocJob = new ArrayList<>();
    int[] allocTile = new int[16];
    double[] allocWork = new double[16];
    double[] served = new double[n];

    double usefulWh = 0;
    double usefulGpuSeconds = 0;
    double intervalHarvestWh = 0;
    double intervalPayloadWh = 0;
    List<PolicyResult.SeriesPoint> series = new ArrayList<>();
    double[] perTileWork = new double[n];
    long reportEvery = Math.max(1, steps / 100);

    for (long step = 0; step < steps; step++) {
      double a = step * stepSeconds;
      double b = Math.min(runSeconds, a + stepSeconds);
      double dt = b - a;
      double hours = dt / 3600.0;
      while (nextArrival < all.size() && all.get(nextArrival).arrival < b) backlog.add(all.get(nextArrival++));

      // 1. What each TILE could give its Orins over the step, by source.
      for (int i = 0; i < n; i++) {
        TilePhysics.State s = states[i];
        double plate = Math.min(400.0, s.plateTempCelsius());
        double solarWh = 0;
        double t = a;
        SimConstellation.Cursor c = cursors[i];
        while (t < b - EPS) {
          double e = Math.min(b, c.nextEdgeAfter(t));
          solarWh += SolarArray.outputWatts(spec.solar(), c.fractionOver(t, e), spec.solar().cosIncidence(), plate)
              * (e - t) / 3600.0;
          t = e;
        }
        double hkWh = hk * hours;
        double surplus = Math.max(0.0, solarWh - hkWh);
        double deficit = Math.max(0.0, hkWh - solarWh);
        double chargeRoom = Math.min(battery.maxChargeWatts() * hours,
            Math.max(0.0, battery.capacityWh() - s.batteryEnergyWh()) / battery.chargeEfficiency());
        curtailable[i] = Math.max(0.0, surplus - chargeRoom);
        direct[i] = surplus - curtailable[i];
        double aboveFloor = Math.max(0.0, s.batteryEnergyWh() - battery.reserveWh()) * battery.dischargeEfficiency();
        stored[i] = Math.max(0.0, Math.min(aboveFloor, battery.maxDischargeWatts() * hours) - deficit);
        computeLeft[i] = topSpeedPerTile * dt;
        double perOrinCap = Math.max(0.0, (shutdown - s.plateTempCelsius()) / rjp);
        double thermalCap = 0;
        for (OrinModule m : spec.orins()) thermalCap += Math.min(OrinPowerModel.maxDrawWatts(m), perOrinCap);
        thermalLeft[i] = Math.min(maxDrawPerTile, thermalCap) * hours;
        plannedWh[i] = 0;
      }

      // 2. Greedy fluid allocation, source class by source class.
      for (Fluid f : backlog) f.takenThisStep = 0;
      allocJob.clear();
      int allocCount = 0;
      for (int pass = 0; pass < 3; pass++) {
        double[] energy = pass == 0 ? curtailable : pass == 1 ? direct : stored;
        int m = 0;
        for (int i = 0; i < n; i++) {
          double avail = Math.min(energy[i], thermalLeft[i]);
          if (avail <= EPS || computeLeft[i] <= EPS) continue;
          double ratio = avail / computeLeft[i];
          order[m++] = ((long) Float.floatToIntBits((float) ratio) << 32) | i;
        }
        Arrays.sort(order, 0, m);
        Iterator<Fluid> jobs = backlog.iterator();
        Fluid current = jobs.hasNext() ? jobs.next() : null;
        for (int k = 0; k < m && current != null; k++) {
          int i = (int) (order[k] & 0xffffffffL);
          double energyLeft = Math.min(energy[i], thermalLeft[i]);
          while (current != null && energyLeft > EPS && computeLeft[i] > EPS) {
            double cap = Math.min(current.remaining, topSpeed * (b - Math.max(a, current.arrival)))
                - current.takenThisStep;
            if (cap <= EPS) {
              current = jobs.hasNext() ? jobs.next() : null;
              continue;
            }
            double joulesPerGpuSecond = current.joulesPerGpuSecond;
            double y = Math.min(cap, Math.min(computeLeft[i], energyLeft * 3600.0 / joulesPerGpuSecond));
            double wh = y * joulesPerGpuSecond / 3600.0;
            current.takenThisStep += y;
            computeLeft[i] -= y;
            energyLeft -= wh;
            energy[i] -= wh;
            thermalLeft[i] -= wh;
            plannedWh[i] += wh;
            if (allocCount == allocTile.length) {
              allocTile = Arrays.copyOf(allocTile, allocCount * 2);
              allocWork = Arrays.copyOf(allocWork, allocCount * 2);
            }
            allocJob.add(current);
            allocTile[allocCount] = i;
            allocWork[allocCount] = y;
            allocCount++;
          }
        }
      }

      // 3. Physics with the planned draws; credit work for the payload energy actually delivered.
      for (int i = 0; i < n; i++) {
        double watts = plannedWh[i] / hours;
        Arrays.fill(draws, watts / orins);
        double t = a;
        double deliveredWh = 0;
        SimConstellation.Cursor c = cursors[i];
        double harvestedBefore = ledgers[i].harvestedWh();
        while (t < b - EPS) {
          double e = Math.min(b, c.nextEdgeAfter(t));
          if (e - t < 1e-6) {
            t = e;
            continue;
          }
          TilePhysics.StepResult r = TilePhysics.step(spec, states[i], c.fractionOver(t, e), draws, e - t, ledgers[i]);
          deliveredWh += watts * r.orinServedFraction() * (e - t) / 3600.0;
          t = e;
        }
        served[i] = plannedWh[i] > EPS ? Math.min(1.0, deliveredWh / plannedWh[i]) : 0.0;
        usefulWh += deliveredWh;
        intervalPayloadWh += deliveredWh;
        intervalHarvestWh += ledgers[i].harvestedWh() - harvestedBefore;
      }
      for (int k = 0; k < allocCount; k++) {
        Fluid f = allocJob.get(k);
        double done = allocWork[k] * served[allocTile[k]];
        f.remaining -= done;
        usefulGpuSeconds += done;
        perTileWork[allocTile[k]] += done;
      }
      for (int k = 0; k < allocCount; k++) {
        Fluid f = allocJob.get(k);
        if (Double.isNaN(f.completed) && f.remaining <= 1e-6) {
          f.remaining = 0;
          f.completed = b;
          backlog.remove(f);
        }
      }
      if ((step + 1) % decisionEvery == 0 || step == steps - 1) {
        double lastEnd = series.isEmpty() ? 0 : series.get(series.size() - 1).hours() * 3600.0;
        double h = (b - lastEnd) / 3600.0;
        series.add(new PolicyResult.SeriesPoint(b / 3600.0, intervalHarvestWh / h, intervalPayloadWh / h,
            intervalPayloadWh / h, 0, backlog.size()));
        intervalHarvestWh = 0;
        intervalPayloadWh = 0;
      }
      if (progress != null && step % reportEvery == 0) progress.update((double) step / steps);
    }
    if (progress != null) progress.update(1.0);

    double harvested = 0;
    double consumed = 0;
    double storedWh = 0;
    double loss = 0;
    double curtailed = 0;
    double unmet = 0;
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PowerLedger l = ledgers[i];
      harvested += l.harvestedWh();
      consumed += l.consumedWh();
      storedWh += l.storedWh();
      loss += l.lossWh();
      curtailed += l.curtailedWh();
      unmet += l.unmetWh();
      ids.add(constellation.tile(i).tileId().value());
      perTileWork[i] /= 3600.0;
    }
    long completed = 0;
    long withDeadline = 0;
    long missed = 0;
    List<Double> slowdowns = new ArrayList<>();
    double ideal = 1.0 / topSpeed;
    for (Fluid f : all) {
      boolean done = !Double.isNaN(f.completed);
      if (done) {
        completed++;
        slowdowns.add((f.completed - f.arrival) / (f.work * ideal));
      }
      if (!Double.isNaN(f.deadline) && (done || f.deadline <= runSeconds)) {
        withDeadline++;
        if (!done || f.completed > f.deadline + EPS) missed++;
      }
    }
    slowdowns.sort(Double::compare);
    double hkWh = consumed - usefulWh;
    PolicyResult.Metrics metrics = new PolicyResult.Metrics(harvested, usefulWh, usefulGpuSeconds / 3600.0, 0.0,
        all.size(), completed, 0, withDeadline == 0 ? 0.0 : 100.0 * missed / withDeadline, 0, 0, 0.0, 0,
        Simulation.percentile(slowdowns, 0.50), Simulation.percentile(slowdowns, 0.95));
    PolicyResult.Energy energy = new PolicyResult.Energy(harvested, consumed, storedWh, loss, curtailed, unmet, hkWh,
        usefulWh, 0, 0, 0);
    PolicyResult.Counters counters = new PolicyResult.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0,
        usefulGpuSeconds / 3600.0, 0, 0, 0, 0, 0);
    return new PolicyResult(SimPolicies.BOUND, metrics, energy, counters, List.copyOf(series), List.of(),
        List.copyOf(ids), perTileWork);
  }

  /** Least energy per GPU-second of a job on this TILE's Orins, over modules and modes, J per GPU-s. */
  private double joulesPerGpuSecond(JobSpec job) {
    double best = Double.POSITIVE_INFINITY;
    for (OrinModule m : spec.orins()) {
      for (PowerMode mode : m.modes()) {
        double draw = OrinPowerModel.drawWatts(m, mode, job.powerWatts(), 1);
        if (mode.speedFactor() > 0) best = Math.min(best, draw / mode.speedFactor());
      }
    }
    return best;
  }

  private double deadlineSeconds(JobSpec job) {
    Instant d = job.deadline();
    return d == null ? Double.NaN : Duration.between(scenario.start(), d).toNanos() / 1e9;
  }
}
