package org.soos.tile.orin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.id.TileId;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdateKind;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.thermal.ThermalSpec;
import org.soos.tile.exec.SimulatedExecutor;
import org.soos.tile.support.TestSupport;

class OrinServerTest {
  private static ActorTestKit testKit;
  private static final Instant T0 = TestSupport.EPOCH;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("orin-server-test", TestSupport.testKitConfig());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private record Rig(ActorRef<OrinServer.Command> orin, TestProbe<CoordinatorProtocol.Command> coordinator,
      TestProbe<OrinServer.Status> status, TestProbe<TileProtocol.JobAck> acks) {

    OrinServer.Status advance(long round, double seconds, double junctionC) {
      orin.tell(new OrinServer.Advance(round, T0.plusMillis(Math.round(seconds * 1000)), junctionC, status.ref()));
      return status.receiveMessage();
    }

    TileProtocol.JobAck start(String job, long epoch, double seconds) {
      orin.tell(new OrinServer.Execute(new TileProtocol.StartJob(0, JobId.of(job), epoch,
          TestSupport.job(100_000, 50, 5, 1000), 0, acks.ref()), T0.plusMillis(Math.round(seconds * 1000)),
          status.ref()));
      status.receiveMessage();
      return acks.receiveMessage();
    }

    JobUpdate update() {
      return (JobUpdate) coordinator.receiveMessage();
    }
  }

  private Rig rig() {
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    ActorRef<OrinServer.Command> orin = testKit.spawn(OrinServer.create(TileId.of("t1"), 0, OrinModule.AGX_ORIN_64GB,
        ThermalSpec.defaults(), Duration.ofSeconds(30), coordinator.ref(), new SimulatedExecutor(), T0, 20.0));
    return new Rig(orin, coordinator, testKit.createTestProbe(), testKit.createTestProbe());
  }

  @Test
  void throttlesAboveTheThrottleTemperatureThenCheckpointsAndSuspendsAtShutdown() {
    Rig r = rig();
    assertTrue(r.start("hot", 1, 0).accepted());
    assertEquals(JobUpdateKind.STARTED, r.update().kind());
    OrinServer.Status s = r.advance(1, 60, 90.0);
    assertEquals(58.0, s.drawWatts(), 1e-9);
    assertEquals(OrinHealth.NOMINAL, s.report().health());

    s = r.advance(2, 120, 96.0);
    assertEquals(OrinHealth.THROTTLED, s.report().health());
    assertEquals("MODE_50W", s.report().powerModeName());
    assertEquals(40.0, s.drawWatts(), 1e-9);

    s = r.advance(3, 180, 104.6);
    assertEquals(OrinHealth.SHUTDOWN, s.report().health());
    assertEquals(0.0, s.drawWatts(), 0.0);
    JobUpdate suspended = r.update();
    assertEquals(JobUpdateKind.SUSPENDED, suspended.kind());
    assertEquals(OrinServer.THERMAL_SHUTDOWN, suspended.reason());
    // 120 s at MAXN (speed 1.0), then 60 s at MODE_50W (0.64): 158.4 GPU-s, all in the shutdown checkpoint.
    assertEquals(158.4, suspended.doneGpuSeconds(), 1e-6);
    assertEquals(1_000_000L, suspended.checkpointBytes());
    JobProgress p = s.report().jobs().get(0);
    assertEquals(JobProgress.JobRunState.SUSPENDED, p.state());

    TileProtocol.JobAck rejected = r.start("other", 1, 200);
    assertFalse(rejected.accepted());
    assertTrue(rejected.reason().startsWith(OrinServer.THERMAL_SHUTDOWN), rejected.reason());

    s = r.advance(4, 300, 80.0);
    assertEquals(OrinHealth.THROTTLED, s.report().health());
    assertEquals("MODE_15W", s.report().powerModeName());
  }

