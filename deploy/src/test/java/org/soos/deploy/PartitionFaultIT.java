package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.ClusterConvergence;
import org.soos.deploy.check.JournalWriters;

/**
 * RELIABILITY.md fault 4, a network partition, on real JVMs with the production downing settings
 * (keep-majority over all members, cluster-downing.conf): every JVM binds its own loopback address and
 * iptables drops every packet between the two sides ({@link NetFaults#partition}); the schedulers share
 * a PostgreSQL journal, and the clients (this test) still reach both sides over HTTP.
 *
 * <p>Asserted, for a 3:2 cut (the oldest scheduler, which hosts the shard coordinators, on the
 * minority side) and a 2:2 cut (the side holding the lowest address survives):
 * <ul>
 *   <li>the losing side downs itself and its JVMs exit (no second cluster carries on with the same jobs);
 *       the surviving side converges without it;</li>
 *   <li>jobs are submitted through both sides during the cut; whatever either side answered 202 to is
 *       never lost and finishes; requests the losing side could not serve got no 202;</li>
 *   <li>after the cut heals and the exited JVMs are restarted (as systemd would), they rejoin and the
 *       cluster converges; every job succeeds, no epochs overlap (the checker) and no persistence id of
 *       the shared journal was ever written by two writers at once ({@link JournalWriters}).</li>
 * </ul>
 */
class PartitionFaultIT {
  private static final double WARP = 120;
  /** Long enough for the losing side to be found out (~3.5 s), decided on (stable-after 4 s) and stop. */
  private static final Duration CUT = Duration.ofSeconds(25);

  @TempDir Path runDir;
  private NetFaults net;
  private FaultRig rig;

  @BeforeEach
  void needNetworkFaults() {
    FaultRig.assumeNetworkFaultsAndPostgres();
  }

  @AfterEach
  void healAndStop() {
    if (net != null) net.close();
    if (rig != null) rig.close();
  }

  @Test
  @Timeout(300)
  void aMinorityWithTheOldestSchedulerDownsItselfAndTheMajorityKeepsEveryAcceptedJob() throws Exception {
    cut(2, 3, List.of("scheduler", "tile-node-0"), List.of("scheduler-1", "tile-node-1", "tile-node-2"));
  }

  @Test
  @Timeout(300)
  void onAnEvenSplitTheSideWithTheLowestAddressSurvives() throws Exception {
    // Addresses go up in node order: scheduler holds the lowest, so its side is the one keep-majority keeps.
    cut(2, 2, List.of("scheduler-1", "tile-node-1"), List.of("scheduler", "tile-node-0"));
  }

