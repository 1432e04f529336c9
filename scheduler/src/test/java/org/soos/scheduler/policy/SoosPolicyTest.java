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
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;

class SoosPolicyTest {
  private final SoosPolicy policy = new SoosPolicy(PolicySettings.defaults());
  private static final JobId J = JobId.of("job-1");

  private static Map<TileId, TileView> tiles(PolicyFixtures.Tile... ts) {
    return Stream.of(ts).map(t -> TileView.of(t.report()))
        .collect(Collectors.toMap(v -> v.report().tileId(), v -> v));
  }

  private static RunningJob running(JobId id, JobSpec spec, String tile, int slot, double done) {
    return new RunningJob(id, spec, TileId.of(tile), PlaneId.of("p0"), slot, 1, done, NOW.minus(Duration.ofHours(1)), false);
  }

  @Test
  void migratesJobBeforeEclipseEntry() {
    JobSpec spec = job(36_000, 60, 5, true);
    // Eclipse in 2 minutes, 36 minutes long; 4 x 68 W load would drain 160 Wh, the battery has 40 above reserve.
    var a = tile("a", "p0").battery(90).load(280).eclipseIn(2).running(0, J, 1000, 36_000);
    var b = tile("b", "p0").battery(195).load(20).eclipseIn(50);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a, b),
        List.of(), List.of(running(J, spec, "a", 0, 1000))));
    assertEquals(1, decisions.size(), decisions.toString());
    Decision.Migrate m = assertInstanceOf(Decision.Migrate.class, decisions.get(0));
    assertEquals(TileId.of("b"), m.toTile());
    assertEquals("eclipse-energy", m.reason());
    assertTrue(m.transferSeconds() > 1 && m.transferSeconds() < 2, "2 GB over 10 Gbit/s is 1.6 s");
  }

  @Test
  void hopsAheadOfTheShadowWhenNoTileCarriesTheJobToItsEnd() {
    // a runs short in the eclipse 2 minutes away (see migratesJobBeforeEclipseEntry). b and c are sunlit, but
    // with the job their 200 W would run their batteries short in their own eclipses 40 and 70 minutes away:
    // neither carries the 10-hour job to its end. Both leave time to settle (10 min) and move on in sunlight,
    // so it hops to the one whose sun lasts longest instead of being suspended.
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").battery(90).load(280).eclipseIn(2).running(0, J, 1000, 36_000);
    var b = tile("b", "p0").battery(190).load(200).eclipseIn(40);
    var c = tile("c", "p0").battery(190).load(200).eclipseIn(70);
    List<RunningJob> running = List.of(running(J, spec, "a", 0, 1000));
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a, b, c), List.of(), running));
    Decision.Migrate m = assertInstanceOf(Decision.Migrate.class, decisions.get(0), decisions.toString());
    assertEquals(TileId.of("c"), m.toTile());
    assertEquals("eclipse-energy", m.reason());

    // With work of the same priority waiting, the hop would jump the queue: suspended, the job queues behind it.
    List<PendingJob> waiting = List.of(new PendingJob(JobId.of("waiting"), job(3600, 60, 5, true), 0, NOW));
    decisions = policy.decide(new ClusterView(NOW, tiles(a, b, c), waiting, running));
    assertTrue(decisions.stream().noneMatch(d -> d instanceof Decision.Migrate), decisions.toString());
    assertTrue(decisions.stream().anyMatch(d -> d instanceof Decision.Suspend su && su.jobId().equals(J)),
        decisions.toString());

    // b alone, its eclipse 8 minutes away: the job could not settle there and leave before dark, so it is
    // checkpointed and waits instead.
    var bSoon = tile("b", "p0").battery(190).load(200).eclipseIn(8);
    decisions = policy.decide(new ClusterView(NOW, tiles(a, bSoon), List.of(), running));
    Decision.Suspend s = assertInstanceOf(Decision.Suspend.class, decisions.get(0), decisions.toString());
    assertEquals("energy-no-target", s.reason());
  }

  @Test
  void aJobReleasedButStillInItsTilesReportNoLongerCountsInItsLoad() {
    // Four 50 W jobs (58 W per Orin with its idle draw) and 20 W of housekeeping: 252 W run the 140 Wh above
    // the reserve short in the 36-minute eclipse 2 minutes away; three (202 W) are carried. The fourth, S, was
    // just suspended: it waits, but the report, older than the release, still lists it on slot 3 and counts its
    // draw. The three left stay, and S does not go back to the TILE it left.
    JobSpec spec = job(36_000, 50, 5, true);
    JobId s = JobId.of("suspended");
    var a = tile("a", "p0").battery(190).load(252).eclipseIn(2);
    List<RunningJob> running = new ArrayList<>();
    for (int slot = 0; slot < 4; slot++) {
      JobId id = slot == 3 ? s : JobId.of("j" + slot);
      a.running(slot, id, 1000, 36_000).draw(slot, 58);
      if (slot < 3) running.add(running(id, spec, "a", slot, 1000));
    }
    List<PendingJob> pending = List.of(new PendingJob(s, spec, 1000, NOW.minus(Duration.ofHours(2))));
    assertEquals(List.of(), policy.decide(new ClusterView(NOW, tiles(a), pending, running)));

    // Still running there, it counts: the TILE sheds one of the four.
    List<RunningJob> all = new ArrayList<>(running);
    all.add(running(s, spec, "a", 3, 1000));
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a), List.of(), all));
    assertEquals(1, decisions.size(), decisions.toString());
    assertInstanceOf(Decision.Suspend.class, decisions.get(0), decisions.toString());
  }

  @Test
  void placesWorkThatMustMoveOnlyWhereItCanSettleAndMoveBeforeTheArrayGoesDark() {
    // 200 W now; with a 68 W newcomer the 140 Wh above reserve last ~31 minutes into the 36-minute eclipse,
    // so the newcomer would have to move on before the eclipse. Placed 8 minutes before it, it could not
    // settle (min residence 10 min) and leave in sunlight; placed 25 minutes before, it can.
    JobSpec spec = job(36_000, 60, 5, true);
    List<PendingJob> pending = List.of(new PendingJob(J, spec, 0, NOW));
    var soon = tile("a", "p0").battery(190).load(200).eclipseIn(8);
    assertEquals(List.of(), policy.decide(new ClusterView(NOW, tiles(soon), pending, List.of())));

    var later = tile("a", "p0").battery(190).load(200).eclipseIn(25);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(later), pending, List.of()));
    Decision.Place p = assertInstanceOf(Decision.Place.class, decisions.get(0), decisions.toString());
    assertTrue(p.reason().startsWith("until-"), p.reason());
  }

  @Test
  void countsAJobPlacedButNotYetInItsTilesReport() {
    // 130 W plus one 60 W job are carried through the eclipse 20 minutes away, but not two. A job placed on
    // slot 0 a moment ago is not in the report yet: its draw counts all the same, so a newcomer is not
    // placed there as if the TILE had room for it ("energy-safe").
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").battery(190).load(130).eclipseIn(20);
    List<PendingJob> pending = List.of(new PendingJob(JobId.of("next"), spec, 0, NOW));
    List<Decision> alone = policy.decide(new ClusterView(NOW, tiles(a), pending, List.of()));
    assertEquals("energy-safe", assertInstanceOf(Decision.Place.class, alone.get(0)).reason(), alone.toString());

    RunningJob justPlaced = new RunningJob(J, spec, TileId.of("a"), PlaneId.of("p0"), 0, 1, 0, NOW, false);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a), pending, List.of(justPlaced)));
    assertTrue(decisions.stream().noneMatch(d -> d instanceof Decision.Place p && p.reason().equals("energy-safe")),
        decisions.toString());

    // The same for a job landing on slot 0 from a migration (the coordinator lists it on its target).
    RunningJob landing = new RunningJob(J, spec, TileId.of("a"), PlaneId.of("p0"), 0, 2, 0, NOW, true);
    decisions = policy.decide(new ClusterView(NOW, tiles(a), pending, List.of(landing)));
    assertTrue(decisions.stream().noneMatch(d -> d instanceof Decision.Place p && p.reason().equals("energy-safe")),
        decisions.toString());
  }

  @Test
  void staysWhenTheBatteryCarriesTheJobThroughTheEclipse() {
    JobSpec spec = job(36_000, 60, 5, true);
    // 80 W for 36 min = 48 Wh (+ losses), battery has 140 Wh above reserve.
    var a = tile("a", "p0").battery(190).load(80).eclipseIn(2).running(0, J, 1000, 36_000);
    var b = tile("b", "p0").battery(195).load(20).eclipseIn(50);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a, b),
        List.of(), List.of(running(J, spec, "a", 0, 1000))));
    assertEquals(List.of(), decisions);
  }

  @Test
  void staysWhenTheJobFinishesBeforeTheShortfall() {
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").battery(90).load(280).eclipseIn(2).running(0, J, 35_990, 36_000);
    var b = tile("b", "p0").battery(195).load(20).eclipseIn(50);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a, b),
        List.of(), List.of(running(J, spec, "a", 0, 35_990))));
    assertEquals(List.of(), decisions);
  }

  @Test
  void migratesBeforeTheJunctionReachesItsThrottleTemperature() {
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").junction(0, 88).running(0, J, 1000, 36_000);
    var b = tile("b", "p0");
    Map<TileId, TileView> views = tiles(a, b);
    views = new java.util.HashMap<>(views);
    views.put(TileId.of("a"), new TileView(a.report(), 0.05, true)); // +3 degC per minute
    List<Decision> decisions = policy.decide(new ClusterView(NOW, views,
        List.of(), List.of(running(J, spec, "a", 0, 1000))));
    Decision.Migrate m = assertInstanceOf(Decision.Migrate.class, decisions.get(0));
    assertEquals("thermal", m.reason());
    assertEquals(TileId.of("b"), m.toTile());
  }

  @Test
  void throttlesAJobThatCannotMigrateInsteadOfMovingIt() {
    JobSpec spec = job(36_000, 60, 5, false);
    var a = tile("a", "p0").junction(0, 88).running(0, J, 1000, 36_000);
    var b = tile("b", "p0");
    var views = new java.util.HashMap<>(tiles(a, b));
    views.put(TileId.of("a"), new TileView(a.report(), 0.05, true));
    List<Decision> decisions = policy.decide(new ClusterView(NOW, views,
        List.of(), List.of(running(J, spec, "a", 0, 1000))));
    Decision.SetPowerMode d = assertInstanceOf(Decision.SetPowerMode.class, decisions.get(0));
    assertEquals(3, d.modeId(), "MAXN -> MODE_50W (nvpmodel id 3)");
  }

  @Test
  void preemptsLowerPriorityWorkWhenNoOrinIsFree() {
    JobSpec low = job(36_000, 30, 1, true);
    var a = tile("a", "p0");
    List<RunningJob> running = new java.util.ArrayList<>();
    for (int s = 0; s < 4; s++) {
      JobId id = JobId.of("low-" + s);
      a.running(s, id, 100, 36_000);
      running.add(running(id, low, "a", s, 100));
    }
    PendingJob urgent = new PendingJob(JobId.of("urgent"), job(3600, 30, 9, true), 0, NOW);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a), List.of(urgent), running));
    Decision.Preempt p = assertInstanceOf(Decision.Preempt.class, decisions.get(0));
    assertEquals(JobId.of("urgent"), p.forJob());
    assertTrue(p.jobId().value().startsWith("low-"));
  }

  @Test
  void doesNotPreemptEqualPriorityWork() {
    JobSpec same = job(36_000, 30, 5, true);
    var a = tile("a", "p0");
    List<RunningJob> running = new java.util.ArrayList<>();
    for (int s = 0; s < 4; s++) {
      JobId id = JobId.of("j-" + s);
      a.running(s, id, 100, 36_000);
      running.add(running(id, same, "a", s, 100));
    }
    PendingJob next = new PendingJob(JobId.of("next"), job(3600, 30, 5, true), 0, NOW);
    assertEquals(List.of(), policy.decide(new ClusterView(NOW, tiles(a), List.of(next), running)));
  }

  @Test
  void neverPlacesAJobThatCannotMigrateOnATileAboutToBrownOut() {
    JobSpec pinned = job(7200, 60, 5, false);
    var dying = tile("a", "p0").battery(70).load(200).eclipseIn(3);
    PendingJob p = new PendingJob(J, pinned, 0, NOW);
    assertEquals(List.of(), policy.decide(new ClusterView(NOW, tiles(dying), List.of(p), List.of())));

    var safe = tile("b", "p0").battery(195).load(20).eclipseIn(60);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(dying, safe), List.of(p), List.of()));
    Decision.Place place = assertInstanceOf(Decision.Place.class, decisions.get(0));
    assertEquals(TileId.of("b"), place.tileId());
  }

  @Test
  void prefersTheTileThatCarriesTheJobLongest() {
    JobSpec spec = job(36_000, 60, 5, true);
    var soon = tile("a", "p0").battery(80).load(150).eclipseIn(20);
    var later = tile("b", "p0").battery(195).load(20).eclipseIn(70);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(soon, later),
        List.of(new PendingJob(J, spec, 0, NOW)), List.of()));
    Decision.Place place = assertInstanceOf(Decision.Place.class, decisions.get(0));
    assertEquals(TileId.of("b"), place.tileId());
  }

  @Test
  void placementsInOneRoundDoNotShareAnOrin() {
    var a = tile("a", "p0");
    List<PendingJob> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) pending.add(new PendingJob(JobId.of("j" + i), job(3600, 20, 5, true), 0, NOW.plusSeconds(i)));
    List<Decision> decisions = policy.decide(new ClusterView(NOW, tiles(a), pending, List.of()));
    assertEquals(4, decisions.size(), "four Orins, four placements");
    assertEquals(4, decisions.stream().map(d -> ((Decision.Place) d).slot()).distinct().count());
  }

  @Test
  void energyForecastFindsTheShortfallInsideTheEclipse() {
    var a = tile("a", "p0").battery(90).load(280).eclipseIn(10);
    Optional<java.time.Instant> at = EnergyForecast.shortfall(a.report(), 0, PolicySettings.defaults(), NOW);
    assertTrue(at.isPresent());
    // 10 min of +80 W charging at 0.95 -> 102.7 Wh; 47.7 Wh above reserve+margin at 280/0.95 W
    // lasts 9.7 min after eclipse entry at 10 min: shortfall at ~19.7 min.
    long seconds = Duration.between(NOW, at.get()).toSeconds();
    assertTrue(Math.abs(seconds - 1182) < 15, "shortfall after " + seconds + " s");
    assertEquals(NOW.plus(Duration.ofMinutes(10)), EnergyForecast.darkStretchStart(a.report(), at.get()));
  }
}
