package org.soos.tile.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.tile.support.TestSupport;

class SimulatedWorkloadTest {

  @Test
  void progressesAtTheGivenRateAndCheckpointsEveryInterval() {
    SimulatedWorkload w = new SimulatedWorkload(JobId.of("j1"), 1, TestSupport.job(1000, 40, 5, 100), 0);
    assertEquals(100.0, w.secondsToNextEvent(0.5), 1e-9);
    assertEquals(Workload.Event.NONE, w.run(60, 0.5));
    assertEquals(30.0, w.doneGpuSeconds(), 1e-9);
    assertEquals(0.0, w.checkpointedGpuSeconds(), 1e-9);
    assertEquals(40.0, w.secondsToNextEvent(0.5), 1e-9);
    assertEquals(Workload.Event.CHECKPOINTED, w.run(40, 0.5));
    assertEquals(50.0, w.checkpointedGpuSeconds(), 1e-9);
    assertEquals(100.0, w.secondsToNextEvent(1.0), 1e-9);
  }

  @Test
  void completesExactlyWhenTheWorkIsDone() {
    SimulatedWorkload w = new SimulatedWorkload(JobId.of("j1"), 1, TestSupport.job(100, 40, 5, 0), 40);
    assertEquals(60.0, w.secondsToNextEvent(1.0), 1e-9);
    assertEquals(Workload.Event.NONE, w.run(59, 1.0));
    assertEquals(Workload.Event.COMPLETED, w.run(1, 1.0));
    assertTrue(w.completed());
    assertEquals(100.0, w.doneGpuSeconds(), 1e-9);
    assertEquals(0L, w.checkpoint(), "a job without checkpointing writes nothing");
  }

  @Test
  void resumesFromItsCheckpoint() {
    SimulatedWorkload w = new SimulatedWorkload(JobId.of("j1"), 2, TestSupport.job(500, 40, 5, 60), 200);
    assertEquals(200.0, w.doneGpuSeconds(), 1e-9);
    assertEquals(200.0, w.checkpointedGpuSeconds(), 1e-9);
  }

  @Test
  void executorRejectsProcessJobs() {
    JobSpec process = new JobSpec("p", JobKind.PROCESS, 10, 10, 1, 1, null, null, null,
        new JobSpec.ProcessSpec("/bin/true", java.util.List.of(), java.util.Map.of(), null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SimulatedExecutor().start(JobId.of("p"), 1, process, 0));
    assertTrue(e.getMessage().contains("spec.kind"), e.getMessage());
  }
}