  /**
   * Starts {@code schedulers} + {@code tileNodes} JVMs, cuts {@code losing} off from {@code surviving}
   * while jobs run and new ones arrive through both sides, heals, restarts the losers and checks.
   */
  private void cut(int schedulers, int tileNodes, List<String> losing, List<String> surviving) throws Exception {
    String name = "PartitionFaultIT-" + losing.size() + "v" + surviving.size();
    List<String> addresses = NetFaults.addresses(schedulers + tileNodes);
    net = NetFaults.open();
    Map<String, String> constellation = FaultRig.sixTiles();
    rig = FaultRig.start(new FaultRig.Plan(name, runDir, schedulers, tileNodes, addresses, true, WARP, constellation));
    String survivingScheduler = surviving.stream().filter(n -> n.startsWith("scheduler")).findFirst().orElseThrow();
    String losingScheduler = losing.stream().filter(n -> n.startsWith("scheduler")).findFirst().orElseThrow();

    List<String> accepted = new ArrayList<>(rig.submit(survivingScheduler, 16, 2400));
    Set<String> losingTiles = new java.util.TreeSet<>();
    for (String n : losing) {
      if (n.startsWith("tile-node-")) losingTiles.addAll(FaultRig.tilesOf(constellation,
          Integer.parseInt(n.substring("tile-node-".length())), tileNodes));
    }
    Map<String, JsonNode> before = rig.await(survivingScheduler, accepted, Duration.ofSeconds(90),
        v -> !FaultRig.runningOn(v, losingTiles).isEmpty() && FaultRig.counts(v).getOrDefault("RUNNING", 0) >= 8,
        "jobs running, some on the losing side's TILEs " + losingTiles);
    Map<String, Long> cutOff = FaultRig.runningOn(before, losingTiles);

    List<String> losingAddresses = losing.stream().map(n -> rig.node(n).host()).toList();
    List<String> survivingAddresses = surviving.stream().map(n -> rig.node(n).host()).toList();
    long cutAt = FaultRig.nowMillis();
    long t0 = System.nanoTime();
    net.partition(losingAddresses, survivingAddresses);
    System.out.printf("partition %s %s | %s %s; %d job(s) running on the losing side: %s%nrules:%n%s%n", losing,
        losingAddresses, surviving, survivingAddresses, cutOff.size(), cutOff, net.rules());

    // Jobs keep arriving through both sides while the cut lasts.
    FaultRig.Intake intake = new FaultRig.Intake(rig, accepted);
    Map<String, Double> exitedAfterSeconds = new TreeMap<>();
    while (System.nanoTime() - t0 < CUT.toNanos()) {
      for (String n : losing) {
        if (!rig.alive(n)) exitedAfterSeconds.putIfAbsent(n, (System.nanoTime() - t0) / 1e9);
      }
      intake.offer(List.of(losingScheduler, survivingScheduler), Duration.ofSeconds(3));
      Thread.sleep(300);
    }
    System.out.printf("during the cut: %s%n", intake);
    assertTrue(intake.acceptedVia.getOrDefault(survivingScheduler, 0) > 0,
        "the surviving side accepted no job during the cut: " + intake.lastRefusal);

    ClusterConvergence.Result survivors = rig.converge(List.of(survivingScheduler), surviving, Duration.ofSeconds(20));
    assertTrue(survivors.converged(), "the surviving side did not converge without the other: " + survivors.describe());
    for (String n : losing) {
      assertTrue(rig.awaitExit(n, Duration.ofSeconds(30)), n + " is still running " + CUT.toSeconds()
          + "+30 s into a partition its side lost: it did not down itself; logs in " + runDir);
    }
    System.out.printf("losing side gone within %.1f s of the cut; exits seen during it after (s): %s%n",
        (System.nanoTime() - t0) / 1e9, exitedAfterSeconds);

    long healAt = FaultRig.nowMillis();
    net.heal();
    List<String> restarted = rig.restartExited(Duration.ofSeconds(90));
    System.out.println("healed; restarted " + restarted);
    List<String> everyone = new ArrayList<>(surviving);
    everyone.addAll(losing);
    ClusterConvergence.Result whole = rig.converge(List.of("scheduler", "scheduler-1"), everyone, Duration.ofSeconds(60));
    assertTrue(whole.converged(), "the cluster did not converge again after the heal: " + whole.describe());

    Map<String, JsonNode> last = rig.awaitAllSucceededAndCheck("scheduler", accepted, Duration.ofSeconds(150));
    List<String> stayed = FaultRig.notRestartedUnderNewerEpoch(cutOff, last);
    assertTrue(stayed.isEmpty(), "jobs of the losing side not restarted on the surviving one: " + stayed);
    JournalWriters.Report writers = rig.journalWriters();
    assertTrue(writers.ok(), writers.describe());
    List<String> stale = rig.staleJournalWrites(cutAt, healAt);
    assertTrue(stale.isEmpty(), "the losing side committed to the journal after it had been replaced: " + stale);
    System.out.printf("%d accepted, all succeeded; journal: %s%n", accepted.size(), writers.describe());
    assertFalse(rig.local.exitedChild().isPresent(), () -> rig.local.exitedChild().get().describe());
  }
}
