package org.soos.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.TestReports;
import org.soos.shared.orbit.EclipseState;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

class TileHealthTest {
  private static final TileHealth.Settings S = TileHealth.Settings.DEFAULTS;
  private static final Instant T0 = TestReports.SIM_EPOCH;

  private static TileReport nominal() {
    return TestReports.report("p0-t0", "p0", T0, EclipseState.SUNLIT, 320, 160, 80, 60);
  }

  @Test
  void aNominalTileIsHealthy() {
    TileHealth.Assessment a = TileHealth.assess(nominal(), 0, S);
    assertTrue(a.healthy(), a.problems().toString());
    assertTrue(TileHealth.assess(nominal(), S.maxRestarts() - 1, S).healthy(), "fewer restarts than the cap are fine");
  }

  @Test
  void anOrinAtItsShutdownTemperatureIsAThermalEmergency() {
    TileReport r = nominal();
    List<OrinReport> orins = new ArrayList<>(r.orins());
    OrinReport o = orins.get(2);
    orins.set(2, new OrinReport(o.slot(), o.module(), o.powerModeId(), o.powerModeName(), o.drawWatts(), 104.6,
        OrinReport.OrinHealth.SHUTDOWN, o.jobs()));
    TileHealth.Assessment a = TileHealth.assess(with(r, orins, r.plateTempCelsius(), r.batteryEnergyWh()), 0, S);
    assertFalse(a.healthy());
    assertEquals(List.of("thermal-emergency: orin-2 at its shutdown temperature (junction 104.6 C)"), a.problems());

    // A throttled Orin is the guard doing its job, not an emergency.
    orins.set(2, new OrinReport(o.slot(), o.module(), o.powerModeId(), o.powerModeName(), o.drawWatts(), 96,
        OrinReport.OrinHealth.THROTTLED, o.jobs()));
    assertTrue(TileHealth.assess(with(r, orins, r.plateTempCelsius(), r.batteryEnergyWh()), 0, S).healthy());
  }

  @Test
  void aPlateAtTheEmergencyTemperatureIsAThermalEmergency() {
    TileReport r = nominal();
    assertTrue(TileHealth.assess(with(r, r.orins(), 89.9, r.batteryEnergyWh()), 0, S).healthy());
    TileHealth.Assessment a = TileHealth.assess(with(r, r.orins(), 90.0, r.batteryEnergyWh()), 0, S);
    assertEquals(List.of("thermal-emergency: plate 90.0 C >= 90.0 C"), a.problems());
  }

  @Test
  void aBatteryAtTheReserveFloorIsAPowerEmergency() {
    TileReport r = nominal(); // reserve 100 Wh
    assertTrue(TileHealth.assess(with(r, r.orins(), r.plateTempCelsius(), 100.5), 0, S).healthy());
    TileHealth.Assessment a = TileHealth.assess(with(r, r.orins(), r.plateTempCelsius(), 100.0), 0, S);
    assertEquals(List.of("power-emergency: battery 100.0 Wh <= reserve floor 100.0 Wh"), a.problems());
    TileHealth.Settings margin = new TileHealth.Settings(90, 10, 3, Duration.ofMinutes(10));
    assertFalse(TileHealth.assess(with(r, r.orins(), r.plateTempCelsius(), 105), 0, margin).healthy());
  }

  @Test
  void restartsAtTheCapAreACrashLoopAndAgeOutOfTheWindow() {
    TileHealth.Restarts restarts = new TileHealth.Restarts();
    Instant w = Instant.parse("2026-01-01T00:00:00Z");
    restarts.record(w);
    restarts.record(w.plusSeconds(60));
    restarts.record(w.plusSeconds(120));
    int count = restarts.within(w.plusSeconds(130), S.restartWindow());
    assertEquals(3, count);
    assertEquals(List.of("crash-loop: 3 restarts within 600 s"), TileHealth.assess(nominal(), count, S).problems());
    // Ten minutes after the first restart it no longer counts: two left, healthy again.
    assertEquals(2, restarts.within(w.plus(Duration.ofMinutes(10)), S.restartWindow()));
    assertTrue(TileHealth.assess(nominal(), 2, S).healthy());
    assertEquals(0, restarts.within(w.plus(Duration.ofMinutes(13)), S.restartWindow()));
  }

  @Test
  void badSettingsNameTheKey() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TileHealth.Settings(90, 0, 0, Duration.ofMinutes(1)))
        .getMessage().contains("max-restarts"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TileHealth.Settings(Double.NaN, 0, 3, Duration.ofMinutes(1)))
        .getMessage().contains("emergency-plate-temp-celsius"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TileHealth.Settings(90, -1, 3, Duration.ofMinutes(1)))
        .getMessage().contains("power-emergency-margin-wh"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TileHealth.Settings(90, 0, 3, Duration.ZERO))
        .getMessage().contains("restart-window"));
  }

  @Test
  void thePolicyPlacesNoJobOnAnUnhealthyTile() {
    // Two identical TILEs; "a" sorts first and takes the job while healthy, never once unhealthy.
    TileReport a = PolicyFixtures.tile("a", "p0").report();
    TileReport b = PolicyFixtures.tile("b", "p0").report();
    SoosPolicy policy = new SoosPolicy(PolicySettings.defaults());
    PendingJob job = new PendingJob(org.soos.shared.id.JobId.of("j"), PolicyFixtures.job(3600, 40, 5, true), 0,
        PolicyFixtures.NOW);
    for (boolean aHealthy : new boolean[] {true, false}) {
      java.util.Map<org.soos.shared.id.TileId, TileView> tiles = new java.util.TreeMap<>();
      tiles.put(a.tileId(), new TileView(a, 0, aHealthy));
      tiles.put(b.tileId(), new TileView(b, 0, true));
      List<Decision> decisions = policy.decide(new ClusterView(PolicyFixtures.NOW, tiles, List.of(job), List.of()));
      assertEquals(1, decisions.size(), decisions.toString());
      Decision.Place place = (Decision.Place) decisions.get(0);
      assertEquals(aHealthy ? "a" : "b", place.tileId().value(), decisions.toString());
    }
  }

  private static TileReport with(TileReport r, List<OrinReport> orins, double plateC, double energyWh) {
    return new TileReport(r.tileId(), r.planeId(), r.simTime(), r.eclipseState(), r.sunlitFraction(), r.betaAngleDeg(),
        r.nextEclipses(), r.solarInputWatts(), r.loadWatts(), energyWh, r.batteryCapacityWh(), r.batteryReserveWh(),
        r.batteryStateOfChargePercent(), r.computeBudgetWatts(), r.forecast(), plateC, r.shedding(), orins);
  }
}
