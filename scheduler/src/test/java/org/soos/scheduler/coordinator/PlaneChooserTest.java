package org.soos.scheduler.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

class PlaneChooserTest {
  private static final Instant NOW = Instant.parse("2026-03-20T12:00:00Z");
  private static final PlaneId P0 = PlaneId.of("p0");
  private static final PlaneId P1 = PlaneId.of("p1");
  private static final PlaneId P2 = PlaneId.of("p2");

  private static JobSpec spec(List<String> planes) {
    return new JobSpec("j", JobKind.SIMULATED, 600, 30, 8, 5, null, new JobSpec.CheckpointSpec(60, 1000, true),
        planes == null ? null : new JobSpec.PlacementConstraints(planes, List.of(), List.of()), null);
  }

  /** A plane with {@code tiles} TILEs of which {@code stale} are silent, {@code free} free Orins, {@code pending} queued jobs. */
  private static PlaneSummary plane(PlaneId id, int tiles, int stale, int free, int pending) {
    return new PlaneSummary(id, tiles, stale, tiles - stale, 0, 300.0 * (tiles - stale), 200.0 * (tiles - stale),
        90.0, 60.0, free, pending, List.of(), NOW, NOW);
  }

  @Test
  void spreadsABurstOverThePlanesInProportionToTheirSpareOrins() {
    // p0: 9 spare Orins (weight 10); p1: none spare (weight 1).
    List<PlaneSummary> directory = List.of(plane(P0, 4, 0, 12, 3), plane(P1, 4, 0, 2, 5));
    Map<PlaneId, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      PlaneId p = PlaneChooser.choose(JobId.of("job-" + i), spec(null), directory, List.of(), Set.of()).orElseThrow();
      counts.merge(p, 1, Integer::sum);
    }
    double shareP0 = counts.getOrDefault(P0, 0) / 2000.0;
    assertTrue(shareP0 > 0.85 && shareP0 < 0.96, "p0 should get about 10/11 of the jobs, got " + counts);
    assertTrue(counts.getOrDefault(P1, 0) > 0, "a full plane still gets a few: " + counts);
  }

  @Test
  void theSameJobAlwaysGetsTheSamePlane() {
    List<PlaneSummary> directory = List.of(plane(P0, 4, 0, 4, 0), plane(P1, 4, 0, 4, 0), plane(P2, 4, 0, 4, 0));
    Optional<PlaneId> first = PlaneChooser.choose(JobId.of("abc"), spec(null), directory, List.of(), Set.of());
    for (int i = 0; i < 10; i++) {
      assertEquals(first, PlaneChooser.choose(JobId.of("abc"), spec(null), directory, List.of(), Set.of()));
    }
  }

  static Stream<Arguments> choices() {
    List<PlaneSummary> directory = List.of(plane(P0, 4, 0, 16, 0), plane(P1, 4, 4, 16, 0), plane(P2, 4, 0, 1, 0));
    return Stream.of(
        // constraint planes, directory, constellation planes, excluded, expected (null: none)
        Arguments.of(List.of("p2"), directory, List.of(P0, P1, P2), Set.of(), P2),
        Arguments.of(List.of("p1"), directory, List.of(P0, P1, P2), Set.of(), P1), // every TILE of p1 silent: fallback
        Arguments.of(List.of("p1", "p2"), directory, List.of(P0, P1, P2), Set.of(P2), P1),
        Arguments.of(List.of("p9"), directory, List.of(P0, P1, P2), Set.of(), null),
        Arguments.of(null, List.of(), List.of(P1), Set.of(), P1),
        Arguments.of(null, List.of(), List.of(), Set.of(), null));
  }

  @ParameterizedTest
  @MethodSource("choices")
  void honoursConstraintsLiveTilesAndTheConstellationFallback(List<String> allowed, List<PlaneSummary> directory,
      List<PlaneId> constellation, Set<PlaneId> excluded, PlaneId expected) {
    assertEquals(Optional.ofNullable(expected),
        PlaneChooser.choose(JobId.of("job-x"), spec(allowed), directory, constellation, excluded));
  }

  static Stream<Arguments> spills() {
    return Stream.of(
        // directory, expected target of a job spilling from p0 (null: stays)
        Arguments.of(List.of(plane(P0, 4, 0, 0, 9), plane(P1, 4, 0, 2, 2)), null),
        Arguments.of(List.of(plane(P0, 4, 0, 0, 9), plane(P1, 4, 0, 3, 2), plane(P2, 4, 0, 5, 1)), P2),
        Arguments.of(List.of(plane(P0, 4, 0, 0, 9), plane(P1, 4, 0, 6, 0), plane(P2, 4, 4, 16, 0)), P1),
        Arguments.of(List.of(plane(P0, 4, 0, 0, 9)), null));
  }

  @ParameterizedTest
  @MethodSource("spills")
  void spillsOnlyToALivePlaneWithSpareOrins(List<PlaneSummary> directory, PlaneId expected) {
    assertEquals(Optional.ofNullable(expected), PlaneChooser.spillTarget(spec(null), directory, P0));
  }
}
