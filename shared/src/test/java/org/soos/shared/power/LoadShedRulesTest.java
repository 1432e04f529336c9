package org.soos.shared.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.shared.id.JobId;
import org.soos.shared.orin.OrinModule;

class LoadShedRulesTest {
  private static final OrinModule AGX = OrinModule.AGX_ORIN_64GB;

  /** Default battery: floor 50 Wh, 95% discharge efficiency; lead time 3 min. */
  @ParameterizedTest(name = "{0} Wh, solar {1} W, load {2} W -> shed {3}")
  @CsvSource({
      "60, 0, 252, true",     // 10 Wh above the floor last 136 s
      "70, 0, 252, false",    // 20 Wh last 271 s
      "70, 0, 400, true",     // 20 Wh last 171 s
      "50, 0, 52, true",      // at the floor and draining
      "50, 367, 260, false",  // at the floor but charging
      "200, 0, 260, false"
  })
  void shedsWhenTheFloorIsWithinTheLeadTime(double energyWh, double solarWatts, double loadWatts, boolean shed) {
    assertEquals(shed, LoadShedRules.shouldShed(BatterySpec.defaults(), energyWh, solarWatts, loadWatts,
        Duration.ofMinutes(3)));
  }

  /** 61.7 Wh at 260 W in umbra reach the 50 Wh floor in 154 s: inside the 3-minute lead. */
  @ParameterizedTest(name = "sun in {0} s -> shed {1}")
  @CsvSource({
      "30, false",      // the pass ends long before the floor: the battery carries the load
      "153, false",     // just before the floor
      "155, true",      // the floor comes first
      "600, true",
      "Infinity, true"  // sun not known, or it would not carry the load
  })
  void keepsTheLoadWhenTheShadowEndsBeforeTheFloor(double secondsToSun, boolean shed) {
    assertEquals(shed, LoadShedRules.shouldShed(BatterySpec.defaults(), 61.7, 0, 260, 180, secondsToSun));
  }

  @Test
  void theSunStopsTheDrainOnlyWhenTheSunlitArrayCarriesTheLoad() {
    assertEquals(120.0, LoadShedRules.secondsToSun(345, 260, 120));
    assertEquals(Double.POSITIVE_INFINITY, LoadShedRules.secondsToSun(345, 345, 120));
    assertEquals(Double.POSITIVE_INFINITY, LoadShedRules.secondsToSun(300, 400, 0));
  }

  @Test
  void atTheFloorItShedsWhateverTheSun() {
    assertTrue(LoadShedRules.shouldShed(BatterySpec.defaults(), 50, 0, 260, 180, 1));
  }

  @Test
  void releasesOnlyAfterRecoveringAboveTheFloor() {
    BatterySpec b = BatterySpec.defaults();
    assertFalse(LoadShedRules.mayRelease(b, 55, 367, 52, Duration.ofMinutes(3), 5));
    assertTrue(LoadShedRules.mayRelease(b, 61, 367, 52, Duration.ofMinutes(3), 5));
    assertFalse(LoadShedRules.mayRelease(b, 61, 0, 252, Duration.ofMinutes(3), 5));
  }

  @Test
  void lowersModesFirstWhenThatSuffices() {
    List<LoadShedRules.OrinLoad> orins = List.of(
        orin(0, job("a", 5, 50)), orin(1, job("b", 1, 50)), orin(2), orin(3));
    // 58 + 58 + 8 + 8 = 132 W; target 100 W: one Orin to 50 W mode (40 W) gives 114, the other gives 96.
    LoadShedRules.Plan plan = LoadShedRules.plan(100, orins);
    assertTrue(plan.suspensions().isEmpty(), plan.toString());
    assertEquals(2, plan.modeCaps().size(), plan.toString());
    assertTrue(plan.estimatedPayloadWatts() <= 100, plan.toString());
  }

  @Test
  void suspendsLowestPriorityFirstWhenModesAreNotEnough() {
    List<LoadShedRules.OrinLoad> orins = List.of(
        orin(0, job("high", 9, 50)), orin(1, job("low", 1, 50)), orin(2, job("mid", 5, 50)), orin(3));
    // All at 15 W mode: 15 * 3 + 8 = 53 W; target 40 W: suspending "low" gives 15 + 8 + 15 + 8 = 46, then "mid": 39.
    LoadShedRules.Plan plan = LoadShedRules.plan(40, orins);
    assertEquals(List.of(new LoadShedRules.Suspension(1, JobId.of("low")),
        new LoadShedRules.Suspension(2, JobId.of("mid"))), plan.suspensions());
    assertEquals(39.0, plan.estimatedPayloadWatts(), 1e-9);
  }

  @Test
  void inShadowEverythingIsSuspended() {
    List<LoadShedRules.OrinLoad> orins = List.of(
        orin(0, job("a", 9, 50), job("b", 3, 20)), orin(1, job("c", 1, 50)), orin(2), orin(3));
    LoadShedRules.Plan plan = LoadShedRules.plan(0, orins);
    assertEquals(3, plan.suspensions().size());
    assertEquals(JobId.of("c"), plan.suspensions().get(0).jobId());
    assertEquals(32.0, plan.estimatedPayloadWatts(), 1e-9, "idle Orins remain");
  }

  @Test
  void nothingToDoWhenTheLoadFits() {
    LoadShedRules.Plan plan = LoadShedRules.plan(300, List.of(orin(0, job("a", 1, 50)), orin(1), orin(2), orin(3)));
    assertTrue(plan.isEmpty());
  }

  private static LoadShedRules.OrinLoad orin(int slot, LoadShedRules.JobLoad... jobs) {
    return new LoadShedRules.OrinLoad(slot, AGX, AGX.maxMode(), true, List.of(jobs));
  }

  private static LoadShedRules.JobLoad job(String id, int priority, double watts) {
    return new LoadShedRules.JobLoad(JobId.of(id), priority, watts);
  }
}
