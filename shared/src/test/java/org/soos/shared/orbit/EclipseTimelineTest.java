package org.soos.shared.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EclipseTimelineTest {
  static final Instant T0 = Instant.parse("2026-03-20T00:00:00Z");

  static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** Two passes: [100 s, 110 s penumbra, 110-2110 umbra, 2110-2120 penumbra], and 5800-7820 alike. */
  static final EclipseWindow FIRST = new EclipseWindow(t(100), t(110), t(2110), t(2120));
  static final EclipseWindow SECOND = new EclipseWindow(t(5800), t(5810), t(7810), t(7820));
  static final EclipseTimeline TIMELINE = new EclipseTimeline(T0, t(10_000), List.of(FIRST, SECOND));

  @ParameterizedTest(name = "t+{0}s -> {1}")
  @CsvSource({
    "0, SUNLIT",
    "99, SUNLIT",
    "100, PENUMBRA",
    "109, PENUMBRA",
    "110, UMBRA",
    "2109, UMBRA",
    "2110, PENUMBRA",
    "2119, PENUMBRA",
    "2120, SUNLIT",
    "5000, SUNLIT",
    "6000, UMBRA",
    "7815, PENUMBRA",
    "9999, SUNLIT",
  })
  void stateAtFollowsTheWindowEdges(long second, EclipseState expected) {
    assertEquals(expected, TIMELINE.stateAt(t(second)));
  }

  @ParameterizedTest(name = "after t+{0}s -> t+{1}s")
  @CsvSource({
    "0, 100",
    "100, 110",
    "105, 110",
    "110, 2110",
    "2110, 2120",
    "2120, 5800",
    "7810, 7820",
  })
  void nextTransitionAfterIsTheNextEdge(long second, long expectedSecond) {
    assertEquals(Optional.of(t(expectedSecond)), TIMELINE.nextTransitionAfter(t(second)));
  }

  @Test
  void noTransitionAfterTheLastEdge() {
    assertEquals(Optional.empty(), TIMELINE.nextTransitionAfter(t(7820)));
    assertEquals(Optional.empty(), TIMELINE.nextTransitionAfter(t(9000)));
  }

  @ParameterizedTest(name = "t+{0}s -> {1}")
  @CsvSource({
    "50, 1.0",
    "100, 1.0",
    "105, 0.5",
    "1000, 0.0",
    "2112, 0.2",
    "2120, 1.0",
  })
  void sunlitFractionRampsAcrossPenumbra(long second, double expected) {
    assertEquals(expected, TIMELINE.sunlitFractionAt(t(second)), 1e-9);
  }

  @Test
  void upcomingStartsWithTheWindowContainingT() {
    assertEquals(List.of(FIRST, SECOND), TIMELINE.upcoming(t(0), 5));
    assertEquals(List.of(FIRST), TIMELINE.upcoming(t(0), 1));
    assertEquals(List.of(FIRST, SECOND), TIMELINE.upcoming(t(1000), 2));
    assertEquals(List.of(SECOND), TIMELINE.upcoming(t(2120), 2));
    assertEquals(List.of(SECOND), TIMELINE.upcoming(t(7819), 3));
    assertEquals(List.of(), TIMELINE.upcoming(t(7820), 3));
    assertEquals(List.of(), TIMELINE.upcoming(t(1000), 0));
  }

  @Test
  void emptyTimelineIsSunlitThroughout() {
    EclipseTimeline sunny = new EclipseTimeline(T0, t(3600), List.of());
    assertEquals(EclipseState.SUNLIT, sunny.stateAt(t(1800)));
    assertEquals(1.0, sunny.sunlitFractionAt(t(1800)));
    assertEquals(Optional.empty(), sunny.nextTransitionAfter(T0));
    assertEquals(List.of(), sunny.upcoming(T0, 3));
  }

  @Test
  void windowsCutByTheSpanReadMissingEdgesAsBeyondIt() {
    // Started in umbra (no entry edges), ended in the entry penumbra of the next pass (no exit edges).
    EclipseWindow startedInUmbra = new EclipseWindow(null, null, t(600), t(610));
    EclipseWindow endedInPenumbra = new EclipseWindow(t(5000), null, null, null);
    EclipseTimeline cut = new EclipseTimeline(T0, t(5005), List.of(startedInUmbra, endedInPenumbra));
    assertEquals(EclipseState.UMBRA, cut.stateAt(T0));
    assertEquals(0.0, cut.sunlitFractionAt(T0));
    assertEquals(EclipseState.PENUMBRA, cut.stateAt(t(605)));
    assertEquals(0.5, cut.sunlitFractionAt(t(605)), 1e-9);
    assertEquals(EclipseState.SUNLIT, cut.stateAt(t(610)));
    assertEquals(EclipseState.PENUMBRA, cut.stateAt(t(5004)));
    assertEquals(Optional.of(t(600)), cut.nextTransitionAfter(T0));
    assertEquals(List.of(startedInUmbra, endedInPenumbra), cut.upcoming(T0, 5));

    // Started in the entry penumbra (umbra entry known); ended in umbra.
    EclipseWindow startedInPenumbra = new EclipseWindow(null, t(5), t(2000), t(2010));
    EclipseWindow endedInUmbra = new EclipseWindow(t(5000), t(5010), null, null);
    EclipseTimeline cut2 = new EclipseTimeline(T0, t(6000), List.of(startedInPenumbra, endedInUmbra));
    assertEquals(EclipseState.PENUMBRA, cut2.stateAt(T0));
    assertEquals(EclipseState.UMBRA, cut2.stateAt(t(5)));
    assertEquals(EclipseState.UMBRA, cut2.stateAt(t(5999)));
    assertEquals(0.1, cut2.sunlitFractionAt(t(5009)), 1e-9);
  }

  @Test
  void queriesOutsideTheSpanAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TIMELINE.stateAt(t(10_000)));
    assertTrue(e.getMessage().contains("outside the timeline span"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TIMELINE.sunlitFractionAt(T0.minusSeconds(1)));
  }

  @Test
  void rejectsOverlappingOrMisorderedWindowsNamingTheIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EclipseTimeline(T0, t(10_000), List.of(SECOND, FIRST)));
    assertTrue(e.getMessage().contains("windows[1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EclipseTimeline(T0, t(10_000), List.of(new EclipseWindow(t(200), t(100), t(300), t(400)))));
    assertTrue(e.getMessage().contains("windows[0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EclipseTimeline(T0, t(10_000), List.of(FIRST, new EclipseWindow(null, null, t(9000), t(9010)))));
    assertTrue(e.getMessage().contains("only the first window"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EclipseTimeline(t(10), t(10), List.of()));
    assertTrue(e.getMessage().contains("until"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EclipseTimeline(t(3000), t(4000), List.of(FIRST)));
    assertTrue(e.getMessage().contains("does not overlap"), e.getMessage());
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new ParameterNamesModule());
    String json = mapper.writeValueAsString(TIMELINE);
    assertEquals(TIMELINE, mapper.readValue(json, EclipseTimeline.class));
  }
}
