package org.soos.scheduler.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.job.JobStatus;
import org.soos.shared.id.JobId;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

/** The read side folds job events like the entity does, pages stably and keeps journal totals. */
class JobTableTest {
  private static final Instant T0 = Instant.parse("2026-03-20T00:00:00Z");
  private static final PlaneId P0 = PlaneId.of("p0");
  private static final PlaneId P1 = PlaneId.of("p1");
  private static final TileId T1 = TileId.of("p0-t1");
  private static final TileId T2 = TileId.of("p1-t2");

  private final JobTable table = new JobTable();
  private long offset;

  private static JobSpec spec(String name, int priority) {
    return new JobSpec(name, JobKind.SIMULATED, 600, 30, 8, priority, null,
        new JobSpec.CheckpointSpec(60, 1_000_000, true), null, null);
  }

  private LifecycleEvent apply(JobId id, JobEntity.Event e) {
    return table.record(id, e, ++offset).orElseThrow();
  }

  private JobId submit(String id, int second) {
    JobId job = JobId.of(id);
    apply(job, new JobEntity.JobSubmitted(job, spec(id, 3), null, T0.plusSeconds(second)));
    return job;
  }

  @Test
  void followsAJobThroughPlacementMigrationAndCompletion() {
    JobId job = submit("a", 0);
    assertEquals(JobStatus.PENDING, table.find(job).orElseThrow().state());

    LifecycleEvent queued = apply(job, new JobEntity.PlaneAssigned(P0, "least-loaded", T0.plusSeconds(1)));
    assertEquals("queued", queued.type());
    assertEquals(P0, table.find(job).orElseThrow().planeId());
    assertNull(table.find(job).orElseThrow().tileId());

    LifecycleEvent placed = apply(job, new JobEntity.JobPlaced(T1, P0, 2, 1, "best-fit", T0.plusSeconds(2)));
    assertEquals("placed", placed.type());
    assertEquals(T1, placed.tileId());
    assertEquals("best-fit", placed.reason());
    assertEquals(1, placed.epoch());
    JobSummary s = table.find(job).orElseThrow();
    assertEquals(JobStatus.PLACED, s.state());
    assertEquals(T1, s.tileId());
    assertEquals(2, s.slot());

    assertEquals("running", apply(job, new JobEntity.JobStarted(1, T0.plusSeconds(3))).type());
    assertEquals(JobStatus.RUNNING, table.find(job).orElseThrow().state());
    assertEquals("checkpoint", apply(job, new JobEntity.CheckpointCommitted(1, 120, 1_000_000, T0.plusSeconds(4))).type());
    assertEquals(JobStatus.RUNNING, table.find(job).orElseThrow().state());

    LifecycleEvent moving = apply(job, new JobEntity.MigrationStarted(1, T2, P1, 0, "eclipse-energy", T0.plusSeconds(5)));
    assertEquals("migration-started", moving.type());
    assertEquals(T2, moving.tileId());
    assertEquals(JobStatus.CHECKPOINTING, table.find(job).orElseThrow().state());
    assertEquals(T2, table.find(job).orElseThrow().migratingToTileId());

    assertEquals("source-released", apply(job, new JobEntity.SourceReleased(1, 150, 1_000_000, T0.plusSeconds(6))).type());
    s = table.find(job).orElseThrow();
    assertEquals(JobStatus.MIGRATING, s.state());
    assertNull(s.tileId());
    assertEquals(P0, s.planeId(), "between TILEs a job is listed under the plane that queues it");

    apply(job, new JobEntity.JobPlaced(T2, P1, 0, 2, "migration", T0.plusSeconds(7)));
    apply(job, new JobEntity.JobStarted(2, T0.plusSeconds(8)));
    LifecycleEvent done = apply(job, new JobEntity.JobCompleted(2, T0.plusSeconds(9)));
    assertEquals("succeeded", done.type());
    s = table.find(job).orElseThrow();
    assertEquals(JobStatus.SUCCEEDED, s.state());
    assertEquals(2, s.epoch());
    assertEquals(T2, s.tileId());
    assertEquals(P1, s.planeId());
    assertEquals(T0.plusSeconds(9), s.updatedAt());
    assertEquals(T0, s.submittedAt());

    assertEquals(2, table.placementsTotal());
    assertEquals(Map.of("eclipse-energy", 1L), table.migrationsByReason());
    assertEquals(1L, table.countsByState().get(JobStatus.SUCCEEDED));
    assertEquals(0L, table.countsByState().get(JobStatus.PENDING));
    assertEquals(offset, table.lastOffset());
  }

