package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.ClusterConvergence;

/**
 * RELIABILITY.md fault 3, a long pause (GC, eclipse freeze), on real JVMs with the production downing
 * settings: {@code kill -STOP} of a tile-node JVM whose TILEs run jobs, for longer than the downing
 * timeout (failure detection ~3.5 s + SBR stable-after 4 s + removal), then {@code kill -CONT}.
 *
 * <p>Asserted: while it is frozen the others down and remove it (the cluster converges without it) and
 * its jobs restart elsewhere under a new epoch; once resumed, the JVM learns it was removed and exits by
 * itself (self-fencing) instead of carrying on with the jobs it held; none of its stale-epoch progress is
 * committed (the checker: every job succeeds, no epochs overlap, none lost); restarted, it joins again.
 *
 * <p>Second case, a scheduler of two (shared PostgreSQL journal): the oldest scheduler, which hosts
 * the shard coordinators and half the job entities, is frozen. The other takes its shards over while it
 * is frozen; once resumed it exits by itself before its job entities or coordinators commit anything
 * to the shared journal (no row from a writer that another writer had replaced), and every job succeeds
 * through the surviving scheduler with the checker satisfied.
 */
class PauseFaultIT {
  private static final double WARP = 120;
  private static final Duration PAUSE = Duration.ofSeconds(20);

  @TempDir Path runDir;
  private FaultRig rig;

  @AfterEach
  void stopEverything() {
    if (rig != null) rig.close();
  }

  @Test
  @Timeout(240)
  void aFrozenTileNodeIsDownedFencesItselfOnResumeAndItsJobsRestartElsewhere() throws Exception {
    Map<String, String> constellation = FaultRig.sixTiles();
    rig = FaultRig.start(new FaultRig.Plan("PauseFaultIT-tile-node", runDir, 1, 2, null, false, WARP, constellation));
    Set<String> onVictim = FaultRig.tilesOf(constellation, 1, 2);

    List<String> ids = rig.submit("scheduler", 30, 1200);
    Map<String, JsonNode> before = rig.await("scheduler", ids, Duration.ofSeconds(60),
        v -> FaultRig.runningOn(v, onVictim).size() >= 4, "jobs running on tile-node-1's TILEs " + onVictim);
    Map<String, Long> frozen = FaultRig.runningOn(before, onVictim);
    System.out.printf("freezing tile-node-1 with %d job(s) running on its TILEs: %s%n", frozen.size(), frozen);

    long t0 = System.nanoTime();
    rig.pause("tile-node-1");
    // Downed and removed while frozen: the survivors agree on a cluster without it.
    ClusterConvergence.Result without = rig.converge(List.of("scheduler"), List.of("scheduler", "tile-node-0"), PAUSE);
    assertTrue(without.converged(), "the survivors did not remove the frozen node within " + PAUSE.toSeconds()
        + " s: " + without.describe());
    System.out.printf("frozen node removed after %.1f s%n", (System.nanoTime() - t0) / 1e9);
    long left = PAUSE.toNanos() - (System.nanoTime() - t0);
    if (left > 0) Thread.sleep(left / 1_000_000);

    rig.resume("tile-node-1");
    long resumedAt = System.nanoTime();
    assertTrue(rig.awaitExit("tile-node-1", Duration.ofSeconds(30)),
        "tile-node-1 still runs 30 s after SIGCONT although the cluster removed it (no self-fencing); logs in " + runDir);
    System.out.printf("resumed node exited by itself %.1f s after SIGCONT%n", (System.nanoTime() - resumedAt) / 1e9);

    Map<String, JsonNode> last = rig.awaitAllSucceededAndCheck("scheduler", ids, Duration.ofSeconds(120));
    List<String> stayed = FaultRig.notRestartedUnderNewerEpoch(frozen, last);
    assertTrue(stayed.isEmpty(), "jobs of the frozen node not restarted elsewhere: " + stayed);
    long requeued = frozen.keySet().stream().filter(id -> FaultRig.hasEntry(last.get(id), "requeued", "node-lost")).count();
    assertTrue(requeued >= 1, "no job of the frozen node was requeued as node-lost: " + frozen.keySet());

    // A downed JVM is restarted by its supervisor (systemd) and joins again.
    rig.local.restart("tile-node-1", Duration.ZERO);
    ClusterConvergence.Result again = rig.converge(List.of("scheduler"),
        List.of("scheduler", "tile-node-0", "tile-node-1"), Duration.ofSeconds(60));
    assertTrue(again.converged(), "the restarted node did not join again: " + again.describe());
    assertFalse(rig.local.exitedChild().isPresent(), () -> rig.local.exitedChild().get().describe());
  }

  @Test
  @Timeout(240)
  void aFrozenSchedulerIsDownedAndWritesNothingToTheJournalOnResume() throws Exception {
    Assumptions.assumeTrue(Failover.postgresAnswers() || "true".equals(System.getenv("CI")),
        "no PostgreSQL at " + Failover.PG_SERVER);
    Map<String, String> constellation = FaultRig.sixTiles();
    rig = FaultRig.start(new FaultRig.Plan("PauseFaultIT-scheduler", runDir, 2, 2, null, true, WARP, constellation));

    List<String> ids = rig.submit("scheduler-1", 24, 1500);
    rig.await("scheduler-1", ids, Duration.ofSeconds(60), v -> FaultRig.counts(v).getOrDefault("RUNNING", 0) >= 12,
        "12 jobs running");

    long t0 = System.nanoTime();
    long stoppedAt = FaultRig.nowMillis();
    rig.pause("scheduler");
    ClusterConvergence.Result without = rig.converge(List.of("scheduler-1"),
        List.of("scheduler-1", "tile-node-0", "tile-node-1"), PAUSE);
    assertTrue(without.converged(), "the survivors did not remove the frozen scheduler within " + PAUSE.toSeconds()
        + " s: " + without.describe());
    System.out.printf("frozen scheduler removed after %.1f s%n", (System.nanoTime() - t0) / 1e9);
    long left = PAUSE.toNanos() - (System.nanoTime() - t0);
    if (left > 0) Thread.sleep(left / 1_000_000);

    long resumedAt = FaultRig.nowMillis();
    rig.resume("scheduler");
    long r0 = System.nanoTime();
    assertTrue(rig.awaitExit("scheduler", Duration.ofSeconds(30)),
        "the frozen scheduler still runs 30 s after SIGCONT although the cluster removed it; logs in " + runDir);
    System.out.printf("resumed scheduler exited by itself %.1f s after SIGCONT%n", (System.nanoTime() - r0) / 1e9);

    Map<String, JsonNode> last = rig.awaitAllSucceededAndCheck("scheduler-1", ids, Duration.ofSeconds(120));
    List<String> stale = rig.staleJournalWrites(stoppedAt, resumedAt);
    assertTrue(stale.isEmpty(), "the resumed scheduler committed to the journal after it had been replaced: " + stale);
    ClusterConvergence.Result after = rig.converge(List.of("scheduler-1"),
        List.of("scheduler-1", "tile-node-0", "tile-node-1"), Duration.ofSeconds(10));
    assertTrue(after.converged(), after.describe());
    assertFalse(rig.local.exitedChild().isPresent(), () -> rig.local.exitedChild().get().describe());
  }
}
