package org.soos.tile.orin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.id.TileId;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.thermal.ThermalSpec;
import org.soos.tile.exec.SimulatedExecutor;
import org.soos.tile.power.CommandRunner;
import org.soos.tile.power.FakeNvpModel;
import org.soos.tile.power.NvpModel;
import org.soos.tile.power.NvpModelControl;
import org.soos.tile.power.PowerModeControl;
import org.soos.tile.sensor.JetsonFixtures;
import org.soos.tile.support.TestSupport;

/** The mode in force reaches the hardware: coordinator requests, the thermal guard, through nvpmodel. */
class OrinServerPowerControlTest {
  private static ActorTestKit testKit;
  private static final Instant T0 = TestSupport.EPOCH;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("orin-power-test", TestSupport.testKitConfig());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private ActorRef<OrinServer.Command> orin(PowerModeControl control) {
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    return testKit.spawn(OrinServer.create(TileId.of("t1"), 0, OrinModule.AGX_ORIN_64GB, ThermalSpec.defaults(),
        Duration.ofSeconds(30), coordinator.ref(), new SimulatedExecutor(), control, T0, 20.0));
  }

  @Test
  void thermalGuardAndCoordinatorChangesGoToTheControl() {
    List<Integer> applied = new CopyOnWriteArrayList<>();
    ActorRef<OrinServer.Command> orin = orin(m -> applied.add(m.id()));
    TestProbe<OrinServer.Status> status = testKit.createTestProbe();
    TestProbe<TileProtocol.JobAck> acks = testKit.createTestProbe();
    orin.tell(new OrinServer.Advance(1, T0.plusSeconds(10), 40.0, status.ref()));
    status.receiveMessage();
    assertEquals(List.of(0), applied); // MAXN at start, once
    double hot = ThermalSpec.defaults().throttleTempCelsius() + 1.0;
    orin.tell(new OrinServer.Advance(2, T0.plusSeconds(20), hot, status.ref()));
    assertEquals(3, status.receiveMessage().report().powerModeId()); // one below MAXN: MODE_50W
    assertEquals(List.of(0, 3), applied);
    orin.tell(new OrinServer.Execute(new TileProtocol.SetPowerMode(0, 1, acks.ref()), T0.plusSeconds(21), status.ref()));
    status.receiveMessage();
    acks.receiveMessage();
    assertEquals(List.of(0, 3, 1), applied); // the coordinator asks for MODE_15W, below the thermal ceiling
  }

  @Test
  void boardModeSetsTheModeWithNvpmodel(@TempDir Path tmp) throws Exception {
    Path root = JetsonFixtures.root(JetsonFixtures.AGX_ORIN_JP6);
    FakeNvpModel fake = FakeNvpModel.install(tmp.resolve("bin"), root, 2);
    LinkedBlockingQueue<NvpModelControl.Outcome> outcomes = new LinkedBlockingQueue<>();
    try (NvpModelControl control = new NvpModelControl(
        new NvpModel(root, "nvpmodel", CommandRunner.onPath(fake.path())), outcomes::add)) {
      ActorRef<OrinServer.Command> orin = orin(control);
      NvpModelControl.Outcome first = outcomes.poll(20, TimeUnit.SECONDS);
      assertEquals(new NvpModelControl.Outcome(new PowerMode(0, "MAXN", 60, 1.0), null), first);
      assertEquals(0, fake.mode());
      TestProbe<OrinServer.Status> status = testKit.createTestProbe();
      orin.tell(new OrinServer.Advance(1, T0.plusSeconds(10), ThermalSpec.defaults().throttleTempCelsius() + 1.0,
          status.ref()));
      status.receiveMessage();
      NvpModelControl.Outcome second = outcomes.poll(20, TimeUnit.SECONDS);
      assertEquals(3, second.requested().id());
      assertEquals(null, second.error());
      assertEquals(3, fake.mode());
      assertEquals(List.of("-m 0", "-q", "-m 3", "-q"), fake.calls());
    }
  }
}