  @Test
  void requeueAddsLostWorkAndReturnsToPending() {
    JobId job = submit("b", 0);
    apply(job, new JobEntity.JobPlaced(T1, P0, 0, 1, "fit", T0.plusSeconds(1)));
    apply(job, new JobEntity.JobRequeued(1, "node-lost", 42.5, T0.plusSeconds(2)));
    apply(job, new JobEntity.JobPlaced(T1, P0, 1, 2, "fit", T0.plusSeconds(3)));
    apply(job, new JobEntity.JobRequeued(2, "preempted", 7.5, T0.plusSeconds(4)));
    assertEquals(JobStatus.PENDING, table.find(job).orElseThrow().state());
    assertNull(table.find(job).orElseThrow().tileId());
    assertEquals(50.0, table.lostGpuSecondsTotal(), 1e-9);
    LifecycleEvent cancelled = apply(job, new JobEntity.JobCancelled("user", T0.plusSeconds(5)));
    assertEquals("cancelled", cancelled.type());
    assertEquals("user", cancelled.reason());
    assertEquals(JobStatus.CANCELLED, cancelled.state());
  }

  @Test
  void pagesInSubmissionOrderWithCursorsAndOffsets() {
    List<JobId> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) ids.add(submit(String.format("job-%02d", i), 25 - i)); // submitted in reverse
    List<JobId> expected = new ArrayList<>(ids);
    java.util.Collections.reverse(expected);

    List<JobId> seen = new ArrayList<>();
    JobQuery.Cursor cursor = null;
    int pages = 0;
    while (true) {
      JobPage page = table.page(new JobQuery(Set.of(), null, null, 10, cursor, 0));
      pages++;
      page.jobs().forEach(j -> seen.add(j.id()));
      assertEquals(page.jobs().size(), page.count());
      if (page.nextCursor() == null) break;
      cursor = JobQuery.Cursor.decode(page.nextCursor());
    }
    assertEquals(3, pages);
    assertEquals(expected, seen);

