package org.soos.shared.orbit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.soos.shared.CborSerializable;

/**
 * The shadow passes of one TILE over a span [from, until): answers "what is the eclipse state at t",
 * "when is the next shadow edge" and "which passes come next" by binary search. Immutable; no clock is
 * read (time is always a parameter).
 *
 * <p>Windows are chronological and disjoint and each overlaps the span. A window may reach outside
 * the span ({@link EclipsePredictor} returns the passes that straddle {@code from} or {@code until}
 * whole). A window may also miss edges, as described on {@link EclipseWindow}: a null entry edge means
 * the shadow began before anything is known (only the first window), a null exit edge that it lasts
 * past the known data (only the last window). Then: with {@code umbraStart} known and
 * {@code penumbraStart} missing the span began in the entry penumbra; with both entry edges missing
 * and {@code umbraEnd} known it began in umbra; with all umbra edges missing it began in penumbra; and
 * symmetrically for the exit edges.
 */
public final class EclipseTimeline implements CborSerializable {
  private final Instant from;
  private final Instant until;
  private final List<EclipseWindow> windows;
  /** Window starts (penumbra entries), a missing one read as the far past. */
  private final Instant[] starts;
  /** Window ends (penumbra exits), a missing one read as the far future. */
  private final Instant[] ends;
  /** Every known edge (penumbra/umbra entry/exit), sorted. */
  private final Instant[] edges;

