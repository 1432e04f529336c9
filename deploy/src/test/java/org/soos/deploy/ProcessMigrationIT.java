package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.deploy.BoardRig.*;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdateKind;
import org.soos.shared.protocol.TileProtocol;

/**
 * Two board-mode tile-node JVMs (fixture sysfs trees of an AGX Orin and an Orin NX, a fake nvpmodel) and
 * this JVM as the plane's coordinator, speaking the coordinator protocol over the cluster. A real
 * {@code kind: process} job (deploy/examples/process/sum-of-squares.sh) starts on board A, is checkpointed and
 * stopped mid-run under epoch 1 (SIGTERM, exit 75, sealed with its SHA-256), starts under epoch 2 on
 * board B, which fetches the checkpoint from A through the cluster (StreamRefs) and resumes it. Checks:
 * the resumed run started from the checkpoint (not from 1), its answer equals both the closed form and
 * an uninterrupted run of the same job on board A, and the checkpoint's SHA-256 is the same on both
 * nodes (and is the hash of the bytes each holds).
 */
class ProcessMigrationIT {
  private static final int STEPS = 400;
  private static final long ANSWER = sumOfSquares(STEPS);
  private static final Duration ASK = Duration.ofSeconds(30);

  /** Everything the tile-nodes tell the plane's coordinator. */
  private static final LinkedBlockingQueue<CoordinatorProtocol.Command> INBOX = new LinkedBlockingQueue<>();