    JobPage byOffset = table.page(new JobQuery(Set.of(), null, null, 5, null, 20));
    assertEquals(expected.subList(20, 25), byOffset.jobs().stream().map(JobSummary::id).toList());
    assertNull(byOffset.nextCursor());
  }

  @Test
  void filtersByStatePlaneAndTile() {
    JobId a = submit("a", 1);
    JobId b = submit("b", 2);
    JobId c = submit("c", 3);
    apply(a, new JobEntity.JobPlaced(T1, P0, 0, 1, "fit", T0.plusSeconds(4)));
    apply(b, new JobEntity.JobPlaced(T2, P1, 0, 1, "fit", T0.plusSeconds(4)));
    apply(b, new JobEntity.JobStarted(1, T0.plusSeconds(5)));
    apply(c, new JobEntity.PlaneAssigned(P1, "spill", T0.plusSeconds(5)));

    assertEquals(List.of(b), ids(new JobQuery(Set.of(JobStatus.RUNNING), null, null, 10, null, 0)));
    assertEquals(List.of(a, b), ids(new JobQuery(Set.of(JobStatus.RUNNING, JobStatus.PLACED), null, null, 10, null, 0)));
    assertEquals(List.of(a), ids(new JobQuery(Set.of(), P0, null, 10, null, 0)));
    assertEquals(List.of(b, c), ids(new JobQuery(Set.of(), P1, null, 10, null, 0)));
    assertEquals(List.of(b), ids(new JobQuery(Set.of(), null, T2, 10, null, 0)));
    assertEquals(List.of(), ids(new JobQuery(Set.of(JobStatus.PENDING), P0, null, 10, null, 0)));
  }

  private List<JobId> ids(JobQuery q) {
    return table.page(q).jobs().stream().map(JobSummary::id).toList();
  }

  @ParameterizedTest
  @CsvSource({
      "eclipse-energy,eclipse-energy",
      "thermal (junction 97.1 C),thermal",
      "Emergency-Energy: battery at floor,emergency-energy",
      "'',unspecified",
      "'  (no code)',unspecified"})
  void migrationReasonsBecomeBoundedLabels(String reason, String label) {
    assertEquals(label, JobTable.reasonLabel(reason));
  }

  @Test
  void migrationReasonLabelsAreCapped() {
    for (int i = 0; i < JobTable.MAX_REASONS + 5; i++) {
      JobId job = submit("m" + i, i);
      apply(job, new JobEntity.JobPlaced(T1, P0, 0, 1, "fit", T0));
      apply(job, new JobEntity.MigrationStarted(1, T2, P1, 0, "reason" + i, T0.plus(Duration.ofSeconds(i))));
    }
    Map<String, Long> reasons = table.migrationsByReason();
    assertEquals(JobTable.MAX_REASONS + 1, reasons.size());
    assertEquals(5L, reasons.get(JobTable.OTHER_REASON));
  }

  @Test
  void cursorsRoundTripAndForeignTextIsRefused() {
    JobQuery.Cursor c = new JobQuery.Cursor(Instant.parse("2026-03-20T01:02:03.456789Z"), JobId.of("x-1"));
    assertEquals(c, JobQuery.Cursor.decode(c.encode()));
    for (String bad : new String[] {"", "abc", "Zm9v", "YzE6eDp5Onp6", "c1:1:2:ok", "!!"}) {
      assertThrows(IllegalArgumentException.class, () -> JobQuery.Cursor.decode(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new JobQuery(Set.of(), null, null, 0, null, 0));
    assertThrows(IllegalArgumentException.class, () -> new JobQuery(Set.of(), null, null, 1001, null, 0));
    assertTrue(JobQuery.all().limit() > 0);
  }
  @Test
  void quarantinedJobLeavesTheListAndItsLaterEventsArePassedOver() {
    JobId bad = submit("bad", 0);
    JobId good = submit("good", 1);
    assertTrue(table.quarantine(bad, "journal row #2 cannot be read", ++offset));
    assertEquals(offset, table.lastOffset());
    assertTrue(table.find(bad).isEmpty());
    assertEquals(List.of(good), ids(JobQuery.all()));
    assertEquals(1L, table.countsByState().get(JobStatus.PENDING));
    assertEquals("journal row #2 cannot be read", table.quarantineReason(bad).orElseThrow());
    assertEquals(Map.of(bad, "journal row #2 cannot be read"), table.quarantined());

    assertTrue(table.record(bad, new JobEntity.PlaneAssigned(P0, "least-loaded", T0.plusSeconds(2)), ++offset).isEmpty());
    assertEquals(offset, table.lastOffset());
    assertTrue(table.find(bad).isEmpty());
    assertEquals("queued", apply(good, new JobEntity.PlaneAssigned(P0, "least-loaded", T0.plusSeconds(3))).type());
    assertFalse(table.quarantine(bad, "another row", ++offset), "quarantined twice");
    assertEquals("journal row #2 cannot be read", table.quarantineReason(bad).orElseThrow());
    assertTrue(table.quarantineReason(good).isEmpty());
  }
}