  /**
   * @param from start of the span (inclusive)
   * @param until end of the span (exclusive), after {@code from}
   * @param windows the shadow passes overlapping the span, chronological and disjoint
   */
  @JsonCreator
  public EclipseTimeline(
      @JsonProperty("from") Instant from,
      @JsonProperty("until") Instant until,
      @JsonProperty("windows") List<EclipseWindow> windows) {
    if (from == null) throw new IllegalArgumentException("from is required");
    if (until == null) throw new IllegalArgumentException("until is required");
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("until must be after from, got from=" + from + " until=" + until);
    }
    if (windows == null) throw new IllegalArgumentException("windows is required (may be empty)");
    this.from = from;
    this.until = until;
    this.windows = List.copyOf(windows);
    int n = this.windows.size();
    this.starts = new Instant[n];
    this.ends = new Instant[n];
    List<Instant> allEdges = new ArrayList<>(4 * n);
    for (int i = 0; i < n; i++) {
      EclipseWindow w = this.windows.get(i);
      requireConsistent(i, w, n);
      starts[i] = w.penumbraStart() != null ? w.penumbraStart() : Instant.MIN;
      ends[i] = w.penumbraEnd() != null ? w.penumbraEnd() : Instant.MAX;
      if (!starts[i].isBefore(until) || !ends[i].isAfter(from)) {
        throw new IllegalArgumentException(
            "windows[" + i + "] " + w + " does not overlap the span [" + from + ", " + until + ")");
      }
      if (i > 0 && starts[i].isBefore(ends[i - 1])) {
        throw new IllegalArgumentException(
            "windows[" + i + "] starts before windows[" + (i - 1) + "] ends: windows must be chronological and disjoint");
      }
      for (Instant e : new Instant[] {w.penumbraStart(), w.umbraStart(), w.umbraEnd(), w.penumbraEnd()}) {
        if (e != null) allEdges.add(e);
      }
    }
    this.edges = allEdges.toArray(new Instant[0]);
    Arrays.sort(this.edges);
  }

  /** Start of the span (inclusive). */
  @JsonProperty("from")
  public Instant from() {
    return from;
  }

  /** End of the span (exclusive). */
  @JsonProperty("until")
  public Instant until() {
    return until;
  }

  /** The shadow passes, chronological. */
  @JsonProperty("windows")
  public List<EclipseWindow> windows() {
    return windows;
  }

  /** True when {@code t} lies in [from, until). */
  public boolean covers(Instant t) {
    return !t.isBefore(from) && t.isBefore(until);
  }

  /**
   * Shadow state at {@code t}.
   *
   * @throws IllegalArgumentException when {@code t} is outside [from, until): the timeline knows nothing there
   */
  public EclipseState stateAt(Instant t) {
    requireCovered(t);
    int i = windowIndexAt(t);
    return i < 0 ? EclipseState.SUNLIT : stateIn(windows.get(i), t);
  }

  /**
   * Fraction of the solar disk visible at {@code t}, in [0, 1] (see {@link EclipseWindow#sunlitFractionAt}).
   * In a penumbra crossing whose other edge is unknown (a window cut by missing data) it is 0.5.
   *
   * @throws IllegalArgumentException when {@code t} is outside [from, until)
   */
  public double sunlitFractionAt(Instant t) {
    requireCovered(t);
    int i = windowIndexAt(t);
    if (i < 0) return 1.0;
    EclipseWindow w = windows.get(i);
    if (isComplete(w)) return w.sunlitFractionAt(t);
    EclipseState s = stateIn(w, t);
    if (s == EclipseState.UMBRA) return 0.0;
    if (s == EclipseState.SUNLIT) return 1.0;
    if (w.umbraStart() != null && t.isBefore(w.umbraStart())) {
      return w.penumbraStart() == null ? 0.5 : 1.0 - fraction(w.penumbraStart(), t, w.umbraStart());
    }
    if (w.umbraEnd() != null && !t.isBefore(w.umbraEnd())) {
      return w.penumbraEnd() == null ? 0.5 : fraction(w.umbraEnd(), t, w.penumbraEnd());
    }
    return 0.5;
  }

  /** The first known shadow edge (penumbra or umbra entry or exit) strictly after {@code t}, if any. */
  public Optional<Instant> nextTransitionAfter(Instant t) {
    Objects.requireNonNull(t, "t");
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges[mid].isAfter(t)) hi = mid;
      else lo = mid + 1;
    }
    return lo < edges.length ? Optional.of(edges[lo]) : Optional.empty();
  }

  /**
   * Up to {@code count} windows from {@code t} on: the window containing {@code t}, if any, then the
   * following ones, chronological. Empty when none is left.
   */
  public List<EclipseWindow> upcoming(Instant t, int count) {
    Objects.requireNonNull(t, "t");
    if (count < 0) throw new IllegalArgumentException("count must be >= 0, got: " + count);
    int i = lastStartingAtOrBefore(t);
    int first = (i >= 0 && t.isBefore(ends[i])) ? i : i + 1;
    int last = (int) Math.min(windows.size(), (long) first + count);
    return first >= last ? List.of() : windows.subList(first, last);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EclipseTimeline other
        && from.equals(other.from) && until.equals(other.until) && windows.equals(other.windows);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, until, windows);
  }

  @Override
  public String toString() {
    return "EclipseTimeline[from=" + from + ", until=" + until + ", windows=" + windows.size() + "]";
  }

  private int windowIndexAt(Instant t) {
    int i = lastStartingAtOrBefore(t);
    return i >= 0 && t.isBefore(ends[i]) ? i : -1;
  }

  private int lastStartingAtOrBefore(Instant t) {
    int lo = 0;
    int hi = starts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid].isAfter(t)) hi = mid;
      else lo = mid + 1;
    }
    return lo - 1;
  }

  private void requireCovered(Instant t) {
    Objects.requireNonNull(t, "t");
    if (!covers(t)) {
      throw new IllegalArgumentException("t=" + t + " is outside the timeline span [" + from + ", " + until + ")");
    }
  }

  /** The state inside a window's [start, end), reading missing edges as described in the class comment. */
  private static EclipseState stateIn(EclipseWindow w, Instant t) {
    if (isComplete(w)) return w.stateAt(t);
    Instant uStart = w.umbraStart();
    Instant uEnd = w.umbraEnd();
    boolean hasUmbra = uStart != null || uEnd != null;
    if (!hasUmbra) return EclipseState.PENUMBRA;
    boolean afterUmbraEntry = uStart == null ? w.penumbraStart() == null : !t.isBefore(uStart);
    boolean beforeUmbraExit = uEnd == null ? w.penumbraEnd() == null : t.isBefore(uEnd);
    return afterUmbraEntry && beforeUmbraExit ? EclipseState.UMBRA : EclipseState.PENUMBRA;
  }

  private static boolean isComplete(EclipseWindow w) {
    boolean penumbraKnown = w.penumbraStart() != null && w.penumbraEnd() != null;
    boolean umbraConsistent = (w.umbraStart() == null) == (w.umbraEnd() == null);
    return penumbraKnown && umbraConsistent;
  }

  private static void requireConsistent(int i, EclipseWindow w, int n) {
    if (w == null) throw new IllegalArgumentException("windows[" + i + "] is null");
    if (w.penumbraStart() == null && w.umbraStart() == null && w.umbraEnd() == null && w.penumbraEnd() == null) {
      throw new IllegalArgumentException("windows[" + i + "] has no edge at all");
    }
    Instant[] e = {w.penumbraStart(), w.umbraStart(), w.umbraEnd(), w.penumbraEnd()};
    Instant prev = null;
    for (Instant x : e) {
      if (x == null) continue;
      if (prev != null && x.isBefore(prev)) {
        throw new IllegalArgumentException(
            "windows[" + i + "] edges must be ordered penumbraStart <= umbraStart <= umbraEnd <= penumbraEnd: " + w);
      }
      prev = x;
    }
    boolean entryMissing = w.penumbraStart() == null;
    boolean exitMissing = w.penumbraEnd() == null;
    if (entryMissing && i != 0) {
      throw new IllegalArgumentException("windows[" + i + "] lacks penumbraStart; only the first window may start unknown");
    }
    if (exitMissing && i != n - 1) {
      throw new IllegalArgumentException("windows[" + i + "] lacks penumbraEnd; only the last window may end unknown");
    }
    if (w.penumbraStart() != null && w.penumbraEnd() != null && (w.umbraStart() == null) != (w.umbraEnd() == null)) {
      throw new IllegalArgumentException(
          "windows[" + i + "] has penumbra entry and exit but only one umbra edge: " + w);
    }
  }

  private static double fraction(Instant a, Instant t, Instant b) {
    double total = Duration.between(a, b).toNanos();
    return total <= 0 ? 1.0 : Math.min(1.0, Math.max(0.0, Duration.between(a, t).toNanos() / total));
  }
}