  @Test
  void rejectsStartJobWithAStaleEpoch() {
    Rig r = rig();
    assertTrue(r.start("j", 3, 0).accepted());
    r.update();
    TileProtocol.JobAck same = r.start("j", 3, 1);
    assertFalse(same.accepted());
    assertTrue(same.reason().startsWith(OrinServer.STALE_EPOCH), same.reason());
    TileProtocol.JobAck older = r.start("j", 2, 2);
    assertFalse(older.accepted());
    assertTrue(older.reason().startsWith(OrinServer.STALE_EPOCH), older.reason());
    assertTrue(r.start("j", 4, 3).accepted(), "a newer epoch takes over");
    JobUpdate started = r.update();
    assertEquals(4L, started.epoch());
  }

  @Test
  void ignoresAStaleStopAndObeysACurrentOne() {
    Rig r = rig();
    assertTrue(r.start("j", 5, 0).accepted());
    r.update();
    r.orin().tell(new OrinServer.Execute(new TileProtocol.StopJob(0, JobId.of("j"), 4, "old"), T0.plusSeconds(10),
        r.status().ref()));
    assertEquals(1, r.status().receiveMessage().running().size());
    r.coordinator().expectNoMessage(Duration.ofMillis(100));
    r.orin().tell(new OrinServer.Execute(new TileProtocol.StopJob(0, JobId.of("j"), 5, "cancelled"),
        T0.plusSeconds(20), r.status().ref()));
    assertEquals(0, r.status().receiveMessage().running().size());
    JobUpdate stopped = r.update();
    assertEquals(JobUpdateKind.STOPPED, stopped.kind());
    assertEquals("cancelled", stopped.reason());
    assertEquals(20.0, stopped.doneGpuSeconds(), 1e-6);
  }

  @Test
  void rejectsAJobThatDoesNotFitInMemory() {
    Rig r = rig();
    r.orin().tell(new OrinServer.Execute(new TileProtocol.StartJob(0, JobId.of("big"), 1,
        new org.soos.shared.job.JobSpec("big", org.soos.shared.job.JobKind.SIMULATED, 100, 30, 80, 5, null, null,
            null, null), 0, r.acks().ref()), T0, r.status().ref()));
    TileProtocol.JobAck ack = r.acks().receiveMessage();
    assertFalse(ack.accepted());
    assertTrue(ack.reason().startsWith(OrinServer.NO_MEMORY), ack.reason());
  }

  @Test
  void checkpointsOnRequestAndStopsAfterIt() {
    Rig r = rig();
    assertTrue(r.start("m", 7, 0).accepted());
    r.update();
    r.orin().tell(new OrinServer.Execute(new TileProtocol.CheckpointJob(0, JobId.of("m"), 7, true, r.acks().ref()),
        T0.plusSeconds(50), r.status().ref()));
    assertTrue(r.acks().receiveMessage().accepted());
    JobUpdate cp = r.update();
    assertEquals(JobUpdateKind.CHECKPOINTED, cp.kind());
    assertEquals(50.0, cp.doneGpuSeconds(), 1e-6);
    assertEquals(JobUpdateKind.STOPPED, r.update().kind());
  }

  @Test
  void periodicCheckpointsAndCompletionAreReported() {
    Rig r = rig();
    r.orin().tell(new OrinServer.Execute(new TileProtocol.StartJob(0, JobId.of("short"), 1,
        TestSupport.job(300, 40, 5, 120), 0, r.acks().ref()), T0, r.status().ref()));
    assertTrue(r.acks().receiveMessage().accepted());
    assertEquals(JobUpdateKind.STARTED, r.update().kind());
    r.advance(1, 1000, 50.0);
    JobUpdate first = r.update();
    assertEquals(JobUpdateKind.CHECKPOINTED, first.kind());
    assertEquals(120.0, first.doneGpuSeconds(), 1e-6);
    assertEquals(240.0, r.update().doneGpuSeconds(), 1e-6);
    JobUpdate done = r.update();
    assertEquals(JobUpdateKind.COMPLETED, done.kind());
    assertEquals(300.0, done.doneGpuSeconds(), 1e-6);
  }
}
