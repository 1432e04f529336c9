package org.soos.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.scheduler.policy.PolicyFixtures.NOW;
import static org.soos.scheduler.policy.PolicyFixtures.job;
import static org.soos.scheduler.policy.PolicyFixtures.tile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;

class BaselinePoliciesTest {
  private static final double CAPACITY = 347.0;
  private final StaticBinpackPolicy binpack = new StaticBinpackPolicy(PolicySettings.defaults(), CAPACITY);
  private final ReactivePolicy reactive = new ReactivePolicy(PolicySettings.defaults(), CAPACITY);

  private static Map<TileId, TileView> tiles(PolicyFixtures.Tile... ts) {
    return Stream.of(ts).map(t -> TileView.of(t.report()))
        .collect(Collectors.toMap(v -> v.report().tileId(), v -> v));
  }

  private static RunningJob running(String id, JobSpec spec, String tile, int slot) {
    return new RunningJob(JobId.of(id), spec, TileId.of(tile), PlaneId.of("p0"), slot, 1, 100,
        NOW.minus(Duration.ofHours(1)), false);
  }

  @Test
  void binpackSpreadsWorkToTheLeastAllocatedTile() {
    var busy = tile("a", "p0").running(0, JobId.of("x"), 10, 3600).running(1, JobId.of("y"), 10, 3600);
    var idle = tile("b", "p0");
    List<RunningJob> running = List.of(running("x", job(3600, 60, 5, true), "a", 0),
        running("y", job(3600, 60, 5, true), "a", 1));
    List<Decision> d = binpack.decide(new ClusterView(NOW, tiles(busy, idle),
        List.of(new PendingJob(JobId.of("new"), job(3600, 30, 5, true), 0, NOW)), running));
    Decision.Place p = assertInstanceOf(Decision.Place.class, d.get(0));
    assertEquals(TileId.of("b"), p.tileId());
  }

  @Test
  void binpackIgnoresEclipsesBatteriesAndHeatAndNeverMoves() {
    var dark = tile("a", "p0").battery(60).eclipseIn(0).junction(0, 99).running(0, JobId.of("x"), 10, 3600);
    List<RunningJob> running = List.of(running("x", job(3600, 60, 5, true), "a", 0));
    List<Decision> d = binpack.decide(new ClusterView(NOW, tiles(dark),
        List.of(new PendingJob(JobId.of("new"), job(3600, 60, 5, false), 0, NOW)), running));
    assertEquals(1, d.size(), d.toString());
    Decision.Place p = assertInstanceOf(Decision.Place.class, d.get(0));
    assertEquals(TileId.of("a"), p.tileId());
  }

  @Test
  void binpackPlacesHigherPriorityFirstAndRespectsStaticPowerCapacity() {
    StaticBinpackPolicy small = new StaticBinpackPolicy(PolicySettings.defaults(), 100.0);
    var a = tile("a", "p0");
    List<PendingJob> pending = new ArrayList<>();
    pending.add(new PendingJob(JobId.of("low"), job(3600, 60, 1, true), 0, NOW.minusSeconds(60)));
    pending.add(new PendingJob(JobId.of("high"), job(3600, 60, 9, true), 0, NOW));
    List<Decision> d = small.decide(new ClusterView(NOW, tiles(a), pending, List.of()));
    // 60 W at MAXN requests 60 W of the 100 W: only one fits, and it is the high-priority one.
    assertEquals(1, d.size(), d.toString());
    assertEquals(JobId.of("high"), d.get(0).jobId());
  }

  @Test
  void binpackSkipsTilesThatShedLoad() {
    var shedding = tile("a", "p0");
    shedding.shedding = true;
    assertEquals(List.of(), binpack.decide(new ClusterView(NOW, tiles(shedding),
        List.of(new PendingJob(JobId.of("new"), job(3600, 30, 5, true), 0, NOW)), List.of())));
  }

  @Test
  void reactiveMovesWorkOffATileInEclipseToASunlitOne() {
    var dark = tile("a", "p0").eclipseIn(0).running(0, JobId.of("x"), 10, 3600);
    var lit = tile("b", "p0").eclipseIn(60);
    List<Decision> d = reactive.decide(new ClusterView(NOW, tiles(dark, lit), List.of(),
        List.of(running("x", job(3600, 60, 5, true), "a", 0))));
    Decision.Migrate m = assertInstanceOf(Decision.Migrate.class, d.get(0));
    assertEquals(TileId.of("b"), m.toTile());
    assertEquals("eclipse", m.reason());
  }

  @Test
  void reactiveDoesNotActBeforeTheEclipseBegins() {
    // Eclipse in 2 minutes with a nearly empty battery: no prediction, so nothing happens yet.
    var soon = tile("a", "p0").battery(60).load(280).eclipseIn(2).running(0, JobId.of("x"), 10, 3600);
    var lit = tile("b", "p0").eclipseIn(60);
    assertEquals(List.of(), reactive.decide(new ClusterView(NOW, tiles(soon, lit), List.of(),
        List.of(running("x", job(3600, 60, 5, true), "a", 0)))));
  }

  @Test
  void reactiveThrottlesAHotJobThatCannotMove() {
    var hot = tile("a", "p0").junction(0, 94).running(0, JobId.of("x"), 10, 3600);
    List<Decision> d = reactive.decide(new ClusterView(NOW, tiles(hot), List.of(),
        List.of(running("x", job(3600, 60, 5, false), "a", 0))));
    Decision.SetPowerMode m = assertInstanceOf(Decision.SetPowerMode.class, d.get(0));
    assertEquals(3, m.modeId(), "MAXN -> MODE_50W");
  }

  @Test
  void reactivePlacesOnlyOnSunlitTiles() {
    var dark = tile("a", "p0").eclipseIn(0);
    var lit = tile("b", "p0").eclipseIn(60);
    Map<TileId, TileView> both = new HashMap<>(tiles(dark, lit));
    List<Decision> d = reactive.decide(new ClusterView(NOW, both,
        List.of(new PendingJob(JobId.of("new"), job(3600, 30, 5, true), 0, NOW)), List.of()));
    assertEquals(TileId.of("b"), assertInstanceOf(Decision.Place.class, d.get(0)).tileId());
    assertEquals(List.of(), reactive.decide(new ClusterView(NOW, tiles(dark),
        List.of(new PendingJob(JobId.of("new"), job(3600, 30, 5, true), 0, NOW)), List.of())));
  }

  @Test
  void namesMatchTheSimulatorsPolicyNames() {
    assertEquals("static-binpack", binpack.name());
    assertEquals("reactive", reactive.name());
    assertTrue(new SoosPolicy(PolicySettings.defaults()).name().equals("soos"));
  }
}
