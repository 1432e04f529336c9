package org.soos.shared.orbit;

import java.time.Duration;
import java.time.Instant;

/**
 * One pass through Earth's shadow: penumbra entry, umbra entry, umbra exit, penumbra exit (UTC).
 *
 * <p>{@code umbraStart}/{@code umbraEnd} are null for a penumbra-only pass (grazing, high beta angle).
 * A window cut by the start or end of a prediction span keeps the instants it has; a missing
 * {@code penumbraStart} means the span started inside the shadow.
 */
public record EclipseWindow(Instant penumbraStart, Instant umbraStart, Instant umbraEnd, Instant penumbraEnd) {

  /** Shadow state at {@code t}: UMBRA inside [umbraStart, umbraEnd), PENUMBRA inside the rest of the window. */
  public EclipseState stateAt(Instant t) {
    if (umbraStart != null && umbraEnd != null && !t.isBefore(umbraStart) && t.isBefore(umbraEnd)) {
      return EclipseState.UMBRA;
    }
    Instant start = penumbraStart != null ? penumbraStart : umbraStart;
    Instant end = penumbraEnd != null ? penumbraEnd : umbraEnd;
    if (start != null && end != null && !t.isBefore(start) && t.isBefore(end)) {
      return EclipseState.PENUMBRA;
    }
    return EclipseState.SUNLIT;
  }

  /**
   * Fraction of the solar disk visible at {@code t}, in [0, 1]: 1 when sunlit, 0 in umbra, linear in
   * time across each penumbra crossing (a good approximation: the crossing lasts ~8-10 s in LEO).
   */
  public double sunlitFractionAt(Instant t) {
    EclipseState s = stateAt(t);
    if (s == EclipseState.SUNLIT) return 1.0;
    if (s == EclipseState.UMBRA) return 0.0;
    if (umbraStart == null || umbraEnd == null) {
      // Penumbra-only pass: the deepest point is mid-window; assume at most half the disk hidden.
      double total = seconds(penumbraStart, penumbraEnd);
      double into = seconds(penumbraStart, t);
      double depth = 1.0 - Math.abs(2.0 * into / total - 1.0);
      return 1.0 - 0.5 * depth;
    }
    if (t.isBefore(umbraStart)) {
      if (penumbraStart == null) return 0.0;
      return 1.0 - seconds(penumbraStart, t) / seconds(penumbraStart, umbraStart);
    }
    if (penumbraEnd == null) return 0.0;
    return seconds(umbraEnd, t) / seconds(umbraEnd, penumbraEnd);
  }

  /** Start of the window (penumbra entry, or umbra entry when the penumbra edge is not known). */
  public Instant start() {
    return penumbraStart != null ? penumbraStart : umbraStart;
  }

  /** End of the window (penumbra exit, or umbra exit when the penumbra edge is not known). */
  public Instant end() {
    return penumbraEnd != null ? penumbraEnd : umbraEnd;
  }

  /** Time in full shadow; zero for a penumbra-only pass. */
  public Duration umbraDuration() {
    return umbraStart == null || umbraEnd == null ? Duration.ZERO : Duration.between(umbraStart, umbraEnd);
  }

  private static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toNanos() / 1e9;
  }
}
