package org.soos.scheduler.index;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

/**
 * A page request over the job index: jobs in submission order (submittedAt, then id), filtered.
 *
 * @param states states to keep; empty keeps all
 * @param planeId keep jobs on a TILE of this plane, or (not placed) queued by its coordinator; null keeps all
 * @param tileId keep jobs currently placed on this TILE; null keeps all
 * @param limit largest page, 1..{@link #MAX_LIMIT}
 * @param after resume after this position (the previous page's next cursor); null starts at the beginning
 * @param skip matching jobs to skip before the page starts (offset paging), >= 0
 */
public record JobQuery(Set<JobStatus> states, PlaneId planeId, TileId tileId, int limit, Cursor after, int skip) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;
  /** Page size when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  public JobQuery {
    states = states == null ? Set.of() : Set.copyOf(states);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got: " + limit);
    }
    if (skip < 0) throw new IllegalArgumentException("offset must be >= 0, got: " + skip);
  }

  /** Every job, first page of the default size. */
  public static JobQuery all() {
    return new JobQuery(Set.of(), null, null, DEFAULT_LIMIT, null, 0);
  }

  boolean matches(JobSummary s) {
    return (states.isEmpty() || states.contains(s.state()))
        && (planeId == null || planeId.equals(s.planeId()))
        && (tileId == null || tileId.equals(s.tileId()));
  }

  /**
   * A position in submission order: the job at {@code (submittedAt, id)}. Travels as an opaque,
   * URL-safe string.
   */
  public record Cursor(Instant submittedAt, JobId id) implements Comparable<Cursor> {
    private static final String VERSION = "c1";

    public Cursor {
      if (submittedAt == null || id == null) throw new IllegalArgumentException("cursor needs submittedAt and id");
    }

    @Override
    public int compareTo(Cursor other) {
      int c = submittedAt.compareTo(other.submittedAt);
      return c != 0 ? c : id.compareTo(other.id);
    }

    /** The opaque text form. */
    public String encode() {
      String plain = VERSION + ":" + submittedAt.getEpochSecond() + ":" + submittedAt.getNano() + ":" + id.value();
      return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor made by {@link #encode()}.
     *
     * @throws IllegalArgumentException when {@code text} is not one
     */
    public static Cursor decode(String text) {
      if (text == null || text.isEmpty() || text.length() > 200) {
        throw new IllegalArgumentException("not a cursor of this API");
      }
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        String[] parts = plain.split(":", 4);
        if (parts.length != 4 || !VERSION.equals(parts[0])) throw new IllegalArgumentException("not a cursor of this API");
        long seconds = Long.parseLong(parts[1]);
        long nanos = Long.parseLong(parts[2]);
        if (nanos < 0 || nanos > 999_999_999L) throw new IllegalArgumentException("not a cursor of this API");
        return new Cursor(Instant.ofEpochSecond(seconds, nanos), JobId.of(parts[3]));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        throw new IllegalArgumentException("not a cursor of this API (use the nextCursor of a previous page)", e);
      }
    }
  }
}
