package org.soos.scheduler.index;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;

/**
 * The in-memory job index of one scheduler node: every job's {@link JobSummary} in submission order,
 * jobs per state, and totals over the whole journal (placements, migrations by reason, lost work).
 * No Akka: {@link JobIndex} feeds it the journal's tagged events.
 *
 * <p>A job with a journal row the index cannot read is quarantined here ({@link #quarantine}): it
 * leaves the list and the counts, its later events are passed over, and the reason is kept; every
 * other job is unaffected. This mirrors the job entity, which refuses to replay such a job.
 *
 * <p>Threads: one writer ({@link #record} and {@link #quarantine}, called in journal order) and any number of readers.
 * Readers see each summary either before or after an event, never half-applied; a page is not a
 * snapshot of one instant (the index moves while it is read, as any eventually consistent list does).
 */
public final class JobTable {
  /** Distinct migration reasons kept as metric labels; further ones count under {@value #OTHER_REASON}. */
  static final int MAX_REASONS = 32;
  static final String OTHER_REASON = "other";

  private final ConcurrentSkipListMap<JobQuery.Cursor, JobSummary> bySubmission = new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<JobId, JobQuery.Cursor> positions = new ConcurrentHashMap<>();
  private final AtomicLongArray perState = new AtomicLongArray(JobStatus.values().length);
  private final LongAdder placements = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> migrationsByReason = new ConcurrentHashMap<>();
  private final DoubleAdder lostGpuSeconds = new DoubleAdder();
  private final AtomicLong lastOffset = new AtomicLong();
  private final AtomicLong eventsSeen = new AtomicLong();
  private final ConcurrentHashMap<JobId, String> quarantined = new ConcurrentHashMap<>();

  /**
   * Applies one event of job {@code jobId} read at journal ordering {@code offset}.
   *
   * @return the change for the event stream; empty for an event type this node does not know, and
   *     for an event of a quarantined job (passed over)
   */
  public Optional<LifecycleEvent> record(JobId jobId, JobEntity.Event event, long offset) {
    lastOffset.accumulateAndGet(offset, Math::max);
    eventsSeen.incrementAndGet();
    if (quarantined.containsKey(jobId)) return Optional.empty();
    JobQuery.Cursor position = positions.get(jobId);
    JobSummary previous = position == null ? null : bySubmission.get(position);
    Optional<JobProjection.Step> step = JobProjection.apply(previous, jobId, event, offset);
    if (step.isEmpty()) return Optional.empty();
    JobSummary next = step.get().summary();
    JobQuery.Cursor nextPosition = new JobQuery.Cursor(next.submittedAt(), jobId);
    if (position != null && !position.equals(nextPosition)) {
      bySubmission.remove(position);
    }
    bySubmission.put(nextPosition, next);
    positions.put(jobId, nextPosition);
    if (previous != null) perState.decrementAndGet(previous.state().ordinal());
    perState.incrementAndGet(next.state().ordinal());
    count(event);
    return Optional.of(step.get().event());
  }

  /**
   * Quarantines job {@code jobId}: a row of it, at journal ordering {@code offset}, cannot be read.
   * The job leaves the list and the per-state counts (its summary would be built from part of its
   * history) and its later events are passed over; journal totals already counted stay.
   *
   * @return true the first time the job is quarantined, false when it already was
   */
  public boolean quarantine(JobId jobId, String reason, long offset) {
    lastOffset.accumulateAndGet(offset, Math::max);
    eventsSeen.incrementAndGet();
    if (quarantined.putIfAbsent(jobId, reason) != null) return false;
    JobQuery.Cursor position = positions.remove(jobId);
    JobSummary previous = position == null ? null : bySubmission.remove(position);
    if (previous != null) perState.decrementAndGet(previous.state().ordinal());
    return true;
  }

  /** Why the index quarantined {@code jobId}, if it did. */
  public Optional<String> quarantineReason(JobId jobId) {
    return Optional.ofNullable(quarantined.get(jobId));
  }

  /** Jobs the index quarantined, with the reason. */
  public Map<JobId, String> quarantined() {
    return Map.copyOf(quarantined);
  }

  private void count(JobEntity.Event event) {
    if (event instanceof JobEntity.JobPlaced) {
      placements.increment();
    } else if (event instanceof JobEntity.MigrationStarted m) {
      String reason = reasonLabel(m.reason());
      if (!migrationsByReason.containsKey(reason) && migrationsByReason.size() >= MAX_REASONS) reason = OTHER_REASON;
      migrationsByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    } else if (event instanceof JobEntity.JobRequeued r) {
      lostGpuSeconds.add(Math.max(0.0, r.lostGpuSeconds()));
    }
  }

  /**
   * A migration reason as a metric label: its leading word of {@code [a-z0-9_-]} (the policy's reason
   * codes, e.g. {@code eclipse-energy}, {@code thermal}), at most 40 characters; "unspecified" when none.
   */
  static String reasonLabel(String reason) {
    if (reason == null) return "unspecified";
    String lower = reason.strip().toLowerCase(Locale.ROOT);
    int end = 0;
    while (end < lower.length() && end < 40) {
      char c = lower.charAt(end);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        end++;
      } else {
        break;
      }
    }
    return end == 0 ? "unspecified" : lower.substring(0, end);
  }

  /** One page of jobs matching {@code query}, in submission order. */
  public JobPage page(JobQuery query) {
    NavigableMap<JobQuery.Cursor, JobSummary> from =
        query.after() == null ? bySubmission : bySubmission.tailMap(query.after(), false);
    List<JobSummary> jobs = new ArrayList<>(Math.min(query.limit(), 64));
    int toSkip = query.skip();
    boolean more = false;
    for (Iterator<JobSummary> it = from.values().iterator(); it.hasNext(); ) {
      JobSummary s = it.next();
      if (!query.matches(s)) continue;
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      if (jobs.size() == query.limit()) {
        more = true;
        break;
      }
      jobs.add(s);
    }
    String next = null;
    if (more) {
      JobSummary last = jobs.get(jobs.size() - 1);
      next = new JobQuery.Cursor(last.submittedAt(), last.id()).encode();
    }
    return new JobPage(List.copyOf(jobs), jobs.size(), next);
  }

  /** The summary of one job, if the index has seen it. */
  public Optional<JobSummary> find(JobId jobId) {
    JobQuery.Cursor position = positions.get(jobId);
    return position == null ? Optional.empty() : Optional.ofNullable(bySubmission.get(position));
  }

  /** Number of jobs in each state (every state present, zero when none). */
  public Map<JobStatus, Long> countsByState() {
    Map<JobStatus, Long> out = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) out.put(s, perState.get(s.ordinal()));
    return out;
  }

  /** Jobs known to the index. */
  public int size() {
    return positions.size();
  }

  /** Placements recorded in the journal (every JobPlaced, first placements and migration targets alike). */
  public long placementsTotal() {
    return placements.sum();
  }

  /** Migrations started, by reason label. */
  public Map<String, Long> migrationsByReason() {
    Map<String, Long> out = new TreeMap<>();
    migrationsByReason.forEach((reason, n) -> out.put(reason, n.sum()));
    return out;
  }

  /** Work lost to requeues (done after the last checkpoint, then redone), GPU-seconds. */
  public double lostGpuSecondsTotal() {
    return lostGpuSeconds.sum();
  }

  /** Journal ordering of the last event applied (0 before any). */
  public long lastOffset() {
    return lastOffset.get();
  }

  /** Events applied so far. */
  public long eventsSeen() {
    return eventsSeen.get();
  }
}
