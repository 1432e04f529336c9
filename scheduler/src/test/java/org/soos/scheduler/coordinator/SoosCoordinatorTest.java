package org.soos.scheduler.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.MemberStatus;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.TestConfigs;
import org.soos.scheduler.TestReports;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdateKind;
import org.soos.shared.protocol.CoordinatorProtocol.ReportTile;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.time.SimClock;

class SoosCoordinatorTest {
  private static final Duration REPORT_INTERVAL = Duration.ofMillis(200);
  private static final CoordinatorSettings SETTINGS =
      new CoordinatorSettings(REPORT_INTERVAL, 3, Duration.ofMinutes(10), 3);
  private static final Instant WALL_START = Instant.parse("2026-03-20T12:00:00Z");

  private static ActorTestKit testKit;
  private static ActorRef<TileProtocol.Command> tileRef;

  @BeforeAll
  static void startCluster() throws Exception {
    Path runDir = Files.createTempDirectory("soos-coordinator-test");
    testKit = ActorTestKit.create("soos", TestConfigs.scheduler(runDir, Map.of()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cluster.selfMember().status().equals(MemberStatus.up())) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("node did not come Up");
      Thread.sleep(50);
    }
    tileRef = testKit.createTestProbe(TileProtocol.Command.class).ref();
  }

  @AfterAll
  static void stopCluster() {
    testKit.shutdownTestKit();
  }

  /** A wall clock the test moves by hand. */
  private static final class ManualWall implements InstantSource {
    private final AtomicReference<Instant> now = new AtomicReference<>(WALL_START);

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  private static SimClock clockOn(ManualWall wall) {
    return new SimClock(TestReports.SIM_EPOCH, WALL_START, 60, wall);
  }

  private static ActorRef<CoordinatorProtocol.Command> spawn(String plane, ManualWall wall) {
    return testKit.spawn(SoosCoordinator.create(PlaneId.of(plane), SETTINGS, clockOn(wall), wall));
  }

  private static TileReport report(String tile, String plane, int minute, EclipseState state, double solarW,
      double budgetW, double soc, double junctionC) {
    return TestReports.report(tile, plane, TestReports.SIM_EPOCH.plus(Duration.ofMinutes(minute)), state, solarW,
        budgetW, soc, junctionC);
  }

  private static List<TileView> tiles(ActorRef<CoordinatorProtocol.Command> coordinator) {
    TestProbe<SoosCoordinator.Tiles> probe = testKit.createTestProbe(SoosCoordinator.Tiles.class);
    coordinator.tell(new SoosCoordinator.GetTiles(probe.ref()));
    return probe.receiveMessage().tiles();
  }

  private static Optional<TileView> tile(ActorRef<CoordinatorProtocol.Command> coordinator, String id) {
    TestProbe<SoosCoordinator.TileLookup> probe = testKit.createTestProbe(SoosCoordinator.TileLookup.class);
    coordinator.tell(new SoosCoordinator.GetTile(TileId.of(id), probe.ref()));
    SoosCoordinator.TileLookup lookup = probe.receiveMessage();
    assertEquals(TileId.of(id), lookup.tileId());
    return lookup.view();
  }

  private static Optional<PlaneSummary> published(String plane) throws Exception {
    return PlaneDirectory.summaries(testKit.system(), Duration.ofSeconds(3)).toCompletableFuture().get()
        .stream().filter(s -> s.planeId().equals(PlaneId.of(plane))).findFirst();
  }

