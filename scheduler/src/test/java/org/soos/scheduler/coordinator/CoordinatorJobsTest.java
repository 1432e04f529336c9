package org.soos.scheduler.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.TestConfigs;
import org.soos.scheduler.TestReports;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobSettings;
import org.soos.scheduler.job.JobStatus;
import org.soos.scheduler.job.JobView;
import org.soos.scheduler.persistence.JournalSchema;
import org.soos.scheduler.persistence.JournalSettings;
import org.soos.scheduler.policy.PolicySettings;
import org.soos.scheduler.policy.SoosPolicy;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.protocol.CoordinatorProtocol;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdate;
import org.soos.shared.protocol.CoordinatorProtocol.JobUpdateKind;
import org.soos.shared.protocol.TileProtocol;
import org.soos.shared.telemetry.BudgetForecastPoint;
import org.soos.shared.telemetry.JobProgress;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;
import org.soos.shared.time.SimClock;

/**
 * A plane coordinator with real job entities (H2 journal) and test probes standing in for TILE actors:
 * the tests play the TILEs' part (reports, acknowledgements, Orin job updates) and watch the commands.
 */
class CoordinatorJobsTest {
  /** Simulated seconds per wall second: a 30 s decision round every 100 ms. */
  private static final double WARP = 300;
  private static final Duration REPORT_INTERVAL = Duration.ofMillis(200);
  private static final CoordinatorSettings SETTINGS = new CoordinatorSettings(REPORT_INTERVAL, 2, Duration.ofMinutes(10),
      100, Duration.ofSeconds(30), 5, Duration.ofHours(10), Duration.ofSeconds(2), Duration.ofSeconds(30),
      Duration.ofSeconds(5));
  /** The reference policy with a short hysteresis, so that a move can follow a placement within the test. */
  private static final PolicySettings POLICY = withMinResidence(PolicySettings.defaults(), Duration.ofMinutes(1));
  private static final JobSpec SPEC = new JobSpec("train", JobKind.SIMULATED, 3600, 40, 8, 5, null,
      new JobSpec.CheckpointSpec(300, 1_000_000_000L, true), null, null);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static ActorTestKit testKit;
  private static ScheduledExecutorService reporter;

  private Rig rig;

