package org.soos.deploy.check;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The journal part of the fault tests' checker (RELIABILITY.md: "the journal has no persistence id
 * written by two writers"): reads akka-persistence-jdbc's {@code event_journal} table (H2 file over
 * AUTO_SERVER, or PostgreSQL) and reports every persistence id that two writers wrote concurrently.
 *
 * <p>Every incarnation of a persistent actor writes with its own {@code writer} uuid. A new incarnation
 * after a crash, failover or restart is legitimate: it replays everything, then appends, so ordered by
 * sequence number the rows of one persistence id fall into runs of one writer each, every writer has
 * one run, and each run starts after the previous one ends. The violations, each reported:
 * <ul>
 *   <li>a sequence number written twice (impossible under the table's primary key, but checked for
 *       journals without it);</li>
 *   <li>a writer that comes back after another one wrote (A, B, A by sequence number): two
 *       incarnations alive and appending at once;</li>
 *   <li>rows whose insertion order ({@code ordering}) disagrees with their sequence numbers: a
 *       later event committed before an earlier one, which one writer never does.</li>
 * </ul>
 */
public final class JournalWriters {
  private JournalWriters() {}

  /** One journal row, as far as the check needs it. */
  public record Row(String persistenceId, long sequenceNumber, String writer, long ordering) {}

  /** One persistence id written by more than one writer at once. */
  public record Violation(String persistenceId, String problem) {
    @Override
    public String toString() {
      return persistenceId + ": " + problem;
    }
  }

  /**
   * What the check found.
   *
   * @param rows rows read
   * @param persistenceIds distinct persistence ids
   * @param handovers persistence ids written by more than one writer one after another (legitimate)
   * @param violations the persistence ids written by two writers at once
   */
  public record Report(int rows, int persistenceIds, int handovers, List<Violation> violations) {
    public boolean ok() {
      return violations.isEmpty();
    }

    public String describe() {
      return rows + " journal rows, " + persistenceIds + " persistence ids (" + handovers
          + " handed over to a new incarnation); violations " + violations;
    }
  }

  /** Checks rows (in any order). */
  public static Report check(List<Row> rows) {
    Map<String, List<Row>> byId = new TreeMap<>();
    for (Row r : rows) byId.computeIfAbsent(r.persistenceId(), k -> new ArrayList<>()).add(r);
    List<Violation> violations = new ArrayList<>();
    int handovers = 0;
    for (Map.Entry<String, List<Row>> e : byId.entrySet()) {
      List<Row> rs = new ArrayList<>(e.getValue());
      rs.sort(Comparator.comparingLong(Row::sequenceNumber).thenComparingLong(Row::ordering));
      List<String> problems = problems(rs);
      problems.forEach(p -> violations.add(new Violation(e.getKey(), p)));
      if (problems.isEmpty() && rs.stream().map(Row::writer).distinct().count() > 1) handovers++;
    }
    return new Report(rows.size(), byId.size(), handovers, List.copyOf(violations));
  }

  /** The problems of one persistence id's rows, sorted by sequence number. */
  private static List<String> problems(List<Row> rows) {
    List<String> problems = new ArrayList<>();
    // Runs of one writer by sequence number: writer -> [first seq, last seq] of its (first) run.
    Map<String, long[]> runs = new LinkedHashMap<>();
    Set<String> closed = new LinkedHashSet<>();
    String current = null;
    Row previous = null;
    for (Row r : rows) {
      if (previous != null && previous.sequenceNumber() == r.sequenceNumber()) {
        problems.add("sequence number " + r.sequenceNumber() + " written twice (writers " + previous.writer()
            + " and " + r.writer() + ")");
      }
      if (previous != null && r.ordering() < previous.ordering()) {
        problems.add("sequence number " + r.sequenceNumber() + " (writer " + r.writer() + ", ordering "
            + r.ordering() + ") was committed before sequence number " + previous.sequenceNumber() + " (writer "
            + previous.writer() + ", ordering " + previous.ordering() + ")");
      }
      if (!r.writer().equals(current)) {
        if (current != null) closed.add(current);
        if (closed.contains(r.writer())) {
          long[] first = runs.get(r.writer());
          problems.add("writer " + r.writer() + " (sequence numbers " + first[0] + ".." + first[1]
              + ") wrote again at sequence number " + r.sequenceNumber() + " after writer " + current
              + " had written: two incarnations appending at once");
        } else {
          runs.put(r.writer(), new long[] {r.sequenceNumber(), r.sequenceNumber()});
        }
        current = r.writer();
      } else if (runs.containsKey(current)) {
        long[] run = runs.get(current);
        if (!closed.contains(current)) run[1] = r.sequenceNumber();
      }
      previous = r;
    }
    return problems;
  }

  /** Reads every row of {@code event_journal} over JDBC and checks them. */
  public static Report check(Connection c) throws SQLException {
    return check(read(c));
  }

  /** Connects to {@code url} (H2 or PostgreSQL) as {@code user} with an empty password and checks its journal. */
  public static Report check(String url, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", "");
    try (Connection c = DriverManager.getConnection(url, p)) {
      return check(c);
    }
  }

  /**
   * The JDBC URL of the H2 journal of a run folder, opened beside a running scheduler (AUTO_SERVER),
   * as the scheduler's {@code persistence.conf} names it; user {@code sa}.
   */
  public static String h2Url(java.nio.file.Path runDir) {
    return "jdbc:h2:file:" + runDir.toAbsolutePath().resolve("journal").resolve("soos") + ";AUTO_SERVER=TRUE";
  }

  /** Every row of {@code event_journal} (identifiers quoted lower case: valid in H2 and PostgreSQL). */
  public static List<Row> read(Connection c) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT \"persistence_id\", \"sequence_number\", \"writer\", \"ordering\" "
            + "FROM \"event_journal\"")) {
      while (rs.next()) {
        rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
      }
    }
    return rows;
  }
}
