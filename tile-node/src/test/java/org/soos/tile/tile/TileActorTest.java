package org.soos.tile.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdateKind;
import org.soos.shared.protocol.CoordinatorProtocol.ReportTile;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.OrinReport.OrinHealth;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.thermal.ThermalSpec;
import org.soos.shared.tile.TileInitialConditions;
import org.soos.shared.tile.TileSpec;
import org.soos.shared.time.SimClock;
import org.soos.tile.exec.SimulatedExecutor;
import org.soos.tile.orin.OrinServer;
import org.soos.tile.sensor.SimulatedTileSensors;
import org.soos.tile.support.TestSupport;

class TileActorTest {
  private static final double PERIOD = 5738.0;
  private static ActorTestKit testKit;
  private static ExecutorService predictions;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("tile-actor-test", TestSupport.testKitConfig());
    predictions = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    predictions.shutdownNow();
  }

  /** A TILE wired to a probe instead of the sharded coordinator. */
  private record Rig(ActorRef<TileProtocol.Command> tile, TestProbe<CoordinatorProtocol.Command> coordinator,
      SimClock clock) {

    ReportTile report(Predicate<TileReport> p, Duration max) {
      return awaitMessage(ReportTile.class, r -> p.test(r.report()), max);
    }

    JobUpdate update(Predicate<JobUpdate> p, Duration max) {
      return awaitMessage(JobUpdate.class, p, max);
    }

    <T> T awaitMessage(Class<T> type, Predicate<T> p, Duration max) {
      long deadline = System.nanoTime() + max.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no matching " + type.getSimpleName() + " within " + max);
        CoordinatorProtocol.Command m = coordinator.receiveMessage(Duration.ofNanos(left));
        if (type.isInstance(m) && p.test(type.cast(m))) return type.cast(m);
      }
    }
  }

  private Rig rig(String tileId, TileSpec spec, TileInitialConditions initial, Instant simStart, double warp,
      EclipseSource eclipses, String settingsOverrides) {
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    SimClock clock = SimClock.warped(simStart, warp);
    TileSettings settings = TestSupport.settings(settingsOverrides);
    TileActor.Wiring wiring = new TileActor.Wiring(clock, plane -> coordinator.ref(), eclipses, predictions,
        new SimulatedExecutor(), SimulatedTileSensors.factory(initial, settings.maxSubStep()));
    TileOrbit orbit = TestSupport.orbit(tileId, "p0");
    ActorRef<TileProtocol.Command> tile = testKit.spawn(TileActor.create(orbit, spec, settings, wiring, Duration.ZERO),
        "tile-" + tileId);
    return new Rig(tile, coordinator, clock);
  }

  private static EclipseSource regularEclipses(double firstEntrySeconds) {
    return TestSupport.syntheticEclipses(PERIOD, firstEntrySeconds, 2136);
  }

  @Test
  void reportsEveryFieldToItsPlaneCoordinator() throws Exception {
    Rig rig = rig("t-fields", TileSpec.defaults(), TileInitialConditions.defaults(), TestSupport.at(600), 60,
        regularEclipses(3000), "soos.tile.report-interval = 200ms");
    ReportTile msg = rig.report(r -> true, Duration.ofSeconds(10));
    TileReport r = msg.report();
    assertEquals("t-fields", r.tileId().value());
    assertEquals("p0", r.planeId().value());
    assertTrue(!r.simTime().isBefore(TestSupport.at(600)) && !r.simTime().isAfter(rig.clock().now()), r.simTime().toString());
    assertEquals(EclipseState.SUNLIT, r.eclipseState());
    assertEquals(1.0, r.sunlitFraction(), 0.0);
    assertEquals(10.0, r.betaAngleDeg(), 1e-9);
    assertEquals(3, r.nextEclipses().size());
    EclipseWindow last = r.nextEclipses().get(2);
    assertTrue(Duration.between(r.simTime(), last.end()).toSeconds() >= 2 * PERIOD, "eclipses at least two orbits ahead");
    assertEquals(TestSupport.at(3000), r.nextEclipses().get(0).penumbraStart());
    assertTrue(r.solarInputWatts() > 360 && r.solarInputWatts() < 380, "solar " + r.solarInputWatts());
    assertEquals(52.0, r.loadWatts(), 1e-9);
    assertEquals(200.0, r.batteryEnergyWh(), 1e-6);
    assertEquals(200.0, r.batteryCapacityWh(), 0.0);
    assertEquals(50.0, r.batteryReserveWh(), 0.0);
    assertEquals(100.0, r.batteryStateOfChargePercent(), 1e-6);
    assertTrue(r.computeBudgetWatts() > 100 && r.computeBudgetWatts() <= 240, "budget " + r.computeBudgetWatts());
    List<BudgetForecastPoint> forecast = r.forecast();
    assertTrue(forecast.size() >= 30, "forecast points " + forecast.size());
    assertFalse(forecast.get(0).at().isBefore(r.simTime()));
    assertTrue(forecast.stream().anyMatch(p -> p.solarInputWatts() == 0.0), "the forecast sees the eclipse");
    assertTrue(r.plateTempCelsius() > 19 && r.plateTempCelsius() < 40, "plate " + r.plateTempCelsius());
    assertFalse(r.shedding());
    assertEquals(4, r.orins().size());
    for (int slot = 0; slot < 4; slot++) {
      OrinReport o = r.orins().get(slot);
      assertEquals(slot, o.slot());
      assertEquals("MAXN", o.powerModeName());
      assertEquals(8.0, o.drawWatts(), 1e-9);
      assertEquals(OrinHealth.NOMINAL, o.health());
      // The junction trails the plate and settles 0.4 K/W x 8 W above it.
      assertEquals(r.plateTempCelsius(), o.junctionTempCelsius(), 4.0);
      assertTrue(o.jobs().isEmpty());
    }
    assertEquals(rig.tile(), msg.tile());

    // What the coordinator gets over the wire: the report survives the CBOR round trip.
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    Serializer serializer = serialization.findSerializerFor(msg);
    assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName());
    byte[] bytes = serialization.serialize(msg).get();
    Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, msg)).get();
    assertEquals(msg, back);
  }

  @Test
  void reportsAtEclipseEntryAtThePredictedEdge() {
    var orbit = TestSupport.orbit("t-edge", "p0").orbit();
    List<EclipseWindow> windows = EclipsePredictor.predict(orbit, TestSupport.EPOCH, TestSupport.at(4 * PERIOD));
    EclipseWindow w = windows.stream().filter(x -> x.penumbraStart() != null && x.umbraStart() != null
        && x.penumbraStart().isAfter(TestSupport.at(1800))).findFirst().orElseThrow();
    double warp = 600;
    Instant simStart = w.penumbraStart().minusSeconds(1800); // 3 s of wall time before the edge
    Rig rig = rig("t-edge", TileSpec.defaults(), TileInitialConditions.defaults(), simStart, warp,
        EclipseSource.orekit(), "");

    ReportTile entry = rig.report(r -> r.eclipseState() != EclipseState.SUNLIT, Duration.ofSeconds(20));
    Instant receivedAt = rig.clock().now();
    TileReport r = entry.report();
    assertEquals(EclipseState.PENUMBRA, r.eclipseState());
    assertTrue(Math.abs(Duration.between(w.penumbraStart(), r.simTime()).toMillis()) <= 2000,
        "entry report at " + r.simTime() + ", predicted " + w.penumbraStart());
    assertTrue(Duration.between(r.simTime(), receivedAt).toSeconds() <= 120,
        "entry report arrived " + Duration.between(r.simTime(), receivedAt).toSeconds() + " simulated s late");

    ReportTile umbra = rig.report(x -> x.eclipseState() == EclipseState.UMBRA, Duration.ofSeconds(10));
    assertTrue(Math.abs(Duration.between(w.umbraStart(), umbra.report().simTime()).toMillis()) <= 2000,
        "umbra report at " + umbra.report().simTime() + ", predicted " + w.umbraStart());
    assertEquals(0.0, umbra.report().solarInputWatts(), 0.0);
  }

  @Test
  void orinThermalGuardThrottlesThenCheckpointsAndSuspendsOnAHotTile() {
    ThermalSpec d = ThermalSpec.defaults();
    ThermalSpec hot = new ThermalSpec(d.plateHeatCapacityJoulesPerKelvin(), d.solarFaceAreaM2(),
        d.solarFaceAbsorptance(), d.solarFaceEmissivity(), d.radiatorAreaM2(), d.radiatorEmissivity(),
        d.radiatorSolarAbsorptance(), d.earthViewFactor(), d.earthIrWattsPerM2(), d.albedo(), d.sinkTempKelvin(),
        d.junctionHeatCapacityJoulesPerKelvin(), 1.5, d.throttleTempCelsius(), d.shutdownTempCelsius(),
        d.throttleHysteresisKelvin());
    TileSpec base = TileSpec.defaults();
    TileSpec spec = new TileSpec(base.solar(), base.battery(), hot, base.orins(), base.housekeepingWatts());
    Rig rig = rig("t-hot", spec, new TileInitialConditions(100, 90), TestSupport.at(600), 120,
        regularEclipses(30_000), "soos.tile.report-interval = 200ms");
    rig.report(r -> true, Duration.ofSeconds(10));
    TestProbe<TileProtocol.JobAck> acks = testKit.createTestProbe();
    rig.tile().tell(new TileProtocol.StartJob(0, JobId.of("hot-job"), 1, TestSupport.job(1e6, 52, 5, 600), 0,
        acks.ref()));
    assertTrue(acks.receiveMessage().accepted());

    rig.report(r -> r.orins().get(0).health() == OrinHealth.THROTTLED, Duration.ofSeconds(15));
    JobUpdate suspended = rig.update(u -> u.kind() == JobUpdateKind.SUSPENDED, Duration.ofSeconds(30));
    assertEquals(OrinServer.THERMAL_SHUTDOWN, suspended.reason());
    assertEquals(JobId.of("hot-job"), suspended.jobId());
    assertTrue(suspended.doneGpuSeconds() > 0, "the checkpoint covers the work done");
    TileReport down = rig.report(r -> r.orins().get(0).health() == OrinHealth.SHUTDOWN, Duration.ofSeconds(5)).report();
    assertEquals(0.0, down.orins().get(0).drawWatts(), 0.0);
    assertTrue(down.orins().get(0).junctionTempCelsius() >= d.shutdownTempCelsius() - 5,
        "junction " + down.orins().get(0).junctionTempCelsius());
  }

  @Test
  void shedsLoadAtTheBatteryReserveFloor() {
    // In umbra from the start, 60 Wh stored (10 Wh above the floor).
    Rig rig = rig("t-shed", TileSpec.defaults(), new TileInitialConditions(30, 20), TestSupport.at(60), 60,
        regularEclipses(0), "soos.tile.report-interval = 200ms");
    TileReport first = rig.report(r -> true, Duration.ofSeconds(10)).report();
    assertEquals(EclipseState.UMBRA, first.eclipseState());
    assertFalse(first.shedding());
    TestProbe<TileProtocol.JobAck> acks = testKit.createTestProbe();
    for (int slot = 0; slot < 4; slot++) {
      rig.tile().tell(new TileProtocol.StartJob(slot, JobId.of("job-" + slot), 1,
          TestSupport.job(1e6, 50, slot + 1, 60), 0, acks.ref()));
      assertTrue(acks.receiveMessage().accepted());
    }
    Set<JobId> suspended = new HashSet<>();
    while (suspended.size() < 4) {
      JobUpdate u = rig.update(x -> x.kind() == JobUpdateKind.SUSPENDED, Duration.ofSeconds(10));
      assertEquals(TileActor.BATTERY_FLOOR, u.reason());
      suspended.add(u.jobId());
    }
    TileReport shedding = rig.report(TileReport::shedding, Duration.ofSeconds(5)).report();
    assertTrue(shedding.batteryEnergyWh() >= shedding.batteryReserveWh() - 1e-6,
        "shed before the floor: " + shedding.batteryEnergyWh() + " Wh");
    assertEquals(0.0, shedding.computeBudgetWatts(), 1.0);
    for (OrinReport o : shedding.orins()) {
      assertTrue(o.jobs().stream().noneMatch(j -> j.state() == org.soos.shared.telemetry.JobProgress.JobRunState.RUNNING));
    }
    rig.tile().tell(new TileProtocol.StartJob(0, JobId.of("late"), 1, TestSupport.job(100, 50, 9, 60), 0, acks.ref()));
    TileProtocol.JobAck ack = acks.receiveMessage();
    assertFalse(ack.accepted());
    assertTrue(ack.reason().startsWith(TileActor.BATTERY_FLOOR), ack.reason());
  }

  @Test
  void rejectsStaleEpochsAndBadSlots() {
    Rig rig = rig("t-epoch", TileSpec.defaults(), TileInitialConditions.defaults(), TestSupport.at(600), 60,
        regularEclipses(3000), "soos.tile.report-interval = 200ms");
    TestProbe<TileProtocol.JobAck> acks = testKit.createTestProbe();
    rig.tile().tell(new TileProtocol.StartJob(2, JobId.of("e"), 5, TestSupport.job(1e6, 20, 5, 60), 0, acks.ref()));
    assertTrue(acks.receiveMessage().accepted());
    rig.tile().tell(new TileProtocol.StartJob(2, JobId.of("e"), 4, TestSupport.job(1e6, 20, 5, 60), 0, acks.ref()));
    TileProtocol.JobAck stale = acks.receiveMessage();
    assertFalse(stale.accepted());
    assertEquals(4L, stale.epoch());
    assertTrue(stale.reason().startsWith("stale-epoch"), stale.reason());
    rig.tile().tell(new TileProtocol.StartJob(7, JobId.of("x"), 1, TestSupport.job(10, 20, 5, 60), 0, acks.ref()));
    TileProtocol.JobAck bad = acks.receiveMessage();
    assertFalse(bad.accepted());
    assertTrue(bad.reason().startsWith("bad-slot"), bad.reason());
  }

  @Test
  void aJobRunsToCompletionAndTheCoordinatorHearsIt() {
    Rig rig = rig("t-done", TileSpec.defaults(), TileInitialConditions.defaults(), TestSupport.at(600), 60,
        regularEclipses(3000), "soos.tile.report-interval = 200ms");
    TestProbe<TileProtocol.JobAck> acks = testKit.createTestProbe();
    rig.tile().tell(new TileProtocol.StartJob(1, JobId.of("quick"), 3, TestSupport.job(90, 30, 5, 40), 0, acks.ref()));
    assertTrue(acks.receiveMessage().accepted());
    JobUpdate started = rig.update(u -> u.kind() == JobUpdateKind.STARTED, Duration.ofSeconds(5));
    assertEquals(1, started.slot());
    assertEquals("t-done", started.tileId().value());
    TileReport running = rig.report(r -> !r.orins().get(1).jobs().isEmpty(), Duration.ofSeconds(5)).report();
    assertEquals(38.0, running.orins().get(1).drawWatts(), 1e-9);
    JobUpdate done = rig.update(u -> u.kind() == JobUpdateKind.COMPLETED, Duration.ofSeconds(10));
    assertEquals(JobId.of("quick"), done.jobId());
    assertEquals(3L, done.epoch());
    assertEquals(90.0, done.doneGpuSeconds(), 1e-6);
    TileReport after = rig.report(r -> r.orins().get(1).jobs().stream()
        .anyMatch(j -> j.state() == org.soos.shared.telemetry.JobProgress.JobRunState.COMPLETED), Duration.ofSeconds(5))
        .report();
    assertNotNull(after);
    assertEquals(8.0, after.orins().get(1).drawWatts(), 1e-9);
  }
}
