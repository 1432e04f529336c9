package org.soos.scheduler.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.policy.ClusterView;
import org.soos.scheduler.policy.Decision;
import org.soos.scheduler.policy.PendingJob;
import org.soos.scheduler.policy.SchedulingPolicy;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

/** The simulator applies decisions and protects TILEs and Orins as the live system does. */
class SimulationSemanticsTest {
  private static final Instant START = Instant.parse("2026-03-20T00:00:00Z");

  private static Scenario scenario(String tile, String simulation) {
    return ScenarioLoader.parse("""
        {"name": "unit", "start": "2026-03-20T00:00:00Z", "hours": 1,
         "constellation": {"type": "walker", "altitudeKm": 550, "inclinationDeg": 53, "planes": 2,
                           "tilesPerPlane": 2, "phasing": 1},
         "tile": %s, "simulation": %s, "workload": {"arrivalsPerHour": 1}}
        """.formatted(tile, simulation), "unit", null);
  }

  private static JobSpec job(double workGpuSeconds, double watts, Double checkpointSeconds, long bytes) {
    JobSpec.CheckpointSpec cp = checkpointSeconds == null ? null : new JobSpec.CheckpointSpec(checkpointSeconds, bytes, true);
    return new JobSpec("unit", JobKind.SIMULATED, workGpuSeconds, watts, 8, 5, null, cp, null, null);
  }

  /** A policy that answers each round from a script. */
  private record Scripted(Function<ClusterView, List<Decision>> script) implements SchedulingPolicy {
    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public List<Decision> decide(ClusterView view) {
      return script.apply(view);
    }
  }

  private static long round(ClusterView v) {
    return java.time.Duration.between(START, v.now()).toMinutes() / 5;
  }

  @Test
  void migrationMovesTheCheckpointAtLinkSpeedAndChargesTheSendingTile() {
    Scenario s = scenario("{}", "{}");
    SimConstellation c = SimConstellation.of(s, 1);
    JobId id = JobId.of("mover");
    // 4 GB across planes at 1 Gbit/s: 32 s on the link, at the link's 20 W.
    List<WorkloadGenerator.Arrival> jobs = List.of(new WorkloadGenerator.Arrival(id, 0, job(1200, 30, 600.0, 4_000_000_000L)));
    PolicyResult r = Simulation.run(c, jobs, new Scripted(v -> {
      if (round(v) == 0) return List.of(new Decision.Place(id, TileId.of("p0-t0"), PlaneId.of("p0"), 0, "test"));
      if (round(v) == 1) {
        return List.of(new Decision.Migrate(id, TileId.of("p0-t0"), 0, TileId.of("p1-t1"), PlaneId.of("p1"), 2,
            "test", 32));
      }
      return List.of();
    }), null);
    assertEquals(1, r.metrics().migrations());
    assertEquals(4_000_000_000L, r.metrics().migrationBytes());
    assertEquals(20.0 * 32 / 3600, r.energy().linkWh(), 1e-3, "20 W for 32 s, if the sending TILE is sunlit");
    assertEquals(1, r.metrics().jobsCompleted());
    // 300 s on the source, checkpoint, 32 s on the link, 900 s on the target: nothing is redone.
    assertEquals((300 + 32 + 900) / 1200.0, r.metrics().slowdownP50(), 1e-6);
    assertEquals(0.0, r.metrics().lostWorkGpuHours());
  }

  @Test
  void refusesADecisionThatNoLongerMatchesTheConstellation() {
    Scenario s = scenario("{}", "{}");
    SimConstellation c = SimConstellation.of(s, 1);
    JobId a = JobId.of("a");
    JobId b = JobId.of("b");
    List<WorkloadGenerator.Arrival> jobs = List.of(new WorkloadGenerator.Arrival(a, 0, job(600, 30, null, 0)),
        new WorkloadGenerator.Arrival(b, 0, job(600, 30, null, 0)));
    PolicyResult r = Simulation.run(c, jobs, new Scripted(v -> {
      if (round(v) != 0) return List.of();
      return List.of(
          new Decision.Place(a, TileId.of("p0-t0"), PlaneId.of("p0"), 1, "test"),
          new Decision.Place(b, TileId.of("p0-t0"), PlaneId.of("p0"), 1, "same slot"),
          new Decision.Place(b, TileId.of("p0-t0"), PlaneId.of("p0"), 7, "no such slot"),
          new Decision.Migrate(a, TileId.of("p0-t1"), 0, TileId.of("p1-t1"), PlaneId.of("p1"), 0, "wrong source", 1),
          new Decision.Migrate(a, TileId.of("p0-t0"), 1, TileId.of("p1-t1"), PlaneId.of("p1"), 0, "cannot checkpoint", 1));
    }), null);
    assertEquals(1, r.counters().placements());
    assertEquals(4, r.counters().rejectedDecisions());
    assertEquals(0, r.metrics().migrations());
    assertEquals(1, r.metrics().jobsCompleted());
  }

