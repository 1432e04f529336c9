package org.soos.scheduler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

class JobEntityTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load(
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("akka.actor.provider = local"))
          .withFallback(ConfigFactory.parseResourcesAnySyntax("serialization"))));

  private static final Instant T0 = Instant.parse("2026-03-20T12:00:00Z");
  private static final JobSpec SPEC = new JobSpec("train", JobKind.SIMULATED, 3600, 40, 8, 5, null,
      new JobSpec.CheckpointSpec(300, 1_000_000_000L, true), null, null);
  private static final TileId A = TileId.of("p0-t0");
  private static final TileId B = TileId.of("p0-t1");
  private static final PlaneId P0 = PlaneId.of("p0");

  private EventSourcedBehaviorTestKit<JobEntity.Command, JobEntity.Event, JobEntity.State> kit;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), JobEntity.create(JobId.of("job-1")));
  }

  private CommandResultWithReply<JobEntity.Command, JobEntity.Event, JobEntity.State, StatusReply<JobView>> cmd(
      java.util.function.Function<akka.actor.typed.ActorRef<StatusReply<JobView>>, JobEntity.Command> f) {
    return kit.runCommand(f);
  }

  private CommandResultWithReply<JobEntity.Command, JobEntity.Event, JobEntity.State, StatusReply<JobView>> submit() {
    return kit.runCommand(r -> new JobEntity.Submit(SPEC, "key-1", T0, r));
  }

  private CommandResultWithReply<JobEntity.Command, JobEntity.Event, JobEntity.State, StatusReply<JobView>> place(TileId t, int slot) {
    return kit.runCommand(r -> new JobEntity.Place(t, P0, slot, "test", T0.plusSeconds(1), r));
  }

  private CommandResultWithReply<JobEntity.Command, JobEntity.Event, JobEntity.State, StatusReply<JobView>> update(
      long epoch, JobEntity.UpdateKind kind, double done, long bytes) {
    return kit.runCommand(r -> new JobEntity.RecordUpdate(epoch, kind, done, bytes, null, T0.plusSeconds(60), r));
  }

  @Test
  void submittedJobIsPendingAtEpochZero() {
    var result = submit();
    assertInstanceOf(JobEntity.JobSubmitted.class, result.event());
    assertEquals(JobStatus.PENDING, result.state().status());
    assertEquals(0, result.reply().getValue().epoch());
  }

  @Test
  void submitIsIdempotent() {
    submit();
    var again = submit();
    assertTrue(again.hasNoEvents());
    assertEquals(JobStatus.PENDING, again.reply().getValue().state());
  }

  @Test
  void eachPlacementIncrementsTheEpoch() {
    submit();
    assertEquals(1, place(A, 0).reply().getValue().epoch());
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    cmd(r -> new JobEntity.BeginMigration(B, P0, 2, "eclipse-energy", T0.plusSeconds(90), r));
    update(1, JobEntity.UpdateKind.CHECKPOINTED, 1200, 1_000_000_000L);
    var placed = place(B, 2);
    assertEquals(2, placed.reply().getValue().epoch());
    assertEquals(JobStatus.PLACED, placed.state().status());
    assertEquals(1, placed.state().migrations());
    assertEquals(1200, placed.state().committedGpuSeconds());
  }

  @Test
  void walksTheWholeMigrationLifecycle() {
    submit();
    place(A, 0);
    assertEquals(JobStatus.RUNNING, update(1, JobEntity.UpdateKind.STARTED, 0, 0).state().status());
    var mig = cmd(r -> new JobEntity.BeginMigration(B, P0, 1, "eclipse-energy", T0.plusSeconds(90), r));
    assertEquals(JobStatus.CHECKPOINTING, mig.state().status());
    var released = update(1, JobEntity.UpdateKind.CHECKPOINTED, 1500, 1_000_000_000L);
    assertEquals(JobStatus.MIGRATING, released.state().status());
    place(B, 1);
    assertEquals(JobStatus.RUNNING, update(2, JobEntity.UpdateKind.STARTED, 1500, 0).state().status());
    var done = update(2, JobEntity.UpdateKind.COMPLETED, 3600, 0);
    assertEquals(JobStatus.SUCCEEDED, done.state().status());
    assertTrue(done.state().history().stream().anyMatch(h -> h.event().equals("migration-started")
        && h.detail().contains("eclipse-energy")), "history names the migration reason");
  }

  @Test
  void rejectsStaleEpochProgress() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    cmd(r -> new JobEntity.Requeue(1, "node-lost", T0.plusSeconds(100), r));
    place(B, 0); // epoch 2
    for (JobEntity.UpdateKind kind : JobEntity.UpdateKind.values()) {
      var stale = update(1, kind, 3000, 1);
      assertTrue(stale.hasNoEvents(), kind + " from the old epoch must not be persisted");
      assertTrue(stale.reply().isError());
      assertTrue(stale.reply().getError().getMessage().contains("stale-epoch"));
    }
    assertEquals(JobStatus.PLACED, kit.getState().status());
    assertEquals(0, kit.getState().committedGpuSeconds());
  }

  @Test
  void requeueAfterNodeLossCountsWorkSinceTheLastCheckpointAsLost() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    update(1, JobEntity.UpdateKind.CHECKPOINTED, 600, 1000);
    var requeued = cmd(r -> new JobEntity.Requeue(1, "node-lost", T0.plusSeconds(700), r));
    assertEquals(JobStatus.PENDING, requeued.state().status());
    assertEquals(600, requeued.state().committedGpuSeconds());
    assertEquals(null, requeued.state().placement());
  }

  @Test
  void suspensionWithCheckpointGoesBackToPendingKeepingTheCheckpoint() {
    submit();
    place(A, 3);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    var suspended = update(1, JobEntity.UpdateKind.SUSPENDED, 900, 1000);
    assertEquals(JobStatus.PENDING, suspended.state().status());
    assertEquals(900, suspended.state().committedGpuSeconds());
    assertEquals(0, suspended.state().lostGpuSeconds());
  }

  @Test
  void cancelIsTerminalAndLaterUpdatesAreRejected() {
    submit();
    place(A, 0);
    var cancelled = cmd(r -> new JobEntity.Cancel("user", T0.plusSeconds(5), r));
    assertEquals(JobStatus.CANCELLED, cancelled.state().status());
    var late = update(1, JobEntity.UpdateKind.COMPLETED, 3600, 0);
    assertTrue(late.hasNoEvents());
    assertTrue(late.reply().isError());
  }

  @Test
  void unknownJobAnswersWithAnError() {
    var r = cmd(JobEntity.Get::new);
    assertTrue(r.reply().isError());
    assertTrue(r.hasNoEvents());
  }

  @Test
  void stateSurvivesRestart() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    update(1, JobEntity.UpdateKind.CHECKPOINTED, 700, 1000);
    kit.restart();
    assertEquals(JobStatus.RUNNING, kit.getState().status());
    assertEquals(700, kit.getState().committedGpuSeconds());
    assertEquals(1, kit.getState().epoch());
  }
}