  @BeforeAll
  static void startCluster() throws Exception {
    Path runDir = Files.createTempDirectory("soos-coordinator-jobs-test");
    Config config = TestConfigs.scheduler(runDir, Map.of());
    JournalSchema.apply(JournalSettings.fromConfig(config));
    testKit = ActorTestKit.create("soos", config);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cluster.selfMember().status().equals(MemberStatus.up())) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("node did not come Up");
      Thread.sleep(50);
    }
    reporter = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stopCluster() {
    reporter.shutdownNow();
    testKit.shutdownTestKit();
  }

  @AfterEach
  void stopRig() {
    if (rig != null) rig.close();
  }

  private static PolicySettings withMinResidence(PolicySettings d, Duration minResidence) {
    return new PolicySettings(d.throttleTempCelsius(), d.thermalMarginCelsius(), d.junctionToPlateKelvinPerWatt(),
        d.batteryMarginWh(), d.chargeEfficiency(), d.dischargeEfficiency(), d.forecastHorizon(), d.migrationLead(),
        minResidence, d.maxMigrationsPerDecision(), d.inPlaneLinkBitsPerSecond(), d.crossPlaneLinkBitsPerSecond(),
        d.linkPowerWatts(), d.maxReportAge());
  }

  // ---------------------------------------------------------------- the rig

  /** What one emulated TILE reports; the test changes it, a reporter thread sends it. */
  private static final class FakeTile {
    final TileId tileId;
    final PlaneId planeId;
    /** Where the TILE's commands go; a new probe plays the TILE after its tile-node restarted. */
    volatile TestProbe<TileProtocol.Command> probe;
    final Map<Integer, List<JobProgress>> jobs = new ConcurrentHashMap<>();
    volatile boolean reporting;
    /** True: battery a few Wh above its reserve, in the dark for the next 40 minutes. */
    volatile boolean runningShort;
    /** What the Orins' thermal guards report. */
    volatile OrinReport.OrinHealth health = OrinReport.OrinHealth.NOMINAL;
    /** An Orin slot at its shutdown temperature (thermal emergency), or -1. */
    volatile int shutdownSlot = -1;

    FakeTile(TileId tileId, PlaneId planeId, TestProbe<TileProtocol.Command> probe) {
      this.tileId = tileId;
      this.planeId = planeId;
      this.probe = probe;
    }

    TileReport report(Instant now) {
      boolean dark = runningShort;
      double capacityWh = 2000;
      double reserveWh = 50;
      double energyWh = dark ? 62 : 2000;
      double solarWatts = dark ? 0 : 350;
      List<BudgetForecastPoint> forecast = new ArrayList<>();
      for (int minute = 0; minute <= 200; minute += 5) {
        double solar = dark && minute < 40 ? 0 : 350;
        forecast.add(new BudgetForecastPoint(now.plus(Duration.ofMinutes(minute)), solar, solar * 0.6, energyWh));
      }
      List<OrinReport> orins = new ArrayList<>();
      double load = 20;
      for (int slot = 0; slot < 4; slot++) {
        List<JobProgress> onSlot = jobs.getOrDefault(slot, List.of());
        boolean busy = onSlot.stream().anyMatch(p -> p.state() == JobProgress.JobRunState.RUNNING);
        OrinModule module = OrinModule.AGX_ORIN_64GB;
        double draw = busy ? module.idleWatts() + 40 : module.idleWatts();
        load += draw;
        boolean hot = slot == shutdownSlot;
        orins.add(new OrinReport(slot, module, module.maxMode().id(), module.maxMode().name(), draw, hot ? 105 : 50,
            hot ? OrinReport.OrinHealth.SHUTDOWN : health, List.copyOf(onSlot)));
      }
      return new TileReport(tileId, planeId, now, dark ? EclipseState.UMBRA : EclipseState.SUNLIT, dark ? 0 : 1, 20,
          List.of(), solarWatts, load, energyWh, capacityWh, reserveWh, 100 * energyWh / capacityWh,
          dark ? 0 : 200, forecast, 30, false, orins);
    }

    void runs(int slot, JobId job, long epoch, double doneGpuSeconds) {
      jobs.put(slot, List.of(new JobProgress(job, epoch, JobProgress.JobRunState.RUNNING, doneGpuSeconds,
          SPEC.workGpuSeconds(), 0)));
    }

    void stopped(int slot) {
      jobs.put(slot, List.of());
    }
  }

  /**
   * Coordinators of their own planes (named by the TILE ids, {@code <plane>-t<n>}), their job entities,
   * their fake TILEs and the reporter feeding them. Jobs are queued by the first plane.
   */
  private static final class Rig implements AutoCloseable {
    final PlaneId plane;
    final CoordinatorSettings settings;
    final SimClock clock = new SimClock(TestReports.SIM_EPOCH, Instant.now(), WARP, InstantSource.system());
    final Map<JobId, ActorRef<JobEntity.Command>> entities = new ConcurrentHashMap<>();
    final Map<PlaneId, ActorRef<CoordinatorProtocol.Command>> coordinators = new ConcurrentHashMap<>();
    final Map<TileId, FakeTile> tiles = new ConcurrentHashMap<>();
    final JobEntity.Links jobLinks;
    final SoosCoordinator.JobLinks coordinatorLinks;
    final java.util.concurrent.ScheduledFuture<?> reporting;

    Rig(String plane, String... tileIds) {
      this(SETTINGS, plane, tileIds);
    }

    Rig(CoordinatorSettings settings, String plane, String... tileIds) {
      this.plane = PlaneId.of(plane);
      this.settings = settings;
      this.jobLinks = new JobEntity.Links(coordinators::get, () -> CompletableFuture.completedFuture(List.of()),
          List.of(this.plane), clock, new JobSettings(Duration.ofMillis(300), Duration.ofMinutes(1)));
      this.coordinatorLinks = new SoosCoordinator.JobLinks(entities::get, new SoosPolicy(POLICY), POLICY);
      for (String id : tileIds) {
        TileId tileId = TileId.of(id);
        int cut = id.lastIndexOf("-t");
        PlaneId tilePlane = cut > 0 ? PlaneId.of(id.substring(0, cut)) : this.plane;
        tiles.put(tileId, new FakeTile(tileId, tilePlane, testKit.createTestProbe(TileProtocol.Command.class)));
        if (!coordinators.containsKey(tilePlane)) startCoordinator(tilePlane);
      }
      if (!coordinators.containsKey(this.plane)) startCoordinator(this.plane);
      this.reporting = reporter.scheduleAtFixedRate(this::reportAll, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** The coordinator of the first plane. */
    ActorRef<CoordinatorProtocol.Command> coordinator() {
      return coordinators.get(plane);
    }

    void startCoordinator(PlaneId p) {
      coordinators.put(p, testKit.spawn(SoosCoordinator.create(p, settings, clock, InstantSource.system(),
          coordinatorLinks)));
    }

    void reportAll() {
      Instant now = clock.now();
      for (FakeTile t : tiles.values()) {
        ActorRef<CoordinatorProtocol.Command> c = coordinators.get(t.planeId);
        if (t.reporting && c != null) c.tell(new CoordinatorProtocol.ReportTile(t.report(now), t.probe.ref()));
      }
    }

    FakeTile tile(String id) {
      return tiles.get(TileId.of(id));
    }

    JobId submit(String id) {
      return submit(id, SPEC);
    }

    JobId submit(String id, JobSpec spec) {
      JobId jobId = JobId.of(plane.value() + "-" + id);
      ActorRef<JobEntity.Command> entity = testKit.spawn(JobEntity.create(jobId, jobLinks, null));
      entities.put(jobId, entity);
      TestProbe<StatusReply<JobView>> reply = testKit.createTestProbe();
      entity.tell(new JobEntity.Submit(spec, null, clock.now(), reply.ref()));
      assertEquals(JobStatus.PENDING, reply.receiveMessage().getValue().state());
      return jobId;
    }

    JobView view(JobId id) {
      TestProbe<StatusReply<JobView>> reply = testKit.createTestProbe();
      entities.get(id).tell(new JobEntity.Get(reply.ref()));
      return reply.receiveMessage().getValue();
    }

    JobView awaitView(JobId id, Predicate<JobView> wanted, String what) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      JobView last = null;
      while (System.nanoTime() < deadline) {
        last = view(id);
        if (wanted.test(last)) return last;
        Thread.sleep(50);
      }
      throw new AssertionError("job " + id + " never " + what + "; last: " + last);
    }

    /** Plays an Orin that takes the job: acknowledges, runs it, reports STARTED. */
    TileProtocol.StartJob acceptStart(FakeTile tile) {
      TileProtocol.StartJob start = expect(tile, TileProtocol.StartJob.class);
      start.replyTo().tell(new TileProtocol.JobAck(start.jobId(), start.epoch(), true, null));
      tile.runs(start.slot(), start.jobId(), start.epoch(), start.resumeFromGpuSeconds());
      coordinators.get(tile.planeId).tell(new JobUpdate(tile.tileId, start.slot(), start.jobId(), start.epoch(),
          JobUpdateKind.STARTED, start.resumeFromGpuSeconds(), 0, null));
      return start;
    }

    @Override
    public void close() {
      reporting.cancel(false);
      coordinators.values().forEach(testKit::stop);
      entities.values().forEach(testKit::stop);
    }
  }

  /** The next message of class {@code type} the TILE receives, skipping others. */
  private static <T extends TileProtocol.Command> T expect(FakeTile tile, Class<T> type) {
    List<TileProtocol.Command> seen = tile.probe.fishForMessage(WAIT,
        m -> type.isInstance(m) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return type.cast(seen.get(seen.size() - 1));
  }

  // ---------------------------------------------------------------- tests

  @Test
  void placesAPendingJobWithStartJobAtEpochOne() throws Exception {
    rig = new Rig("place", "place-t0");
    FakeTile t0 = rig.tile("place-t0");
    t0.reporting = true;
    JobId job = rig.submit("a");

    TileProtocol.StartJob start = rig.acceptStart(t0);
    assertEquals(job, start.jobId());
    assertEquals(1, start.epoch());
    assertEquals(0.0, start.resumeFromGpuSeconds());
    assertEquals(SPEC, start.spec());

    JobView running = rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran");
    assertEquals(TileId.of("place-t0"), running.placement().tileId());
    assertEquals(start.slot(), running.placement().slot());
    assertEquals(1, running.epoch());
  }

  @Test
  void migratesAJobOffATileAboutToRunShortCheckpointFirstThenANewEpoch() throws Exception {
    rig = new Rig("move", "move-a", "move-b");
    FakeTile a = rig.tile("move-a");
    FakeTile b = rig.tile("move-b");
    a.reporting = true;
    JobId job = rig.submit("m");
    TileProtocol.StartJob first = rig.acceptStart(a);
    assertEquals(1, first.epoch());
    rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran");
    // Let the hysteresis (1 min simulated = 0.2 s) pass, then A's battery runs short in the dark.
    Thread.sleep(400);
    b.reporting = true;
    a.runningShort = true;

    TileProtocol.CheckpointJob checkpoint = expect(a, TileProtocol.CheckpointJob.class);
    assertEquals(job, checkpoint.jobId());
    assertEquals(first.slot(), checkpoint.slot());
    assertEquals(1, checkpoint.epoch(), "the checkpoint is taken under the current epoch");
    assertTrue(checkpoint.stopAfter());
    assertEquals(JobStatus.CHECKPOINTING, rig.view(job).state());
    b.probe.expectNoMessage(Duration.ofMillis(300)); // nothing starts before the source has stopped
    checkpoint.replyTo().tell(new TileProtocol.JobAck(job, 1, true, null));
    a.stopped(first.slot());
    rig.coordinator().tell(new JobUpdate(a.tileId, first.slot(), job, 1, JobUpdateKind.CHECKPOINTED, 1200,
        1_000_000_000L, "requested"));
    rig.coordinator().tell(new JobUpdate(a.tileId, first.slot(), job, 1, JobUpdateKind.STOPPED, 1200,
        1_000_000_000L, "checkpoint-and-stop"));

    TileProtocol.StartJob second = rig.acceptStart(b);
    assertEquals(job, second.jobId());
    assertEquals(2, second.epoch());
    assertEquals(1200, second.resumeFromGpuSeconds(), 1e-9);

    JobView moved = rig.awaitView(job, v -> v.state() == JobStatus.RUNNING && v.epoch() == 2, "ran on B");
    assertEquals(b.tileId, moved.placement().tileId());
    assertEquals(1, moved.migrations());
    List<String> events = moved.history().stream().map(JobEntity.HistoryEntry::event).toList();
    int migrationStarted = events.indexOf("migration-started");
    int released = events.indexOf("source-released");
    int placedAgain = events.lastIndexOf("placed");
    assertTrue(migrationStarted >= 0 && migrationStarted < released && released < placedAgain, events.toString());
    assertTrue(moved.history().get(migrationStarted).detail().contains("eclipse-energy"),
        moved.history().get(migrationStarted).toString());
  }

  @Test
  void answersAStaleEpochUpdateWithStopJobForThatEpoch() throws Exception {
    rig = new Rig("stale", "stale-t0");
    FakeTile t0 = rig.tile("stale-t0");
    t0.reporting = true;
    JobId job = rig.submit("s");
    TileProtocol.StartJob start = rig.acceptStart(t0);
    rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran");

    // A copy under an epoch that is not the job's current one reports progress.
    rig.coordinator().tell(new JobUpdate(t0.tileId, 3, job, 0, JobUpdateKind.CHECKPOINTED, 3000, 1000, "periodic"));

    TileProtocol.StopJob stop = expect(t0, TileProtocol.StopJob.class);
    assertEquals(job, stop.jobId());
    assertEquals(0, stop.epoch());
    assertEquals(3, stop.slot());
    JobView still = rig.view(job);
    assertEquals(1, still.epoch());
    assertEquals(0, still.committedGpuSeconds(), "nothing from the stale copy is committed");
    assertEquals(start.slot(), still.placement().slot());
  }

  @Test
  void requeuesTheJobsOfASilentTileUnderANewEpochOnAnotherTile() throws Exception {
    rig = new Rig("loss", "loss-a", "loss-b");
    FakeTile a = rig.tile("loss-a");
    FakeTile b = rig.tile("loss-b");
    a.reporting = true;
    JobId job = rig.submit("n");
    TileProtocol.StartJob first = rig.acceptStart(a);
    rig.coordinator().tell(new JobUpdate(a.tileId, first.slot(), job, 1, JobUpdateKind.CHECKPOINTED, 600, 1000,
        "periodic"));
    rig.awaitView(job, v -> v.state() == JobStatus.RUNNING && v.committedGpuSeconds() == 600, "checkpointed");
    b.reporting = true;

    a.reporting = false; // the TILE falls silent

    TileProtocol.StartJob second = rig.acceptStart(b);
    assertEquals(job, second.jobId());
    assertEquals(2, second.epoch());
    assertEquals(600, second.resumeFromGpuSeconds(), 1e-9, "restarts from its last checkpoint");
    JobView view = rig.awaitView(job, v -> v.state() == JobStatus.RUNNING && v.epoch() == 2, "ran again");
    assertTrue(view.history().stream().anyMatch(h -> h.event().equals("requeued") && h.epoch() == 1
        && h.detail().startsWith("node-lost")), view.history().toString());

    // The TILE comes back still running the old copy: it is told to stop that epoch.
    a.reporting = true;
    TileProtocol.StopJob stop = expect(a, TileProtocol.StopJob.class);
    assertEquals(job, stop.jobId());
    assertEquals(1, stop.epoch());
    assertEquals(first.slot(), stop.slot());
    assertEquals(2, rig.view(job).epoch());
  }

  @Test
  void requeuesAJobWhoseStartTheOrinRejectedWithTheReason() throws Exception {
    rig = new Rig("reject", "reject-t0");
    FakeTile t0 = rig.tile("reject-t0");
    t0.reporting = true;
    JobId job = rig.submit("r");
    TileProtocol.StartJob start = expect(t0, TileProtocol.StartJob.class);
    start.replyTo().tell(new TileProtocol.JobAck(job, start.epoch(), false, "no-memory: needs 8.0 GiB, 2.0 GiB free"));

    TileProtocol.StartJob retry = rig.acceptStart(t0);
    assertEquals(2, retry.epoch());
    JobView view = rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran");
    assertTrue(view.history().stream().anyMatch(h -> h.event().equals("requeued")
        && h.detail().startsWith("start-rejected: no-memory")), view.history().toString());
  }

  @Test
  void cancellingARunningJobStopsItOnItsOrin() throws Exception {
    rig = new Rig("cancel", "cancel-t0");
    FakeTile t0 = rig.tile("cancel-t0");
    t0.reporting = true;
    JobId job = rig.submit("c");
    TileProtocol.StartJob start = rig.acceptStart(t0);
    rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran");

    TestProbe<StatusReply<JobView>> reply = testKit.createTestProbe();
    rig.entities.get(job).tell(new JobEntity.Cancel("user asked", rig.clock.now(), reply.ref()));
    assertEquals(JobStatus.CANCELLED, reply.receiveMessage().getValue().state());

    TileProtocol.StopJob stop = expect(t0, TileProtocol.StopJob.class);
    assertEquals(job, stop.jobId());
    assertEquals(1, stop.epoch());
    assertEquals(start.slot(), stop.slot());
  }

  @Test
  void aRestartedCoordinatorRebuildsFromReportsAndRegistrationsWhileJobsKeepRunning() throws Exception {
    rig = new Rig("failover", "failover-t0");
    FakeTile t0 = rig.tile("failover-t0");
    t0.reporting = true;
    JobId job = rig.submit("f");
    TileProtocol.StartJob start = rig.acceptStart(t0);
    rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran");

    testKit.stop(rig.coordinator());
    rig.startCoordinator(rig.plane);

    // The new incarnation learns the job from the report and the entity, and leaves it running.
    TestProbe<SoosCoordinator.Jobs> jobs = testKit.createTestProbe();
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<JobView> tracked = List.of();
    while (System.nanoTime() < deadline && tracked.isEmpty()) {
      rig.coordinator().tell(new SoosCoordinator.GetJobs(jobs.ref()));
      tracked = jobs.receiveMessage().jobs();
      Thread.sleep(50);
    }
    assertEquals(List.of(job), tracked.stream().map(JobView::id).toList());
    assertEquals(JobStatus.RUNNING, tracked.get(0).state());
    t0.probe.expectNoMessage(Duration.ofSeconds(2)); // the running job is left alone: no stop, no restart

    rig.coordinator().tell(new JobUpdate(t0.tileId, start.slot(), job, 1, JobUpdateKind.COMPLETED, 3600, 0, null));
    JobView done = rig.awaitView(job, v -> v.state() == JobStatus.SUCCEEDED, "succeeded");
    assertEquals(1, done.epoch());
  }

  @Test
  void handsAJobItCannotPlaceForAWhileToAPlaneWithFreeOrins() throws Exception {
    CoordinatorSettings quickSpill = new CoordinatorSettings(REPORT_INTERVAL, 2, Duration.ofMinutes(10), 100,
        Duration.ofSeconds(30), 5, Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(30),
        Duration.ofSeconds(5));
    rig = new Rig(quickSpill, "spa", "spa-t0", "spb-t0");
    FakeTile full = rig.tile("spa-t0");
    FakeTile free = rig.tile("spb-t0");
    full.health = OrinReport.OrinHealth.SHUTDOWN; // every Orin of plane spa is cooling down
    full.reporting = true;
    free.reporting = true;
    JobSpec spec = new JobSpec("spill", JobKind.SIMULATED, 3600, 40, 8, 5, null,
        new JobSpec.CheckpointSpec(300, 1_000_000_000L, true),
        new JobSpec.PlacementConstraints(List.of("spa", "spb"), List.of(), List.of()), null);
    JobId job = rig.submit("x", spec);

    TileProtocol.StartJob start = rig.acceptStart(free);
    assertEquals(job, start.jobId());
    assertEquals(1, start.epoch());
    JobView view = rig.awaitView(job, v -> v.state() == JobStatus.RUNNING, "ran in plane spb");
    assertEquals(PlaneId.of("spb"), view.placement().planeId());
    List<String> queued = view.history().stream().filter(h -> h.event().equals("queued"))
        .map(JobEntity.HistoryEntry::detail).toList();
    assertEquals(2, queued.size(), view.history().toString());
    assertTrue(queued.get(0).startsWith("plane spa"), queued.toString());
    assertTrue(queued.get(1).startsWith("plane spb (spill from spa"), queued.toString());
    full.probe.expectNoMessage(Duration.ofMillis(200));
  }

  // ---------------------------------------------------------------- safe mode

  @Test
  void aTileInThermalEmergencyGetsNoWorkUntilItRecovers() throws Exception {
    // "safe-a" sorts first: with both healthy it would take the job.
    rig = new Rig("safe", "safe-a", "safe-b");
    FakeTile a = rig.tile("safe-a");
    FakeTile b = rig.tile("safe-b");
    a.shutdownSlot = 2;
    a.reporting = true;
    b.reporting = true;
    JobId job = rig.submit("t");
    TileProtocol.StartJob start = rig.acceptStart(b);
    assertEquals(job, start.jobId());
    a.probe.expectNoMessage(Duration.ofMillis(200));
    TileView view = tileView("safe", "safe-a");
    assertTrue(!view.healthy() && view.healthProblems().get(0).startsWith("thermal-emergency: orin-2"),
        view.healthProblems().toString());

    // Cooled down: healthy again, and the next job goes to it.
    a.shutdownSlot = -1;
    awaitHealthy("safe", "safe-a");
    JobId second = rig.submit("t2");
    assertEquals(second, rig.acceptStart(a).jobId());
  }

  @Test
  void aCrashLoopingTileGetsNoWork() throws Exception {
    rig = new Rig("loop", "loop-a", "loop-b");
    FakeTile a = rig.tile("loop-a");
    FakeTile b = rig.tile("loop-b");
    a.reporting = true;
    // Its tile-node restarts three times: each time the TILE reports from a new incarnation.
    for (int restart = 0; restart < 3; restart++) {
      Thread.sleep(150);
      a.probe = testKit.createTestProbe(TileProtocol.Command.class);
    }
    Thread.sleep(150);
    TileView view = tileView("loop", "loop-a");
    assertEquals(java.util.List.of("crash-loop: 3 restarts within 600 s"), view.healthProblems());
    b.reporting = true;
    JobId job = rig.submit("c");
    assertEquals(job, rig.acceptStart(b).jobId());
    a.probe.expectNoMessage(Duration.ofMillis(200));
  }

  /** The coordinator's view of one TILE (what GET /v1/tiles/{id} shows). */
  private TileView tileView(String plane, String tile) {
    TestProbe<SoosCoordinator.Tiles> probe = testKit.createTestProbe();
    rig.coordinators.get(PlaneId.of(plane)).tell(new SoosCoordinator.GetTiles(probe.ref()));
    return probe.receiveMessage().tiles().stream().filter(v -> v.tileId().value().equals(tile)).findFirst()
        .orElseThrow(() -> new AssertionError(tile + " not in the coordinator's view"));
  }

  private void awaitHealthy(String plane, String tile) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!tileView(plane, tile).healthy()) {
      if (System.nanoTime() > deadline) throw new AssertionError(tile + " never healthy again");
      Thread.sleep(50);
    }
  }
}
