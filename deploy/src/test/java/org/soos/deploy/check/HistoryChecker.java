package org.soos.deploy.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checker of the fault tests: given the ids of every job the API accepted (HTTP 202) and what
 * {@code GET /v1/jobs/{id}} answers for each after the run, it says which jobs were lost, which did not
 * reach an expected state, and whether two placements (epochs) of one job ever overlapped.
 *
 * <p>Epoch intervals come from each job's history ({@code [{at, event, epoch, detail}]}, in the order the
 * job entity recorded them): a {@code placed} entry opens the interval of its epoch; {@code
 * source-released}, {@code requeued}, {@code succeeded}, {@code failed} or {@code cancelled} closes it.
 * The rules, each a violation when broken:
 * <ul>
 *   <li>a placement opens only when the previous epoch's interval is closed, at an instant no earlier
 *       than that close, and under a higher epoch;</li>
 *   <li>progress ({@code running}, {@code checkpoint}, {@code succeeded}) is committed only under the open
 *       epoch, inside its interval;</li>
 *   <li>instants never go backwards within the placements of one job.</li>
 * </ul>
 * A history that does not start with {@code submitted} was truncated by the entity (it keeps the last
 * entries only) and cannot be verified: that is reported too.
 */
public final class HistoryChecker {
  private HistoryChecker() {}

  /** One problem found, about one job. */
  public record Violation(String jobId, String problem) {
    @Override
    public String toString() {
      return jobId + ": " + problem;
    }
  }

  /**
   * What the checker found.
   *
   * @param accepted jobs the API accepted
   * @param lost accepted jobs the API no longer knows (no view)
   * @param unexpectedStates jobs whose final state is not one of the expected ones, with that state
   * @param violations epoch fencing violations and unverifiable histories
   */
  public record Report(int accepted, List<String> lost, Map<String, String> unexpectedStates,
      List<Violation> violations) {
    public boolean ok() {
      return lost.isEmpty() && unexpectedStates.isEmpty() && violations.isEmpty();
    }

    /** Human-readable summary for assertion messages. */
    public String describe() {
      return accepted + " accepted; lost " + lost + "; unexpected states " + unexpectedStates + "; violations "
          + violations;
    }
  }

  /**
   * Checks the final views of the accepted jobs.
   *
   * @param accepted ids of every job that got HTTP 202
   * @param views the JobView JSON of each id ({@code GET /v1/jobs/{id}}); a missing or null entry is a lost job
   * @param expectedStates states each job must be in (e.g. {@code SUCCEEDED}); empty: any state
   */
  public static Report check(Collection<String> accepted, Map<String, JsonNode> views, Set<String> expectedStates) {
    List<String> lost = new ArrayList<>();
    Map<String, String> unexpected = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    for (String id : accepted) {
      JsonNode view = views.get(id);
      if (view == null || view.isNull() || view.isMissingNode()) {
        lost.add(id);
        continue;
      }
      String state = view.path("state").asText("");
      if (!expectedStates.isEmpty() && !expectedStates.contains(state)) unexpected.put(id, state);
      for (String problem : epochProblems(view.path("history"))) violations.add(new Violation(id, problem));
    }
    return new Report(accepted.size(), List.copyOf(lost), Map.copyOf(unexpected), List.copyOf(violations));
  }

  /** The fencing problems of one job's history (empty when it is sound). */
  public static List<String> epochProblems(JsonNode history) {
    List<String> problems = new ArrayList<>();
    if (!history.isArray() || history.isEmpty()) {
      problems.add("no history");
      return problems;
    }
    if (!"submitted".equals(history.get(0).path("event").asText())) {
      problems.add("history truncated (first entry " + history.get(0).path("event").asText() + "): cannot verify");
      return problems;
    }
    long openEpoch = -1;
    long lastEpoch = 0;
    Instant openedAt = null;
    Instant lastClosedAt = null;
    Instant lastPlacementInstant = null;
    for (int i = 0; i < history.size(); i++) {
      JsonNode entry = history.get(i);
      String event = entry.path("event").asText();
      long epoch = entry.path("epoch").asLong(-1);
      Instant at = instant(entry.path("at"));
      String where = "entry " + i + " (" + event + ", epoch " + epoch + ", at " + at + ")";
      switch (event) {
        case "placed" -> {
          if (openEpoch >= 0) {
            problems.add(where + ": placed while epoch " + openEpoch + " (since " + openedAt + ") is still open");
          }
          if (epoch <= lastEpoch) problems.add(where + ": epoch does not increase (last " + lastEpoch + ")");
          if (at != null && lastClosedAt != null && at.isBefore(lastClosedAt)) {
            problems.add(where + ": starts before the previous epoch closed at " + lastClosedAt);
          }
          if (at != null && lastPlacementInstant != null && at.isBefore(lastPlacementInstant)) {
            problems.add(where + ": time goes backwards (previous " + lastPlacementInstant + ")");
          }
          openEpoch = epoch;
          lastEpoch = Math.max(lastEpoch, epoch);
          openedAt = at;
          lastPlacementInstant = at;
        }
        case "running", "checkpoint" -> {
          if (epoch != openEpoch) {
            problems.add(where + ": progress committed outside its placement (open epoch "
                + (openEpoch < 0 ? "none" : openEpoch) + ")");
          } else if (at != null && openedAt != null && at.isBefore(openedAt)) {
            problems.add(where + ": progress before its placement at " + openedAt);
          }
        }
        case "succeeded" -> {
          if (epoch != openEpoch) {
            problems.add(where + ": completion committed outside its placement (open epoch "
                + (openEpoch < 0 ? "none" : openEpoch) + ")");
          }
          openEpoch = -1;
          lastClosedAt = at;
        }
        case "source-released", "requeued", "failed", "cancelled" -> {
          if (openEpoch >= 0 && epoch != openEpoch) {
            problems.add(where + ": closes epoch " + epoch + " but epoch " + openEpoch + " is open");
          }
          if (openEpoch < 0 && epoch != lastEpoch && !"cancelled".equals(event)) {
            problems.add(where + ": refers to epoch " + epoch + " but the last placement was epoch " + lastEpoch);
          }
          if (openEpoch >= 0) lastClosedAt = at;
          openEpoch = -1;
        }
        default -> {
          // submitted, queued, migration-started, release-started: no epoch interval changes.
        }
      }
    }
    return problems;
  }

  private static Instant instant(JsonNode at) {
    if (at == null || at.isMissingNode() || at.isNull()) return null;
    if (at.isNumber()) {
      double seconds = at.asDouble();
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }
    try {
      return Instant.parse(at.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
