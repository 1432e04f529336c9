package org.soos.scheduler.coordinator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.job.JobSpec;

/**
 * Which plane's coordinator queues a job: pure and deterministic (no Akka, no clock).
 *
 * <p>A new job goes to a plane its placement constraints allow, among the planes whose summary in the
 * {@link PlaneDirectory} shows at least one live TILE. Each candidate is weighted by its spare capacity,
 * {@code 1 + max(0, freeOrins - pendingJobs)}, and the job's id picks one in proportion to the weights
 * (a stable hash), so a burst of submissions read against the same directory snapshot spreads over the
 * planes instead of piling onto the emptiest one. When no plane has published a summary yet (the
 * scheduler just started), the constellation's own plane list is used with equal weights.
 *
 * <p>Spill ({@link #spillTarget}): a plane that could not place a job for a while hands it to the allowed
 * plane with the most spare capacity, but only to one that has spare Orins right now.
 */
public final class PlaneChooser {
  private PlaneChooser() {}

  /**
   * The plane that should queue {@code jobId}.
   *
   * @param summaries the plane directory as this node sees it
   * @param constellationPlanes every plane of the constellation, the fallback when no summary is usable
   * @param exclude planes not to choose
   * @return empty when no allowed plane is known
   */
  public static Optional<PlaneId> choose(JobId jobId, JobSpec spec, Collection<PlaneSummary> summaries,
      List<PlaneId> constellationPlanes, Set<PlaneId> exclude) {
    List<PlaneSummary> live = candidates(spec, summaries, exclude);
    if (!live.isEmpty()) {
      long total = 0;
      for (PlaneSummary s : live) total += weight(s);
      long pick = Math.floorMod(stableHash(jobId), total);
      for (PlaneSummary s : live) {
        pick -= weight(s);
        if (pick < 0) return Optional.of(s.planeId());
      }
      return Optional.of(live.get(live.size() - 1).planeId());
    }
    List<PlaneId> known = new ArrayList<>();
    for (PlaneId p : constellationPlanes) {
      if (allowed(spec, p) && !exclude.contains(p) && !known.contains(p)) known.add(p);
    }
    if (known.isEmpty()) return Optional.empty();
    known.sort(Comparator.naturalOrder());
    return Optional.of(known.get((int) Math.floorMod(stableHash(jobId), known.size())));
  }

  /**
   * The plane a job waiting too long in {@code from} should move to: the allowed live plane with the most
   * spare Orins (free minus queued), if it has at least one; ties go to the larger compute budget, then
   * the plane id.
   */
  public static Optional<PlaneId> spillTarget(JobSpec spec, Collection<PlaneSummary> summaries, PlaneId from) {
    return candidates(spec, summaries, Set.of(from)).stream()
        .filter(s -> spare(s) > 0)
        .min(Comparator.comparingInt((PlaneSummary s) -> -spare(s))
            .thenComparingDouble(s -> -s.totalComputeBudgetWatts())
            .thenComparing(PlaneSummary::planeId))
        .map(PlaneSummary::planeId);
  }

  /** Whether the job's placement constraints allow {@code plane}. */
  public static boolean allowed(JobSpec spec, PlaneId plane) {
    JobSpec.PlacementConstraints c = spec == null ? null : spec.placement();
    return c == null || c.planes() == null || c.planes().isEmpty() || c.planes().contains(plane.value());
  }

  private static List<PlaneSummary> candidates(JobSpec spec, Collection<PlaneSummary> summaries, Set<PlaneId> exclude) {
    return summaries.stream()
        .filter(s -> s.planeId() != null && s.tileCount() - s.staleCount() > 0)
        .filter(s -> allowed(spec, s.planeId()) && !exclude.contains(s.planeId()))
        .sorted(Comparator.comparing(PlaneSummary::planeId))
        .toList();
  }

  private static int spare(PlaneSummary s) {
    return s.freeOrinCount() - s.pendingJobCount();
  }

  private static long weight(PlaneSummary s) {
    return 1L + Math.max(0, spare(s));
  }

  /** A hash of the id that is the same in every JVM and every run (String.hashCode is specified). */
  private static long stableHash(JobId jobId) {
    long h = jobId.value().hashCode();
    // Spread the bits (SplitMix64 finaliser) so that similar ids land on different planes.
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h & Long.MAX_VALUE;
  }
}
