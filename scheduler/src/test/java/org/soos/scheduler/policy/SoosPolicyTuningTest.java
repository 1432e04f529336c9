package org.soos.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.scheduler.policy.PolicyFixtures.NOW;
import static org.soos.scheduler.policy.PolicyFixtures.job;
import static org.soos.scheduler.policy.PolicyFixtures.tile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/** SoosPolicy's behaviour beyond SoosPolicyTest: no-target suspension, thermal fit, mode restore, guarded TILEs. */
class SoosPolicyTuningTest {
  private final SoosPolicy policy = new SoosPolicy(PolicySettings.defaults());

  private static Map<TileId, TileView> tiles(TileView... ts) {
    return Stream.of(ts).collect(Collectors.toMap(v -> v.report().tileId(), v -> v));
  }

  private static TileView view(PolicyFixtures.Tile t) {
    return TileView.of(t.report());
  }

  private static RunningJob running(String id, JobSpec spec, String tile, int slot) {
    return new RunningJob(JobId.of(id), spec, TileId.of(tile), PlaneId.of("p0"), slot, 1, 1000,
        NOW.minus(Duration.ofHours(1)), false);
  }

  /** The report with Orin {@code slot} in mode {@code modeId} drawing {@code drawWatts}. */
  private static TileView withOrin(TileReport r, int slot, int modeId, String modeName, double drawWatts) {
    List<OrinReport> orins = new ArrayList<>();
    for (OrinReport o : r.orins()) {
      orins.add(o.slot() != slot ? o : new OrinReport(slot, o.module(), modeId, modeName, drawWatts,
          o.junctionTempCelsius(), o.health(), o.jobs()));
    }
    return TileView.of(new TileReport(r.tileId(), r.planeId(), r.simTime(), r.eclipseState(), r.sunlitFraction(),
        r.betaAngleDeg(), r.nextEclipses(), r.solarInputWatts(), r.loadWatts(), r.batteryEnergyWh(),
        r.batteryCapacityWh(), r.batteryReserveWh(), r.batteryStateOfChargePercent(), r.computeBudgetWatts(),
        r.forecast(), r.plateTempCelsius(), r.shedding(), orins));
  }

  @Test
  void checkpointsWorkThatHasNowhereToGoBeforeTheBatteryRunsDry() {
    // The same short-of-energy TILE as migratesJobBeforeEclipseEntry, but no other TILE to go to.
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").battery(90).load(280).eclipseIn(2).running(0, JobId.of("j"), 1000, 36_000);
    List<Decision> d = policy.decide(new ClusterView(NOW, tiles(view(a)), List.of(),
        List.of(running("j", spec, "a", 0))));
    Decision.Suspend s = assertInstanceOf(Decision.Suspend.class, d.get(0));
    assertEquals("energy-no-target", s.reason());
  }

  @Test
  void startsAJobInASlowerModeWhenTheTopModeWouldOverheatTheOrin() {
    var hot = tile("a", "p0");
    hot.plateCelsius = 80; // idle junction 83 C; 60 W more at MAXN would settle at 103 C
    List<Decision> d = policy.decide(new ClusterView(NOW, tiles(view(hot)),
        List.of(new PendingJob(JobId.of("j"), job(3600, 60, 5, true), 0, NOW)), List.of()));
    assertInstanceOf(Decision.Place.class, d.get(0));
    Decision.SetPowerMode m = assertInstanceOf(Decision.SetPowerMode.class, d.get(1));
    assertEquals("thermal-fit", m.reason());
    assertTrue(m.modeId() != 0, "not MAXN");
  }

  @Test
  void raisesAThrottledOrinBackToItsTopModeWhenItHasRoom() {
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").running(0, JobId.of("j"), 1000, 36_000);
    TileView v = withOrin(a.report(), 0, 1, "MODE_15W", 15);
    List<Decision> d = policy.decide(new ClusterView(NOW, tiles(v), List.of(), List.of(running("j", spec, "a", 0))));
    Decision.SetPowerMode m = assertInstanceOf(Decision.SetPowerMode.class, d.get(0));
    assertEquals("restore", m.reason());
    assertEquals(0, m.modeId(), "back to MAXN");
  }

  @Test
  void keepsTilesRunningWorkThatCannotCheckpointClearOfTheirOwnLoadShedding() {
    // 190 Wh, 190 W of load, eclipse in 20 minutes: the TILE enters it full and carries its load through it
    // (142 Wh above reserve after losses, 114 Wh needed), but not 60 W more (155 Wh). A migratable job may still start on it (it has time to settle and move on before the array
    // goes dark) unless the TILE runs a job that cannot checkpoint: a shortfall there means the TILE sheds
    // everything, that job included.
    PendingJob next = new PendingJob(JobId.of("next"), job(36_000, 60, 5, true), 0, NOW);
    var free = tile("a", "p0").battery(190).load(190).eclipseIn(20);
    List<Decision> d = policy.decide(new ClusterView(NOW, tiles(view(free)), List.of(next), List.of()));
    Decision.Place placed = assertInstanceOf(Decision.Place.class, d.get(0), d.toString());
    assertEquals(TileId.of("a"), placed.tileId());
    assertTrue(placed.reason().startsWith("until-"), "a shortfall lies ahead: " + placed.reason());

    JobSpec pinned = job(36_000, 30, 5, false);
    var guarded = tile("a", "p0").battery(190).load(190).eclipseIn(20).running(0, JobId.of("pinned"), 1000, 36_000);
    d = policy.decide(new ClusterView(NOW, tiles(view(guarded)), List.of(next),
        List.of(running("pinned", pinned, "a", 0))));
    assertTrue(d.stream().noneMatch(x -> x instanceof Decision.Place), d.toString());
  }

  @Test
  void throttledOrinsAreLeftToTheirGuardWhenEveryOtherOrinIsAsHot() {
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").junction(0, 94.5).running(0, JobId.of("j"), 1000, 36_000);
    var b = tile("b", "p0").junction(0, 94.5).junction(1, 94.5).junction(2, 94.5).junction(3, 94.5);
    a.plateCelsius = 80;
    b.plateCelsius = 80;
    List<Decision> d = policy.decide(new ClusterView(NOW, tiles(view(a), view(b)), List.of(),
        List.of(running("j", spec, "a", 0))));
    assertTrue(d.stream().noneMatch(x -> x instanceof Decision.Migrate), d.toString());
  }
}
