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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobSpec;

/** The drain input of the pure policy: a drained TILE gets no new work and its migratable jobs leave. */
class DrainPolicyTest {
  private final SoosPolicy policy = new SoosPolicy(PolicySettings.defaults());
  private static final JobId J = JobId.of("job-1");
  private static final JobId K = JobId.of("job-2");

  private static Map<TileId, TileView> views(Set<String> drained, PolicyFixtures.Tile... ts) {
    Map<TileId, TileView> out = new HashMap<>();
    for (PolicyFixtures.Tile t : ts) {
      TileView v = TileView.of(t.report());
      out.put(v.report().tileId(), v.withDrained(drained.contains(v.report().tileId().value())));
    }
    return out;
  }

  /** A job placed {@code minutesAgo} minutes ago. */
  private static RunningJob running(JobId id, JobSpec spec, String tile, int slot, double done, long minutesAgo) {
    return new RunningJob(id, spec, TileId.of(tile), PlaneId.of("p0"), slot, 1, done,
        NOW.minus(Duration.ofMinutes(minutesAgo)), false);
  }

  @Test
  void movesAMigratableJobOffADrainedTileWithReasonDrainEvenWhenJustPlaced() {
    JobSpec spec = job(36_000, 60, 5, true);
    var a = tile("a", "p0").running(0, J, 100, 36_000);
    var b = tile("b", "p0");
    List<RunningJob> running = List.of(running(J, spec, "a", 0, 100, 1)); // under min residence
    assertEquals(List.of(), policy.decide(new ClusterView(NOW, views(Set.of(), a, b), List.of(), running)),
        "not drained: the job stays");

    List<Decision> decisions = policy.decide(new ClusterView(NOW, views(Set.of("a"), a, b), List.of(), running));
    Decision.Migrate m = assertInstanceOf(Decision.Migrate.class, decisions.get(0), decisions.toString());
    assertEquals(J, m.jobId());
    assertEquals(TileId.of("a"), m.fromTile());
    assertEquals(TileId.of("b"), m.toTile());
    assertEquals("drain", m.reason());
    assertTrue(m.transferSeconds() > 0, "the hop costs the checkpoint's transfer time");
  }

  @Test
  void leavesAJobThatCannotMigrateToFinishOnADrainedTile() {
    JobSpec stuck = job(36_000, 60, 5, false);
    var a = tile("a", "p0").running(0, J, 100, 36_000);
    var b = tile("b", "p0");
    List<Decision> decisions = policy.decide(new ClusterView(NOW, views(Set.of("a"), a, b), List.of(),
        List.of(running(J, stuck, "a", 0, 100, 60))));
    assertEquals(List.of(), decisions, "no migration, no suspension, no stop");
  }

  @Test
  void placesNoNewWorkOnADrainedTile() {
    JobSpec spec = job(3600, 30, 5, true);
    var a = tile("a", "p0");
    var b = tile("b", "p0");
    List<PendingJob> pending = List.of(new PendingJob(J, spec, 0, NOW), new PendingJob(K, spec, 0, NOW));
    List<Decision> decisions = policy.decide(new ClusterView(NOW, views(Set.of("a"), a, b), pending, List.of()));
    assertEquals(2, decisions.size(), decisions.toString());
    for (Decision d : decisions) {
      assertEquals(TileId.of("b"), assertInstanceOf(Decision.Place.class, d).tileId());
    }
    assertEquals(List.of(), policy.decide(new ClusterView(NOW, views(Set.of("a"), a), pending, List.of())),
        "the only TILE is drained: the jobs wait");
  }

  @Test
  void aDrainedTileIsNoMigrationTarget() {
    JobSpec spec = job(36_000, 60, 5, true);
    // a runs short before eclipse entry (see SoosPolicyTest); b would carry the job but is drained.
    var a = tile("a", "p0").battery(90).load(280).eclipseIn(2).running(0, J, 1000, 36_000);
    var b = tile("b", "p0").battery(195).load(20).eclipseIn(50);
    List<RunningJob> running = List.of(running(J, spec, "a", 0, 1000, 60));
    Decision open = policy.decide(new ClusterView(NOW, views(Set.of(), a, b), List.of(), running)).get(0);
    assertEquals(TileId.of("b"), assertInstanceOf(Decision.Migrate.class, open).toTile());

    List<Decision> decisions = policy.decide(new ClusterView(NOW, views(Set.of("b"), a, b), List.of(), running));
    for (Decision d : decisions) {
      if (d instanceof Decision.Migrate m) assertTrue(!m.toTile().equals(TileId.of("b")), decisions.toString());
    }
    assertInstanceOf(Decision.Suspend.class, decisions.get(0), "nowhere to go but a drained TILE: suspended");
  }

  @Test
  void doesNotPreemptWorkOnADrainedTileForANewcomer() {
    JobSpec low = job(36_000, 30, 1, true);
    var a = tile("a", "p0");
    List<RunningJob> running = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      JobId id = JobId.of("low-" + s);
      a.running(s, id, 100, 36_000);
      running.add(running(id, low, "a", s, 100, 60));
    }
    PendingJob urgent = new PendingJob(JobId.of("urgent"), job(3600, 30, 9, true), 0, NOW);
    List<Decision> decisions = policy.decide(new ClusterView(NOW, views(Set.of("a"), a), List.of(urgent), running));
    for (Decision d : decisions) {
      assertTrue(!(d instanceof Decision.Preempt) && !(d instanceof Decision.Place), decisions.toString());
    }
  }

  @Test
  void movesNoMoreJobsPerRoundThanTheRateLimitAndTheRestFollowLater() {
    JobSpec spec = job(36_000, 30, 5, true);
    var a = tile("a", "p0");
    var b = tile("b", "p0");
    List<RunningJob> running = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      JobId id = JobId.of("j-" + s);
      a.running(s, id, 100, 36_000);
      running.add(running(id, spec, "a", s, 100, 60));
    }
    List<Decision> decisions = policy.decide(new ClusterView(NOW, views(Set.of("a"), a, b), List.of(), running));
    long moves = decisions.stream().filter(d -> d instanceof Decision.Migrate m && m.reason().equals("drain")).count();
    int limit = PolicySettings.defaults().maxMigrationsPerDecision();
    assertEquals(Math.min(4, limit), moves, decisions.toString());
  }
}
