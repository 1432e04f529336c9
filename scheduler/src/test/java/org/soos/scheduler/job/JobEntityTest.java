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
    update(1, JobEntity.UpdateKind.STOPPED, 1200, 1_000_000_000L);
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
    var checkpointed = update(1, JobEntity.UpdateKind.CHECKPOINTED, 1500, 1_000_000_000L);
    assertEquals(JobStatus.CHECKPOINTING, checkpointed.state().status(), "the source still runs until it stops");
    var released = update(1, JobEntity.UpdateKind.STOPPED, 1500, 1_000_000_000L);
    assertEquals(JobStatus.MIGRATING, released.state().status());
    assertEquals(1500, released.state().committedGpuSeconds());
    place(B, 1);
    assertEquals(JobStatus.RUNNING, update(2, JobEntity.UpdateKind.STARTED, 1500, 0).state().status());
    var done = update(2, JobEntity.UpdateKind.COMPLETED, 3600, 0);
    assertEquals(JobStatus.SUCCEEDED, done.state().status());
    assertTrue(done.state().history().stream().anyMatch(h -> h.event().equals("migration-started")
        && h.detail().contains("eclipse-energy")), "history names the migration reason");
  }

  /**
   * The FAILED updates of process jobs (tile-node {@code ProcessWorkload}): a job that cannot write its
   * checkpoint on SIGTERM while a drain moves it fails for good, the move is abandoned and the reason kept;
   * the later STOPPED of that copy is no longer taken as the source's release.
   */
  @Test
  void aProcessThatFailsToCheckpointDuringADrainFailsTheJobAndAbandonsTheMove() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    update(1, JobEntity.UpdateKind.CHECKPOINTED, 600, 4096);
    cmd(r -> new JobEntity.BeginMigration(B, P0, 1, "drain", T0.plusSeconds(90), r));
    var failed = kit.<StatusReply<JobView>>runCommand(r -> new JobEntity.RecordUpdate(1, JobEntity.UpdateKind.FAILED,
        600, 0, "checkpoint-exit-code: exited 1 on SIGTERM, expected 75", T0.plusSeconds(95), r));
    JobView v = failed.reply().getValue();
    assertEquals(JobStatus.FAILED, v.state());
    assertEquals(null, v.migratingTo(), "the move is abandoned");
    assertEquals(1, v.epoch(), "no new epoch for a move that never happened");
    assertEquals(600, v.committedGpuSeconds(), "the last committed checkpoint stays on record");
    assertTrue(v.history().stream().anyMatch(h -> h.event().equals("failed") && h.detail().startsWith("checkpoint-exit-code")),
        v.history().toString());
    var lateStop = update(1, JobEntity.UpdateKind.STOPPED, 600, 4096);
    assertTrue(lateStop.hasNoEvents(), "a finished job records nothing more");
    assertEquals(JobStatus.FAILED, kit.getState().status());
  }

  /**
   * The target of a move cannot fetch the checkpoint (the source node is gone or the bytes do not match
   * their SHA-256): the tile-node reports FAILED with {@code checkpoint-unavailable} under the new epoch and
   * the job fails with that reason; it is not a brownout, so it is not silently requeued from a checkpoint
   * that no node can serve.
   */
  @Test
  void aTargetThatCannotFetchTheCheckpointFailsTheJobUnderTheNewEpoch() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    cmd(r -> new JobEntity.BeginMigration(B, P0, 1, "drain", T0.plusSeconds(90), r));
    update(1, JobEntity.UpdateKind.STOPPED, 600, 4096);
    assertEquals(2, place(B, 1).reply().getValue().epoch());
    var stale = kit.<StatusReply<JobView>>runCommand(r -> new JobEntity.RecordUpdate(1, JobEntity.UpdateKind.FAILED,
        600, 0, "exit-code 1", T0.plusSeconds(100), r));
    assertTrue(stale.hasNoEvents(), "a failure of the old copy is fenced off");
    assertTrue(stale.reply().getError().getMessage().contains("stale-epoch"));
    var failed = kit.<StatusReply<JobView>>runCommand(r -> new JobEntity.RecordUpdate(2, JobEntity.UpdateKind.FAILED,
        600, 0, "checkpoint-unavailable: source node unreachable", T0.plusSeconds(101), r));
    JobView v = failed.reply().getValue();
    assertEquals(JobStatus.FAILED, v.state());
    assertEquals(2, v.epoch());
    assertEquals(B, v.placement().tileId());
    assertTrue(v.history().stream().anyMatch(h -> h.event().equals("failed") && h.epoch() == 2
        && h.detail().startsWith("checkpoint-unavailable")), v.history().toString());
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
    // The TILE last reported 900 GPU-s done: 300 of them were after the checkpoint.
    var requeued = cmd(r -> new JobEntity.Requeue(1, "node-lost", 900, T0.plusSeconds(700), r));
    assertEquals(JobStatus.PENDING, requeued.state().status());
    assertEquals(600, requeued.state().committedGpuSeconds());
    assertEquals(300, requeued.state().lostGpuSeconds(), 1e-9);
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

  @Test
  void periodicCheckpointDuringAMigrationDoesNotReleaseTheSource() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    cmd(r -> new JobEntity.BeginMigration(B, P0, 1, "thermal", T0.plusSeconds(90), r));
    var periodic = update(1, JobEntity.UpdateKind.CHECKPOINTED, 900, 1000);
    assertEquals(JobStatus.CHECKPOINTING, periodic.state().status());
    assertEquals(900, periodic.state().committedGpuSeconds());
    var early = place(B, 1);
    assertTrue(early.reply().isError(), "no new epoch while the source may still run");
    assertEquals(1, kit.getState().epoch());
  }

  @Test
  void releaseReturnsTheJobToPendingWithItsCheckpointOnceTheSourceStops() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    var released = cmd(r -> new JobEntity.Release(1, "preempted for job-9", T0.plusSeconds(90), r));
    assertInstanceOf(JobEntity.ReleaseStarted.class, released.event());
    assertEquals(JobStatus.CHECKPOINTING, released.state().status());
    update(1, JobEntity.UpdateKind.CHECKPOINTED, 800, 1000);
    var stopped = update(1, JobEntity.UpdateKind.STOPPED, 800, 1000);
    assertEquals(JobStatus.PENDING, stopped.state().status());
    assertEquals(800, stopped.state().committedGpuSeconds());
    assertEquals(null, stopped.state().placement());
    assertEquals(0, stopped.state().lostGpuSeconds());
    assertTrue(stopped.state().history().stream().anyMatch(h -> h.event().equals("release-started")
        && h.detail().contains("preempted")), "history names the release reason");
    assertEquals(2, place(B, 0).reply().getValue().epoch());
  }

  @Test
  void releaseUnderAStaleEpochIsRejected() {
    submit();
    place(A, 0);
    var stale = cmd(r -> new JobEntity.Release(0, "preempted", T0.plusSeconds(5), r));
    assertTrue(stale.hasNoEvents());
    assertTrue(stale.reply().getError().getMessage().contains("stale-epoch"));
  }

  @Test
  void brownoutRequeuesFromTheLastCheckpointInsteadOfFailingTheJob() {
    submit();
    place(A, 0);
    update(1, JobEntity.UpdateKind.STARTED, 0, 0);
    update(1, JobEntity.UpdateKind.CHECKPOINTED, 600, 1000);
    var lost = kit.<StatusReply<JobView>>runCommand(r -> new JobEntity.RecordUpdate(1, JobEntity.UpdateKind.FAILED,
        600, 0, "brownout", T0.plusSeconds(700), r));
    assertEquals(JobStatus.PENDING, lost.state().status());
    assertEquals(600, lost.state().committedGpuSeconds());
    var failed = kit.<StatusReply<JobView>>runCommand(r -> new JobEntity.Place(B, P0, 0, "retry", T0.plusSeconds(710), r));
    assertEquals(2, failed.reply().getValue().epoch());
    var realFailure = kit.<StatusReply<JobView>>runCommand(r -> new JobEntity.RecordUpdate(2,
        JobEntity.UpdateKind.FAILED, 650, 0, "exit code 3", T0.plusSeconds(720), r));
    assertEquals(JobStatus.FAILED, realFailure.state().status());
  }

  @Test
  void aJobQueuedByOnePlaneIsPlacedOnlyByThatPlane() {
    submit();
    PlaneId p1 = PlaneId.of("p1");
    var assigned = cmd(r -> new JobEntity.AssignPlane(p1, null, "most spare Orins", T0, r));
    assertInstanceOf(JobEntity.PlaneAssigned.class, assigned.event());
    assertEquals(p1, assigned.state().planeId());
    var elsewhere = place(A, 0); // A is in p0
    assertTrue(elsewhere.reply().isError());
    assertTrue(elsewhere.hasNoEvents());

    var stolen = cmd(r -> new JobEntity.AssignPlane(P0, PlaneId.of("p2"), "spill", T0.plusSeconds(1), r));
    assertTrue(stolen.reply().isError(), "only the queueing plane may hand the job on");
    var spilled = cmd(r -> new JobEntity.AssignPlane(P0, p1, "spill from p1", T0.plusSeconds(2), r));
    assertEquals(P0, spilled.state().planeId());
    assertTrue(spilled.state().history().stream().anyMatch(h -> h.event().equals("queued")
        && h.detail().contains("spill from p1")));
    assertEquals(1, place(A, 0).reply().getValue().epoch());
  }

  @Test
  void registersWithAChosenPlaneAfterSubmitAndAgainAfterRecovery() {
    var coordinator = testKit.<org.soos.shared.protocol.CoordinatorProtocol.Command>createTestProbe();
    java.util.Map<PlaneId, akka.actor.typed.RecipientRef<org.soos.shared.protocol.CoordinatorProtocol.Command>> refs =
        java.util.Map.of(P0, coordinator.ref(), PlaneId.of("p1"), coordinator.ref());
    JobEntity.Links links = new JobEntity.Links(refs::get,
        () -> java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of()),
        java.util.List.of(P0), org.soos.shared.time.SimClock.warped(T0, 60),
        new JobSettings(java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(5)));
    var linked = EventSourcedBehaviorTestKit.<JobEntity.Command, JobEntity.Event, JobEntity.State>create(
        testKit.system(), JobEntity.create(JobId.of("job-linked"), links, null));

    linked.<StatusReply<JobView>>runCommand(r -> new JobEntity.Submit(SPEC, null, T0, r));
    var first = coordinator.expectMessageClass(org.soos.scheduler.coordinator.SoosCoordinator.RegisterJob.class);
    assertEquals(JobStatus.PENDING, first.job().state());
    assertEquals(P0, linked.getState().planeId(), "the only plane of the constellation");

    linked.<StatusReply<JobView>>runCommand(r -> new JobEntity.Place(A, P0, 1, "test", T0.plusSeconds(1), r));
    linked.restart();
    var again = coordinator.expectMessageClass(org.soos.scheduler.coordinator.SoosCoordinator.RegisterJob.class);
    assertEquals(JobStatus.PLACED, again.job().state());
    assertEquals(A, again.job().placement().tileId());

    linked.<StatusReply<JobView>>runCommand(r -> new JobEntity.Cancel("user", T0.plusSeconds(2), r));
    var cancelled = coordinator.expectMessageClass(org.soos.scheduler.coordinator.SoosCoordinator.RegisterJob.class);
    assertEquals(JobStatus.CANCELLED, cancelled.job().state());
    assertEquals(1, cancelled.job().placement().epoch(), "the coordinator stops epoch 1 on " + A);
  }
}
