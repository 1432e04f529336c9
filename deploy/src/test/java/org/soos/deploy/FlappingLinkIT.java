package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.ClusterConvergence;
import org.soos.deploy.check.JournalWriters;

/**
 * RELIABILITY.md fault 5, a flapping link, on real JVMs with the production downing settings: two
 * schedulers on a shared PostgreSQL journal and two tile-nodes, each JVM on its own loopback address;
 * for {@value #FLAP_SECONDS} s every link between them loses a large share of its packets for a few
 * seconds, then none for a few, over and over ({@link NetFaults#degrade}), so reachability keeps
 * changing and the Split Brain Resolver may never see the cluster stable.
 *
 * <p>What happens meanwhile is up to the failure detector and the SBR (nothing downed; one side downed;
 * or, when it stays unstable, {@code down-all-when-unstable} downs every member); the test reports
 * which. Asserted, whatever happened: jobs are submitted through both schedulers throughout and every
 * 202 finishes; once the link is clean, every JVM that exited is restarted as systemd would (the first
 * scheduler first when none runs, since only the first seed may form a cluster), a tile-node left alone
 * in a cluster without schedulers leaves it by itself (SchedulerWatch), and the cluster converges with
 * all four; every job succeeds, no epochs overlap (the checker) and no persistence id
 * was written by two writers at once ({@link JournalWriters}).
 */
