package org.soos.scheduler.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * The baselines' picture of the cluster in one decision round, as a cluster scheduler keeps it: per TILE the
 * Orin slots in use and the power requested by the jobs on it (a job requests its draw at the module's top
 * mode, idle included, like a pod's resource request), against a static power capacity. Scoring is
 * kube-scheduler's default "least allocated": the mean of the free share of power capacity and of slots,
 * highest first, ties to the lowest TILE id and slot.
 */
final class BinpackState {
  /** A TILE with its free slots and allocation. */
  static final class Node {
    final TileView view;
    final boolean[] taken;
    double requestedWatts;
    int used;

    Node(TileView view) {
      this.view = view;
      this.taken = new boolean[view.report().orins().size()];
    }

    TileReport report() {
      return view.report();
    }

    TileId id() {
      return view.report().tileId();
    }
  }

  /** A chosen slot. */
  record Choice(Node node, OrinReport orin) {}

  private final PolicySettings settings;
  private final double capacityWatts;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<TileId, Node> byId = new HashMap<>();
  /** Nodes fit to receive work with a free slot, in TILE id order. */
  private final List<Node> open = new ArrayList<>();

  BinpackState(ClusterView view, PolicySettings settings, double capacityWatts) {
    this.settings = settings;
    this.capacityWatts = capacityWatts;
    if (!(capacityWatts > 0)) throw new IllegalArgumentException("capacityWatts must be > 0, got " + capacityWatts);
    List<TileView> sorted = new ArrayList<>(view.tiles().values());
    sorted.sort(Comparator.comparing(t -> t.report().tileId()));
    for (TileView t : sorted) {
      Node n = new Node(t);
      nodes.add(n);
      byId.put(n.id(), n);
      for (OrinReport o : t.report().orins()) {
        for (JobProgress p : o.jobs()) {
          if (p.state() == JobProgress.JobRunState.RUNNING || p.state() == JobProgress.JobRunState.CHECKPOINTING) {
            mark(n, o.slot());
          }
        }
      }
    }
    for (RunningJob r : view.running()) {
      Node n = byId.get(r.tileId());
      if (n == null) continue;
      mark(n, r.slot());
      n.requestedWatts += request(r.spec(), orin(n.report(), r.slot()));
    }
    for (Node n : nodes) if (ready(n, view.now())) open.add(n);
  }

  private static void mark(Node n, int slot) {
    if (slot >= 0 && slot < n.taken.length && !n.taken[slot]) {
      n.taken[slot] = true;
      n.used++;
    }
  }

  Node node(TileId id) {
    return byId.get(id);
  }

  List<Node> nodes() {
    return nodes;
  }

  /** Power a job requests on an Orin: its module draw at the top mode, W. */
  static double request(JobSpec spec, OrinReport orin) {
    OrinModule m = orin == null ? OrinModule.AGX_ORIN_64GB : orin.module();
    return OrinPowerModel.drawWatts(m, m.maxMode(), spec.powerWatts(), 1);
  }

  static OrinReport orin(TileReport r, int slot) {
    for (OrinReport o : r.orins()) if (o.slot() == slot) return o;
    return null;
  }

  /** Whether the TILE is fit to receive work at all: healthy, not drained, reported recently, not shedding. */
  boolean ready(Node n, java.time.Instant now) {
    TileReport r = n.report();
    return n.view.acceptsWork() && !r.shedding()
        && Duration.between(r.simTime(), now).compareTo(settings.maxReportAge()) <= 0
        && n.used < n.taken.length;
  }

  /**
   * The least-allocated free slot for {@code spec} on the nodes that pass {@code nodeFilter} and
   * {@code slotFilter}, with the static power capacity respected; null if none.
   */
  Choice best(JobSpec spec, java.time.Instant now, java.util.function.Predicate<Node> nodeFilter,
      java.util.function.BiPredicate<Node, OrinReport> slotFilter) {
    Choice best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Node n : open) {
      if (n.used >= n.taken.length || !nodeFilter.test(n)) continue;
      for (OrinReport o : n.report().orins()) {
        if (n.taken[o.slot()] || o.health() == OrinReport.OrinHealth.SHUTDOWN) continue;
        if (spec.memoryGb() > o.module().memoryGb()) continue;
        if (!Candidates.allowed(spec, n.report(), o)) continue;
        double req = request(spec, o);
        if (n.requestedWatts + req > capacityWatts + 1e-9) continue;
        if (!slotFilter.test(n, o)) continue;
        double score = 0.5 * ((capacityWatts - n.requestedWatts - req) / capacityWatts
            + (double) (n.taken.length - n.used - 1) / n.taken.length);
        if (score > bestScore + 1e-12) {
          bestScore = score;
          best = new Choice(n, o);
        }
      }
    }
    return best;
  }

  void take(Node n, int slot, double requestWatts) {
    mark(n, slot);
    n.requestedWatts += requestWatts;
    if (n.used >= n.taken.length) open.remove(n);
  }

  /** Drops from the open TILEs those that fail {@code keep} (for the rest of the round). */
  void keepOpen(java.util.function.Predicate<Node> keep) {
    open.removeIf(n -> !keep.test(n));
  }

  /** Frees a slot (a job moved away); the TILE is not reopened for placements this round. */
  void release(Node n, int slot, double requestWatts) {
    if (slot >= 0 && slot < n.taken.length && n.taken[slot]) {
      n.taken[slot] = false;
      n.used--;
    }
    n.requestedWatts -= requestWatts;
  }

  /** True when no TILE fit to receive work has a free slot left. */
  boolean full() {
    return open.isEmpty();
  }

  /**
   * Remembers jobs that found no slot in a placement pass, by memory and power: every filter is monotone in
   * both (more memory or more power never fits where less did not), so a job needing at least as much of
   * each as one that failed fails too, while slots are only being taken. Saves rescanning a full cluster
   * for every waiting job.
   */
  static final class Misses {
    private final List<double[]> failed = new ArrayList<>();

    boolean dominated(JobSpec spec) {
      if (spec.placement() != null) return false;
      for (double[] f : failed) {
        if (spec.memoryGb() >= f[0] && spec.powerWatts() >= f[1]) return true;
      }
      return false;
    }

    void add(JobSpec spec) {
      if (spec.placement() != null) return;
      failed.removeIf(f -> f[0] >= spec.memoryGb() && f[1] >= spec.powerWatts());
      failed.add(new double[] {spec.memoryGb(), spec.powerWatts()});
    }
  }

  /** Pending jobs in a cluster scheduler's queue order: priority (high first), then age, then id. */
  static List<PendingJob> queue(List<PendingJob> pending) {
    List<PendingJob> q = new ArrayList<>(pending);
    q.sort((a, b) -> {
      int c = Integer.compare(b.spec().priority(), a.spec().priority());
      if (c != 0) return c;
      c = a.submittedAt().compareTo(b.submittedAt());
      return c != 0 ? c : a.jobId().value().compareTo(b.jobId().value());
    });
    return q;
  }
}