  private static PlaneSummary awaitPublished(String plane, java.util.function.Predicate<PlaneSummary> until)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Optional<PlaneSummary> s = published(plane);
      if (s.isPresent() && until.test(s.get())) return s.get();
      if (System.nanoTime() > deadline) throw new AssertionError("plane " + plane + " not published as expected: " + s);
      Thread.sleep(25);
    }
  }

  @Test
  void keepsLatestReportPerTileWithItsSenderAndArrivalTimes() {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("latest", wall);
    coordinator.tell(new ReportTile(report("latest-t0", "latest", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    coordinator.tell(new ReportTile(report("latest-t1", "latest", 0, EclipseState.UMBRA, 0, 40, 50, 55), tileRef));
    tiles(coordinator); // handled before the wall moves
    wall.advance(Duration.ofMillis(100));
    coordinator.tell(new ReportTile(report("latest-t0", "latest", 1, EclipseState.PENUMBRA, 150, 90, 79, 61), tileRef));

    List<TileView> views = tiles(coordinator);
    assertEquals(List.of(TileId.of("latest-t0"), TileId.of("latest-t1")), views.stream().map(TileView::tileId).toList());
    TileView t0 = views.get(0);
    assertEquals(EclipseState.PENUMBRA, t0.report().eclipseState());
    assertEquals(TestReports.SIM_EPOCH.plus(Duration.ofMinutes(1)), t0.report().simTime());
    assertEquals(tileRef, t0.tile());
    assertEquals(WALL_START.plusMillis(100), t0.receivedAt());
    // 100 ms of wall time at 60x = 6 simulated seconds after the sim anchor.
    assertEquals(TestReports.SIM_EPOCH.plusSeconds(6), t0.receivedSimTime());
    assertFalse(t0.stale());
  }

  @Test
  void ignoresOutOfOrderReportsAndReportsOfOtherPlanes() {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("order", wall);
    coordinator.tell(new ReportTile(report("order-t0", "order", 5, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    coordinator.tell(new ReportTile(report("order-t0", "order", 4, EclipseState.UMBRA, 0, 40, 70, 50), tileRef));
    coordinator.tell(new ReportTile(report("order-t9", "elsewhere", 5, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));

    List<TileView> views = tiles(coordinator);
    assertEquals(1, views.size());
    assertEquals(EclipseState.SUNLIT, views.get(0).report().eclipseState());
    assertEquals(TestReports.SIM_EPOCH.plus(Duration.ofMinutes(5)), views.get(0).report().simTime());
  }

  @Test
  void answersGetTileForKnownTileAndEmptyForUnknownTile() {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("lookup", wall);
    coordinator.tell(new ReportTile(report("lookup-t0", "lookup", 0, EclipseState.UMBRA, 0, 40, 45, 52), tileRef));

    TileView view = tile(coordinator, "lookup-t0").orElseThrow();
    assertEquals(45, view.report().batteryStateOfChargePercent());
    assertTrue(tile(coordinator, "lookup-t7").isEmpty());
  }

  @Test
  void marksTileStaleAfterSilenceOfStaleAfterIntervals() {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("silence", wall);
    coordinator.tell(new ReportTile(report("silence-t0", "silence", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    coordinator.tell(new ReportTile(report("silence-t1", "silence", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    tiles(coordinator); // handled before the wall moves

    // Exactly the threshold (3 x 200 ms) is not yet stale.
    wall.advance(Duration.ofMillis(600));
    coordinator.tell(new ReportTile(report("silence-t1", "silence", 1, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    assertFalse(tile(coordinator, "silence-t0").orElseThrow().stale());

    tiles(coordinator);
    wall.advance(Duration.ofMillis(1));
    assertTrue(tile(coordinator, "silence-t0").orElseThrow().stale());
    assertFalse(tile(coordinator, "silence-t1").orElseThrow().stale());

    TestProbe<PlaneSummary> summaryProbe = testKit.createTestProbe(PlaneSummary.class);
    coordinator.tell(new SoosCoordinator.GetPlaneSummary(summaryProbe.ref()));
    PlaneSummary summary = summaryProbe.receiveMessage();
    assertEquals(2, summary.tileCount());
    assertEquals(1, summary.staleCount());
    assertEquals(1, summary.sunlitCount());

    // Reporting again makes it live.
    coordinator.tell(new ReportTile(report("silence-t0", "silence", 2, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    assertFalse(tile(coordinator, "silence-t0").orElseThrow().stale());
  }

  @Test
  void publishesPlaneSummaryIntoDistributedData() throws Exception {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("ddata", wall);
    coordinator.tell(new ReportTile(report("ddata-t0", "ddata", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    coordinator.tell(new ReportTile(report("ddata-t1", "ddata", 0, EclipseState.UMBRA, 0, 40, 50, 71), tileRef));
    coordinator.tell(new ReportTile(report("ddata-t2", "ddata", 0, EclipseState.PENUMBRA, 150, 90, 65, 65), tileRef));
    tiles(coordinator); // handled before the wall moves

    // The first report publishes at once; the next two wait for the next report interval.
    wall.advance(REPORT_INTERVAL);
    PlaneSummary summary = awaitPublished("ddata", s -> s.tileCount() == 3);
    assertEquals(0, summary.staleCount());
    assertEquals(1, summary.sunlitCount());
    assertEquals(2, summary.eclipsedCount());
    assertEquals(450, summary.totalSolarInputWatts(), 1e-9);
    assertEquals(280, summary.totalComputeBudgetWatts(), 1e-9);
    assertEquals((80 + 50 + 65) / 3.0, summary.meanBatteryStateOfChargePercent(), 1e-9);
    assertEquals(71, summary.maxJunctionTempCelsius(), 1e-9);
    assertEquals(List.of(TileId.of("ddata-t0"), TileId.of("ddata-t1"), TileId.of("ddata-t2")), summary.tileIds());
    assertEquals(WALL_START.plus(REPORT_INTERVAL), summary.updatedAt());
  }

  @Test
  void republishesSummaryAtMostOncePerReportInterval() throws Exception {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("rate", wall);
    coordinator.tell(new ReportTile(report("rate-t0", "rate", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    awaitPublished("rate", s -> s.tileCount() == 1);

    wall.advance(REPORT_INTERVAL.dividedBy(2));
    coordinator.tell(new ReportTile(report("rate-t1", "rate", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    tiles(coordinator); // the report has been handled
    // Several ticks pass in real time, but the coordinator's wall clock has not reached the interval.
    Thread.sleep(REPORT_INTERVAL.multipliedBy(2).toMillis());
    assertEquals(1, published("rate").orElseThrow().tileCount());

    wall.advance(REPORT_INTERVAL.dividedBy(2));
    assertEquals(2, awaitPublished("rate", s -> s.tileCount() == 2).tileCount());
  }

  @Test
  void removesItsPlaneFromTheDirectoryWhenStopped() throws Exception {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("gone", wall);
    coordinator.tell(new ReportTile(report("gone-t0", "gone", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    awaitPublished("gone", s -> s.tileCount() == 1);

    testKit.stop(coordinator);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (published("gone").isPresent()) {
      if (System.nanoTime() > deadline) throw new AssertionError("plane still in the directory after stop");
      Thread.sleep(25);
    }
  }

  @Test
  void keepsLatestUpdatePerJobBounded() {
    ManualWall wall = new ManualWall();
    ActorRef<CoordinatorProtocol.Command> coordinator = spawn("jobs", wall);
    TileId t0 = TileId.of("jobs-t0");
    coordinator.tell(new ReportTile(report("jobs-t0", "jobs", 0, EclipseState.SUNLIT, 300, 150, 80, 60), tileRef));
    coordinator.tell(new JobUpdate(t0, 0, JobId.of("a"), 1, JobUpdateKind.STARTED, 0, 0, null));
    coordinator.tell(new JobUpdate(t0, 1, JobId.of("b"), 1, JobUpdateKind.STARTED, 0, 0, null));
    coordinator.tell(new JobUpdate(t0, 0, JobId.of("a"), 1, JobUpdateKind.CHECKPOINTED, 120, 4096, null));
    coordinator.tell(new JobUpdate(t0, 2, JobId.of("c"), 2, JobUpdateKind.STARTED, 0, 0, null));
    // max-job-updates = 3: the oldest (b, untouched since its start) goes first.
    coordinator.tell(new JobUpdate(t0, 3, JobId.of("d"), 1, JobUpdateKind.SUSPENDED, 10, 0, "thermal-shutdown"));

    TestProbe<SoosCoordinator.JobUpdates> probe = testKit.createTestProbe(SoosCoordinator.JobUpdates.class);
    coordinator.tell(new SoosCoordinator.GetJobUpdates(probe.ref()));
    List<JobUpdate> updates = probe.receiveMessage().updates();
    assertEquals(List.of(JobId.of("a"), JobId.of("c"), JobId.of("d")), updates.stream().map(JobUpdate::jobId).toList());
    JobUpdate a = updates.get(0);
    assertEquals(JobUpdateKind.CHECKPOINTED, a.kind());
    assertEquals(4096, a.checkpointBytes());
    assertNotNull(updates.get(2).reason());
    assertNull(updates.get(1).reason());
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    Serializer serializer = serialization.findSerializerFor(message);
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void queriesRepliesAndDirectoryEntriesSurviveSerializationBetweenNodes() {
    TestProbe<SoosCoordinator.Tiles> tilesProbe = testKit.createTestProbe(SoosCoordinator.Tiles.class);
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    SoosCoordinator.GetTiles getTiles = new SoosCoordinator.GetTiles(tilesProbe.ref());

    TileView view = new TileView(report("ser-t0", "ser", 3, EclipseState.UMBRA, 0, 40, 44, 66), tileRef,
        WALL_START, TestReports.SIM_EPOCH, true);
    PlaneSummary summary = PlaneSummary.of(PlaneId.of("ser"), List.of(view), WALL_START, TestReports.SIM_EPOCH);
    org.soos.shared.job.JobSpec spec = new org.soos.shared.job.JobSpec("train", org.soos.shared.job.JobKind.SIMULATED,
        3600, 40, 8, 5, null, new org.soos.shared.job.JobSpec.CheckpointSpec(300, 1000, true), null, null);
    org.soos.scheduler.job.JobView jobView = new org.soos.scheduler.job.JobView(JobId.of("j1"),
        org.soos.scheduler.job.JobStatus.RUNNING, spec, 2,
        new org.soos.scheduler.job.JobEntity.Placement(TileId.of("ser-t0"), PlaneId.of("ser"), 1, 2, TestReports.SIM_EPOCH),
        null, 600, 700, 700 / 3600.0, 0, 1, TestReports.SIM_EPOCH, TestReports.SIM_EPOCH,
        List.of(new org.soos.scheduler.job.JobEntity.HistoryEntry(TestReports.SIM_EPOCH, "placed", 2, "ser-t0/orin-1")));
    assertNull(summary.meanBatteryStateOfChargePercent());
    List<Object> messages = List.of(
        new ReportTile(view.report(), tileRef),
        getTiles,
        new SoosCoordinator.GetTile(TileId.of("ser-t0"), testKit.createTestProbe(SoosCoordinator.TileLookup.class).ref()),
        new SoosCoordinator.GetPlaneSummary(testKit.createTestProbe(PlaneSummary.class).ref()),
        new SoosCoordinator.GetJobUpdates(testKit.createTestProbe(SoosCoordinator.JobUpdates.class).ref()),
        new SoosCoordinator.Tiles(PlaneId.of("ser"), List.of(view)),
        new SoosCoordinator.TileLookup(TileId.of("ser-t0"), view),
        new SoosCoordinator.TileLookup(TileId.of("ser-t1"), null),
        new SoosCoordinator.JobUpdates(PlaneId.of("ser"), List.of(new JobUpdate(TileId.of("ser-t0"), 1,
            JobId.of("j1"), 4, JobUpdateKind.COMPLETED, 3600, 0, null))),
        summary,
        new SoosCoordinator.RegisterJob(jobView),
        new SoosCoordinator.GetJobs(testKit.createTestProbe(SoosCoordinator.Jobs.class).ref()),
        new SoosCoordinator.Jobs(PlaneId.of("ser"), List.of(jobView)));
    for (Object message : messages) {
      // Bound to CBOR through the CborSerializable marker, not to any fallback serializer.
      assertEquals("JacksonCborSerializer", serialization.findSerializerFor(message).getClass().getSimpleName());
      assertEquals(message, roundTrip(message), message.getClass().getSimpleName());
    }

    LWWMap<String, PlaneSummary> directory = LWWMap.<String, PlaneSummary>create()
        .put(DistributedData.get(testKit.system()).selfUniqueAddress(), "ser", summary);
    @SuppressWarnings("unchecked")
    LWWMap<String, PlaneSummary> back = (LWWMap<String, PlaneSummary>) roundTrip(directory);
    assertEquals(summary, back.getEntries().get("ser"));
    assertEquals(1, back.size());
  }
}