  @Test
  void brownoutKillsRunningWorkSinceItsLastCheckpoint() {
    // A dim array and 10 Wh above the floor; the TILE sheds only 1 s ahead, so four 60 W jobs (260 W with
    // housekeeping) cut the payload bus between 120 and 180 s, after their checkpoints at 100 s.
    Scenario s = scenario("""
        {"solar": {"areaM2": 0.01}, "initial": {"batteryStateOfChargePercent": 30, "plateTempCelsius": 20}}""",
        "{\"shedLeadTimeSeconds\": 1}");
    SimConstellation c = SimConstellation.of(s, 1);
    List<WorkloadGenerator.Arrival> jobs = new ArrayList<>();
    for (int k = 0; k < 4; k++) jobs.add(new WorkloadGenerator.Arrival(JobId.of("j" + k), 0, job(3600, 60, 100.0, 1_000_000_000L)));
    PolicyResult r = Simulation.run(c, jobs, new Scripted(v -> {
      List<Decision> out = new ArrayList<>();
      if (round(v) == 0) {
        for (PendingJob p : v.pending()) {
          out.add(new Decision.Place(p.jobId(), TileId.of("p0-t0"), PlaneId.of("p0"),
              Integer.parseInt(p.jobId().value().substring(1)), "test"));
        }
      }
      return out;
    }), null);
    assertTrue(r.metrics().brownouts() >= 1);
    assertEquals(4, r.counters().lossesAtBrownout());
    assertEquals(4, r.metrics().jobsLost());
    assertEquals(4 * 80 / 3600.0, r.metrics().lostWorkGpuHours(), 1e-9, "80 s of work since the checkpoint at 100 s");
    assertEquals(0, r.counters().shedSuspensions());
  }

  @Test
  void orinGuardCheckpointsAndStopsItsJobAtTheShutdownTemperature() {
    // A plate at 100 C: a 60 W job heads for 124 C at the junction; after one 60 s step it is past 104.5 C.
    Scenario s = scenario("{\"initial\": {\"batteryStateOfChargePercent\": 100, \"plateTempCelsius\": 100}}", "{}");
    SimConstellation c = SimConstellation.of(s, 1);
    JobId id = JobId.of("hot");
    PolicyResult r = Simulation.run(c, List.of(new WorkloadGenerator.Arrival(id, 0, job(3600, 60, 600.0, 1_000_000_000L))),
        new Scripted(v -> round(v) == 0
            ? List.of(new Decision.Place(id, TileId.of("p0-t0"), PlaneId.of("p0"), 0, "test"))
            : List.of()), null);
    assertEquals(1, r.counters().thermalShutdowns());
    assertTrue(r.metrics().thermalViolationSeconds() > 0);
    assertEquals(0, r.metrics().jobsLost(), "the guard checkpoints before it stops the job");
    assertEquals(0.0, r.metrics().lostWorkGpuHours());
  }

  @Test
  void tileShedsLoadAheadOfItsBatteryFloor() {
    // The same dim TILE with the usual 3 min lead: it checkpoints and suspends the jobs before the bus is cut.
    Scenario s = scenario("""
        {"solar": {"areaM2": 0.01}, "initial": {"batteryStateOfChargePercent": 30, "plateTempCelsius": 20}}""", "{}");
    SimConstellation c = SimConstellation.of(s, 1);
    List<WorkloadGenerator.Arrival> jobs = new ArrayList<>();
    for (int k = 0; k < 4; k++) jobs.add(new WorkloadGenerator.Arrival(JobId.of("j" + k), 0, job(3600, 60, 100.0, 1_000_000_000L)));
    PolicyResult r = Simulation.run(c, jobs, new Scripted(v -> {
      List<Decision> out = new ArrayList<>();
      if (round(v) == 0) {
        for (PendingJob p : v.pending()) {
          out.add(new Decision.Place(p.jobId(), TileId.of("p0-t0"), PlaneId.of("p0"),
              Integer.parseInt(p.jobId().value().substring(1)), "test"));
        }
      }
      return out;
    }), null);
    assertEquals(4, r.counters().shedSuspensions());
    assertEquals(0, r.counters().lossesAtBrownout());
    assertEquals(0, r.metrics().jobsLost());
  }
}
