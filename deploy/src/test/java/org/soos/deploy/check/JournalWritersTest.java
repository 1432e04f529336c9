package org.soos.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.check.JournalWriters.Row;

class JournalWritersTest {

  /** Rows of one persistence id from "writer:seq" steps, inserted in the order given. */
  private static List<Row> rows(String pid, String... steps) {
    List<Row> out = new ArrayList<>();
    long ordering = 1;
    for (String step : steps) {
      String[] p = step.split(":");
      out.add(new Row(pid, Long.parseLong(p[1]), p[0], ordering++));
    }
    return out;
  }

  @Test
  void oneWriterIsFine() {
    JournalWriters.Report r = JournalWriters.check(rows("Job|a", "A:1", "A:2", "A:3"));
    assertTrue(r.ok(), r.describe());
    assertEquals(0, r.handovers());
  }

  @Test
  void aNewIncarnationAfterARestartIsFine() {
    JournalWriters.Report r = JournalWriters.check(rows("Job|a", "A:1", "A:2", "B:3", "B:4", "C:5"));
    assertTrue(r.ok(), r.describe());
    assertEquals(1, r.handovers());
  }

  @Test
  void rowsReadInAnyOrderAreSortedFirst() {
    List<Row> rs = new ArrayList<>(rows("Job|a", "A:1", "A:2", "B:3"));
    java.util.Collections.reverse(rs);
    assertTrue(JournalWriters.check(rs).ok());
  }

  @Test
  void aWriterComingBackAfterAnotherIsAViolation() {
    JournalWriters.Report r = JournalWriters.check(rows("Job|a", "A:1", "B:2", "A:3"));
    assertFalse(r.ok());
    assertEquals(1, r.violations().size(), r.describe());
    assertEquals("Job|a", r.violations().get(0).persistenceId());
    assertTrue(r.violations().get(0).problem().contains("writer A"), r.describe());
  }

  @Test
  void theSameSequenceNumberTwiceIsAViolation() {
    JournalWriters.Report r = JournalWriters.check(rows("Job|a", "A:1", "A:2", "B:2"));
    assertFalse(r.ok());
    assertTrue(r.describe().contains("sequence number 2 written twice"), r.describe());
  }

  @Test
  void aLaterEventCommittedBeforeAnEarlierOneIsAViolation() {
    List<Row> rs = List.of(new Row("Job|a", 1, "A", 1), new Row("Job|a", 3, "B", 2), new Row("Job|a", 2, "A", 3));
    JournalWriters.Report r = JournalWriters.check(rs);
    assertFalse(r.ok(), r.describe());
  }

  @Test
  void onlyTheBadPersistenceIdIsReported() {
    List<Row> rs = new ArrayList<>(rows("Job|good", "A:1", "B:2"));
    rs.addAll(rows("Job|bad", "C:1", "D:2", "C:3", "D:4"));
    JournalWriters.Report r = JournalWriters.check(rs);
    assertFalse(r.ok());
    assertTrue(r.violations().stream().allMatch(v -> v.persistenceId().equals("Job|bad")), r.describe());
    assertEquals(2, r.persistenceIds());
  }

  @Test
  void readsAnH2JournalCreatedByTheShippedSchema(@TempDir Path runDir) throws Exception {
    String url = JournalWriters.h2Url(runDir);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      String ddl = new String(getClass().getResourceAsStream("/schema/h2.sql").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      try (Statement s = c.createStatement()) {
        for (String stmt : ddl.split(";")) {
          String sql = stmt.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).trim();
          if (!sql.isEmpty()) s.execute(sql);
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO \"event_journal\" (\"persistence_id\", "
          + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", "
          + "\"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, ?, 0, '', X'00', 1, '')")) {
        String[][] rows = {{"Job|x", "1", "A"}, {"Job|x", "2", "B"}, {"Job|x", "3", "A"}, {"Job|y", "1", "C"}};
        for (String[] row : rows) {
          p.setString(1, row[0]);
          p.setLong(2, Long.parseLong(row[1]));
          p.setString(3, row[2]);
          p.executeUpdate();
        }
      }
    }
    JournalWriters.Report r = JournalWriters.check(url, "sa");
    assertEquals(4, r.rows(), r.describe());
    assertEquals(2, r.persistenceIds());
    assertEquals(1, r.violations().size(), r.describe());
    assertEquals("Job|x", r.violations().get(0).persistenceId());
  }
}