  private final List<Process> nodes = new ArrayList<>();
  private ActorSystem<Void> driver;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : nodes) p.destroy();
    for (Process p : nodes) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    if (driver != null) {
      driver.terminate();
      driver.getWhenTerminated().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  @Test
  void migratesARunningProcessJobBetweenTwoBoards() throws Exception {
    Path run = freshRunDir("process-migration-it");
    int base = FreePorts.block(3);
    Instant anchor = Instant.now();
    driver = ActorSystem.create(Behaviors.setup(ctx -> {
      ClusterSharding.get(ctx.getSystem()).init(Entity.of(CoordinatorProtocol.ENTITY_KEY,
          ec -> Behaviors.<CoordinatorProtocol.Command>receiveMessage(m -> {
            INBOX.add(m);
            return Behaviors.same();
          })).withRole("scheduler"));
      return Behaviors.empty();
    }), "soos", driverConfig(base));

    Path fakeNvp = fakeNvpmodel(run.resolve("bin"));
    Path workA = run.resolve("board-a");
    Path workB = run.resolve("board-b");
    nodes.add(startNode("a", base, base + 1, anchor, "p0-t0", AGX_ORIN, workA, fakeNvp, run, Map.of()));
    nodes.add(startNode("b", base, base + 2, anchor, "p0-t1", ORIN_NX, workB, fakeNvp, run, Map.of()));

    // Both boards report as their TILEs.
    Map<TileId, ActorRef<TileProtocol.Command>> tiles = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (tiles.size() < 2) {
      CoordinatorProtocol.Command m = INBOX.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertNotNull(m, "both board TILEs report within 120 s; logs in " + run);
      if (m instanceof CoordinatorProtocol.ReportTile r) {
        tiles.put(r.report().tileId(), r.tile());
        if (r.report().tileId().equals(TileId.of("p0-t0"))) {
          // The board's slot carries the board: its module, its junction from tj-thermal.
          assertEquals("AGX_ORIN_64GB", r.report().orins().get(0).module().name());
          assertEquals(48.218, r.report().orins().get(0).junctionTempCelsius(), 1e-9);
        } else {
          assertEquals("ORIN_NX_16GB", r.report().orins().get(0).module().name());
          assertEquals(42.843, r.report().orins().get(0).junctionTempCelsius(), 1e-9);
        }
      }
    }
    ActorRef<TileProtocol.Command> boardA = tiles.get(TileId.of("p0-t0"));
    ActorRef<TileProtocol.Command> boardB = tiles.get(TileId.of("p0-t1"));

    JobId moving = JobId.of("sum-moving");
    JobId whole = JobId.of("sum-whole");
    long startedAt = System.nanoTime();
    assertAccepted(ask(boardA, r -> new TileProtocol.StartJob(0, moving, 1, spec(), 0.0, r)));
    assertAccepted(ask(boardA, r -> new TileProtocol.StartJob(0, whole, 1, spec(), 0.0, r)));
    awaitUpdate(moving, 1, JobUpdateKind.STARTED, 30);
    awaitUpdate(whole, 1, JobUpdateKind.STARTED, 30);

    // Mid-run: checkpoint-and-stop on A under epoch 1 (the first step of a migration).
    Thread.sleep(4000);
    assertAccepted(ask(boardA, r -> new TileProtocol.CheckpointJob(0, moving, 1, true, r)));
    JobUpdate checkpointed = awaitUpdate(moving, 1, JobUpdateKind.CHECKPOINTED, 30);
    assertTrue(checkpointed.checkpointBytes() > 0, checkpointed.toString());
    awaitUpdate(moving, 1, JobUpdateKind.STOPPED, 30);
    Path sourceZip = workA.resolve("checkpoints").resolve(moving.value()).resolve("1.zip");
    String sourceSha = properties(sourceZip.resolveSibling("1.properties")).getProperty("sha256");
    assertEquals(sha256(sourceZip), sourceSha);
    assertEquals(Files.size(sourceZip), checkpointed.checkpointBytes());
    String sourceOut = Files.readString(workA.resolve("jobs/sum-moving/e1/output.log"));
    Matcher at = Pattern.compile("checkpoint at i=(\\d+) sum=(\\d+)").matcher(sourceOut);
    assertTrue(at.find(), "the job wrote its checkpoint on SIGTERM:\n" + sourceOut);
    int checkpointStep = Integer.parseInt(at.group(1));
    assertTrue(checkpointStep > 1 && checkpointStep <= STEPS, "checkpointed mid-run, at i=" + checkpointStep);

    // Epoch 2 on B, from the committed checkpoint: B fetches it from A through the cluster.
    double resumeFrom = checkpointed.doneGpuSeconds();
    assertAccepted(ask(boardB, r -> new TileProtocol.StartJob(0, moving, 2, spec(), resumeFrom, r)));
    awaitUpdate(moving, 2, JobUpdateKind.STARTED, 30);
    JobUpdate done = awaitUpdate(moving, 2, JobUpdateKind.COMPLETED, 90);
    assertEquals(TileId.of("p0-t1"), done.tileId());
    JobUpdate wholeDone = awaitUpdate(whole, 1, JobUpdateKind.COMPLETED, 90);
    assertEquals(TileId.of("p0-t0"), wholeDone.tileId());

    Path targetZip = workB.resolve("checkpoints").resolve(moving.value()).resolve("1.zip");
    assertEquals(sourceSha, properties(targetZip.resolveSibling("1.properties")).getProperty("sha256"));
    assertEquals(sourceSha, sha256(targetZip), "the bytes B holds hash to what A sealed");

    String targetOut = Files.readString(workB.resolve("jobs/sum-moving/e2/output.log"));
    assertTrue(targetOut.contains("resumed at i=" + checkpointStep + " sum=" + at.group(2)), targetOut);
    assertEquals(ANSWER, answer(targetOut));
    long uninterrupted = answer(Files.readString(workA.resolve("jobs/sum-whole/e1/output.log")));
    assertEquals(uninterrupted, answer(targetOut));
    assertEquals(ANSWER, uninterrupted);

    // The boards put their power mode on the hardware with nvpmodel at start (MAXN, id 0).
    assertTrue(Files.readAllLines(run.resolve("bin/calls.log")).contains("-m 0"));
    System.out.printf("process migration: checkpoint at step %d of %d, %d bytes, SHA-256 %s, total %.1f s%n",
        checkpointStep, STEPS, checkpointed.checkpointBytes(), sourceSha, (System.nanoTime() - startedAt) / 1e9);
  }

  private static JobSpec spec() {
    return new JobSpec("sum-of-squares", JobKind.PROCESS, 12.0, 5.0, 0.5, 5, null,
        new JobSpec.CheckpointSpec(60, 4096, true), null,
        new JobSpec.ProcessSpec("bash", List.of(SCRIPT.toString()),
            Map.of("STEPS", Integer.toString(STEPS), "STEP_SECONDS", "0.02"), null,
            new JobSpec.ResourceHints(0.1, 0, 65536)));
  }

  private TileProtocol.JobAck ask(ActorRef<TileProtocol.Command> tile,
      akka.japi.function.Function<ActorRef<TileProtocol.JobAck>, TileProtocol.Command> make) throws Exception {
    return AskPattern.ask(tile, make, ASK, driver.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void assertAccepted(TileProtocol.JobAck ack) {
    assertTrue(ack.accepted(), "refused: " + ack.reason());
  }

  private static JobUpdate awaitUpdate(JobId job, long epoch, JobUpdateKind kind, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> seen = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      CoordinatorProtocol.Command m = left > 0 ? INBOX.poll(left, TimeUnit.NANOSECONDS) : null;
      if (m == null) throw new AssertionError("no " + kind + " of " + job + " epoch " + epoch + " within " + seconds
          + " s; job updates seen: " + seen);
      if (m instanceof JobUpdate u) {
        seen.add(u.jobId() + "/" + u.epoch() + "/" + u.kind() + (u.reason() == null ? "" : "(" + u.reason() + ")"));
        if (u.jobId().equals(job) && u.epoch() == epoch && u.kind() == kind) return u;
        if (u.jobId().equals(job) && u.kind() == JobUpdateKind.FAILED) throw new AssertionError("job failed: " + u);
        if (!u.jobId().equals(job)) INBOX.add(u); // another job's news: keep it for its own wait
        if (!u.jobId().equals(job)) Thread.sleep(5);
      }
    }
  }

  private static Config driverConfig(int port) {
    Config c = ConfigFactory.parseString(String.join("\n",
        "akka.actor.provider = cluster",
        "akka.loglevel = INFO",
        "akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]",
        "akka.remote.artery.canonical.hostname = \"127.0.0.1\"",
        "akka.remote.artery.canonical.port = " + port,
        "akka.cluster.seed-nodes = [\"akka://soos@127.0.0.1:" + port + "\"]",
        "akka.cluster.roles = [scheduler]",
        "akka.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "akka.cluster.downing-provider-class = \"akka.cluster.sbr.SplitBrainResolverProvider\"",
        "akka.coordinated-shutdown.exit-jvm = off"));
    return ConfigFactory.load(c.withFallback(ConfigFactory.parseResourcesAnySyntax("serialization")));
  }
}