class FlappingLinkIT {
  private static final double WARP = 120;
  private static final int FLAP_SECONDS = 36;
  private static final Duration LOSSY = Duration.ofSeconds(4);
  private static final Duration CLEAN = Duration.ofSeconds(3);
  private static final double LOSS_PERCENT = 60;
  /** Exits later than this after the link is clean would be a decision taken on a clean link. */
  private static final Duration SETTLE = Duration.ofSeconds(15);

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
  @Timeout(360)
  void aLinkThatKeepsFlappingLosesNoAcceptedJobAndTheClusterConvergesOnceItIsClean() throws Exception {
    List<String> names = List.of("scheduler", "scheduler-1", "tile-node-0", "tile-node-1");
    List<String> addresses = NetFaults.addresses(names.size());
    net = NetFaults.open();
    rig = FaultRig.start(new FaultRig.Plan("FlappingLinkIT", runDir, 2, 2, addresses, true, WARP, FaultRig.sixTiles()));

    List<String> accepted = new ArrayList<>(rig.submit("scheduler-1", 12, 2400));
    rig.await("scheduler-1", accepted, Duration.ofSeconds(90), v -> FaultRig.counts(v).getOrDefault("RUNNING", 0) >= 8,
        "8 jobs running");

    List<String> hosts = names.stream().map(n -> rig.node(n).host()).toList();
    long startedAt = FaultRig.nowMillis();
    long t0 = System.nanoTime();
    FaultRig.Intake intake = new FaultRig.Intake(rig, accepted);
    Map<String, Double> exitedAfterSeconds = new LinkedHashMap<>();
    int flaps = 0;
    while (System.nanoTime() - t0 < Duration.ofSeconds(FLAP_SECONDS).toNanos()) {
      net.degrade(hosts, hosts, LOSS_PERCENT, 0);
      if (flaps++ == 0) System.out.println("flapping: " + net.lastDegradeMethod() + " on every link, " + LOSSY.toSeconds()
          + " s on / " + CLEAN.toSeconds() + " s off");
      submitFor(LOSSY, t0, intake, exitedAfterSeconds);
      net.clearDegrade();
      submitFor(CLEAN, t0, intake, exitedAfterSeconds);
    }
    long cleanAt = FaultRig.nowMillis();
    System.out.printf("link clean after %d flaps; %s; exits (s into the flapping) %s%n", flaps, intake,
        exitedAfterSeconds);

    // Decisions taken while it flapped may still be carried out: wait until no JVM has exited for SETTLE.
    long quietSince = System.nanoTime();
    Set<String> alive = aliveOf(names);
    while (System.nanoTime() - quietSince < SETTLE.toNanos()) {
      Thread.sleep(500);
      Set<String> now = aliveOf(names);
      if (!now.equals(alive)) {
        for (String n : names) {
          if (alive.contains(n) && !now.contains(n)) exitedAfterSeconds.putIfAbsent(n, (System.nanoTime() - t0) / 1e9);
        }
        alive = now;
        quietSince = System.nanoTime();
      }
    }
    String decisions = sbrDecisions(names);
    boolean downAll = decisions.contains("DownAll");
    System.out.printf("settled: running %s; exited (s after the flapping began) %s; down-all-when-unstable %s%n"
        + "SBR decisions:%n%s%n", alive, exitedAfterSeconds, downAll ? "fired" : "did not fire", decisions);

    // Restart what exited, as systemd would, until all four are one cluster again. A tile-node left alone in
    // the old cluster (its members downed each other) is not in the schedulers' one: it leaves by itself
    // once it has seen no scheduler for lost-schedulers-after (SchedulerWatch) and is restarted here.
    List<String> restarted = new ArrayList<>();
    ClusterConvergence.Result whole = null;
    long convergeBy = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (whole == null || !whole.converged() && System.nanoTime() < convergeBy) {
      try {
        restarted.addAll(rig.restartExited(Duration.ofSeconds(90)));
      } catch (LocalConstellation.ChildExitedException e) {
        System.out.println("exited while a scheduler started: " + e.getMessage());
        continue;
      }
      whole = rig.converge(List.of("scheduler", "scheduler-1"), names, Duration.ofSeconds(10));
    }
    System.out.println("restarted " + restarted);
    assertTrue(whole.converged(), "the cluster did not converge within 120 s once the link was clean: "
        + whole.describe() + "; logs in " + runDir);

    Map<String, JsonNode> last = rig.awaitAllSucceededAndCheck("scheduler", accepted, Duration.ofSeconds(150));
    JournalWriters.Report writers = rig.journalWriters();
    assertTrue(writers.ok(), writers.describe());
    List<String> stale = rig.staleJournalWrites(startedAt, cleanAt);
    assertTrue(stale.isEmpty(), "a replaced writer committed to the journal: " + stale);
    System.out.printf("%d accepted (%d during the flapping), all succeeded; journal: %s%n", accepted.size(),
        intake.acceptedCount(), writers.describe());
    assertFalse(rig.local.exitedChild().isPresent(), () -> rig.local.exitedChild().get().describe());
  }

  /** Submits through both schedulers (those still running) for {@code period}, noting exits. */
  private void submitFor(Duration period, long t0, FaultRig.Intake intake, Map<String, Double> exited)
      throws InterruptedException {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      for (String n : List.of("scheduler", "scheduler-1", "tile-node-0", "tile-node-1")) {
        if (!rig.alive(n)) exited.putIfAbsent(n, (System.nanoTime() - t0) / 1e9);
      }
      intake.offer(List.of("scheduler", "scheduler-1"), Duration.ofSeconds(2));
      Thread.sleep(400);
    }
  }

  private Set<String> aliveOf(List<String> names) {
    Set<String> out = new TreeSet<>();
    for (String n : names) if (rig.alive(n)) out.add(n);
    return out;
  }

  /** The Split Brain Resolver's decisions as the members logged them. */
  private String sbrDecisions(List<String> names) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String n : names) {
      Path log = rig.node(n).log();
      if (!Files.exists(log)) continue;
      for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("SBR took decision") || line.contains("SBR is downing")) {
          out.append("  ").append(n).append(": ").append(line.length() > 300 ? line.substring(0, 300) + "..." : line)
              .append('\n');
        }
      }
    }
    return out.length() == 0 ? "  (none)" : out.toString().stripTrailing();
  }
}
