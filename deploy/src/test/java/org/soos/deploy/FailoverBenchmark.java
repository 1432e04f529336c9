package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code failover} benchmark (not a test): one constellation of two schedulers on a PostgreSQL
 * journal and two tile-nodes with 24 long jobs; {@code --runs} times, {@code kill -9} of the oldest
 * scheduler (the one hosting the shard coordinators), measure the seconds until every job answers
 * {@code GET /v1/jobs/{id}} through the other, restart the killed one and let the cluster settle.
 * Prints one JSON line per run and a summary line {@code {"bench":"failover",...,"medianSeconds":...}}.
 *
 * <pre>
 * mvn -o -q -B -pl deploy -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/soos-deploy.cp
 * java -cp deploy/target/test-classes:deploy/target/classes:scheduler/target/classes:tile-node/target/classes:shared/target/classes:$(cat /tmp/soos-deploy.cp) \
 *   org.soos.deploy.FailoverBenchmark --runs 5
 * </pre>
 * PostgreSQL: {@code SOOS_TEST_PG_URL} (default jdbc:postgresql://127.0.0.1:5432/test), {@code SOOS_TEST_PG_USER}
 * (default postgres); a throw-away schema is created and dropped.
 */
public final class FailoverBenchmark {
  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = 5;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--verbose" -> verbose = true;
        default -> {
          System.err.println("usage: FailoverBenchmark [--runs N] [--verbose]");
          System.exit(2);
        }
      }
    }
    if (runs < 1) {
      System.err.println("--runs must be >= 1");
      System.exit(2);
    }
    if (!Failover.postgresAnswers()) {
      System.err.println("no PostgreSQL at " + Failover.PG_SERVER + " (set SOOS_TEST_PG_URL / SOOS_TEST_PG_USER)");
      System.exit(1);
    }
    Path runDir = Files.createTempDirectory("soos-failover-bench");
    PrintStream progress = verbose ? System.err : new PrintStream(OutputStream.nullOutputStream());
    System.err.println("starting 2 schedulers (PostgreSQL journal) and 2 tile-nodes in " + runDir + "...");
    List<Double> seconds = new ArrayList<>();
    try (Failover f = Failover.start(runDir, progress)) {
      List<String> ids = f.submit("scheduler-1", 24);
      f.views("scheduler-1", ids, Duration.ofSeconds(60));
      String oldest = LocalConstellation.schedulerName(0);
      String other = LocalConstellation.schedulerName(1);
      for (int run = 1; run <= runs; run++) {
        System.err.printf("run %d/%d: kill -9 %s...%n", run, runs, oldest);
        Failover.Outcome o = f.kill(oldest, other, ids, Duration.ofSeconds(120));
        seconds.add(o.seconds());
        System.out.printf(Locale.ROOT, "{\"bench\":\"failover\",\"run\":%d,\"victim\":\"%s\",\"jobs\":%d,"
            + "\"jobsOnVictim\":%d,\"seconds\":%.2f}%n", run, o.victim(), o.jobs(), o.jobsOnVictim(), o.seconds());
        if (run == runs) break;
        System.err.printf("run %d/%d: %.2f s; restarting %s and waiting for the cluster to settle...%n", run, runs,
            o.seconds(), oldest);
        rejoin(f, oldest, other);
        // The restarted scheduler is now the youngest: next time the other one is the oldest.
        String t = oldest;
        oldest = other;
        other = t;
      }
    }
    List<Double> sorted = new ArrayList<>(seconds);
    sorted.sort(Double::compare);
    System.out.printf(Locale.ROOT, "{\"bench\":\"failover\",\"runs\":%d,\"medianSeconds\":%.2f,\"p90Seconds\":%.2f,"
        + "\"minSeconds\":%.2f,\"maxSeconds\":%.2f,\"targetSeconds\":15}%n", sorted.size(), percentile(sorted, 50),
        percentile(sorted, 90), sorted.get(0), sorted.get(sorted.size() - 1));
  }

  /**
   * Starts {@code node} again and waits until the cluster has 4 members again and has been quiet for
   * 15 s (shards rebalance onto it). On a saturated machine the fresh JVM may miss heartbeats long
   * enough to be downed (the failure detector is tuned for fast failover): that is reported as a JSON
   * line and the node is started again, up to three times.
   */
  private static void rejoin(Failover f, String node, String via) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        f.local.restart(node, Duration.ofSeconds(120));
        awaitMembers(f, via, 4);
        long quietUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < quietUntil) {
          f.local.throwIfChildExited();
          Thread.sleep(250);
        }
        return;
      } catch (LocalConstellation.ChildExitedException e) {
        if (!e.child().node().name().equals(node) || attempt >= 3) throw e;
        System.out.printf(Locale.ROOT, "{\"bench\":\"failover\",\"event\":\"restarted-node-downed\",\"node\":\"%s\","
            + "\"attempt\":%d}%n", node, attempt);
        f.local.forget(node);
      }
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static void awaitMembers(Failover f, String via, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode m = f.members(via);
      int up = 0;
      for (JsonNode member : m.path("members")) if ("Up".equals(member.path("status").asText())) up++;
      if (up == count && m.path("unreachable").size() == 0) return;
      Thread.sleep(500);
    }
    throw new IllegalStateException("the cluster did not get back to " + count + " members");
  }
}
