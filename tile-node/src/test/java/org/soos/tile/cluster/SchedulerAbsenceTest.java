package org.soos.tile.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerAbsenceTest {
  private final SchedulerAbsence absence = new SchedulerAbsence(Duration.ofSeconds(30));

  @Test
  void aNodeThatNeverSawASchedulerIsNeverCutOff() {
    // Started before the schedulers, or still joining: Akka keeps trying the seeds; leaving would not help.
    for (long t = 0; t <= 600_000; t += 1000) assertFalse(absence.observe(false, t));
    assertEquals(0, absence.absentMillis(600_000));
  }

  @Test
  void cutOffOnceNoSchedulerWasReachableForTheWholeLimit() {
    assertFalse(absence.observe(true, 0));
    assertFalse(absence.observe(false, 1_000));
    assertFalse(absence.observe(false, 30_999));
    assertEquals(29_999, absence.absentMillis(30_999));
    assertTrue(absence.observe(false, 31_000));
  }

  @Test
  void aSchedulerSeenAgainRestartsTheClock() {
    absence.observe(true, 0);
    absence.observe(false, 1_000);
    assertFalse(absence.observe(true, 25_000), "a failover that ends within the limit is not a loss");
    assertFalse(absence.observe(false, 26_000));
    assertFalse(absence.observe(false, 55_000));
    assertTrue(absence.observe(false, 56_000));
  }

  @Test
  void theLimitMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SchedulerAbsence(Duration.ZERO));
    assertTrue(e.getMessage().contains("lost-schedulers-after"), e.getMessage());
  }
}
