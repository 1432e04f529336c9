package org.soos.scheduler.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.soos.scheduler.TestConfigs;

class JournalSchemaTest {
  private static final Set<String> TABLES = Set.of("event_journal", "event_tag", "snapshot");

  static {
    TestConfigs.freePort(); // loads TestConfigs: H2 listens on loopback only
  }

  private static Set<String> tables(Connection c, String schemaPattern) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (ResultSet rs = c.getMetaData().getTables(null, schemaPattern, "%", new String[] {"TABLE"})) {
      while (rs.next()) names.add(rs.getString("TABLE_NAME"));
    }
    return names;
  }

  private static Set<String> columns(Connection c, String schemaPattern, String table) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (ResultSet rs = c.getMetaData().getColumns(null, schemaPattern, table, "%")) {
      while (rs.next()) names.add(rs.getString("COLUMN_NAME"));
    }
    return names;
  }

  private static final Set<String> JOURNAL_COLUMNS = Set.of("ordering", "deleted", "persistence_id",
      "sequence_number", "writer", "write_timestamp", "adapter_manifest", "event_payload", "event_ser_id",
      "event_ser_manifest", "meta_payload", "meta_ser_id", "meta_ser_manifest");
  private static final Set<String> SNAPSHOT_COLUMNS = Set.of("persistence_id", "sequence_number", "created",
      "snapshot_ser_id", "snapshot_ser_manifest", "snapshot_payload", "meta_ser_id", "meta_ser_manifest",
      "meta_payload");

  @ParameterizedTest
  @EnumSource(JournalSettings.Kind.class)
  void shippedScriptsCreateTheThreeTablesInThreeStatements(JournalSettings.Kind kind) {
    var statements = JournalSchema.statements(kind);
    assertEquals(3, statements.size(), statements.toString());
    assertTrue(statements.stream().allMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS")), statements.toString());
  }

  @Test
  void splitDropsCommentsAndEmptyStatements() {
    assertEquals(java.util.List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"),
        JournalSchema.split("-- header; with a semicolon\nCREATE TABLE a (x INT); -- trailing\n;\nCREATE TABLE b (y INT);\n"));
  }

  @Test
  void appliesH2SchemaTwiceWithoutError() throws Exception {
    Path runDir = Files.createTempDirectory("soos-h2-schema");
    String url = "jdbc:h2:file:" + runDir.toAbsolutePath() + "/journal/soos;AUTO_SERVER=TRUE";
    JournalSettings settings =
        new JournalSettings(JournalSettings.Kind.H2, url, "sa", "", true, Duration.ofSeconds(5));

    JournalSchema.apply(settings);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("INSERT INTO \"snapshot\" (\"persistence_id\", \"sequence_number\", \"created\", "
          + "\"snapshot_ser_id\", \"snapshot_ser_manifest\", \"snapshot_payload\") VALUES ('p', 1, 0, 1, '', X'00')");
    }
    JournalSchema.apply(settings);

    assertTrue(Files.exists(runDir.resolve("journal/soos.mv.db")));
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertEquals(TABLES, tables(c, "PUBLIC"));
      assertEquals(JOURNAL_COLUMNS, columns(c, "PUBLIC", "event_journal"));
      assertEquals(Set.of("event_id", "tag"), columns(c, "PUBLIC", "event_tag"));
      assertEquals(SNAPSHOT_COLUMNS, columns(c, "PUBLIC", "snapshot"));
      try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"snapshot\"")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "applying the schema again keeps existing rows");
      }
    }
  }

  @Test
  void appliesPostgresSchemaTwiceWithoutError() throws Exception {
    Optional<PostgresTestDatabase> database = PostgresTestDatabase.create();
    Assumptions.assumeTrue(database.isPresent(),
        "no PostgreSQL server answers at " + PostgresTestDatabase.SERVER_URL + ": PostgreSQL schema test skipped");
    try (PostgresTestDatabase db = database.get()) {
      JournalSettings settings =
          new JournalSettings(JournalSettings.Kind.POSTGRES, db.url, db.user, "", true, Duration.ofSeconds(5));

      JournalSchema.apply(settings);
      try (Connection c = db.connect()) {
        c.createStatement().execute("INSERT INTO snapshot (persistence_id, sequence_number, created, "
            + "snapshot_ser_id, snapshot_ser_manifest, snapshot_payload) VALUES ('p', 1, 0, 1, '', '\\x00'::bytea)");
      }
      JournalSchema.apply(settings);

      try (Connection c = db.connect()) {
        assertEquals(TABLES, tables(c, db.schema));
        assertEquals(JOURNAL_COLUMNS, columns(c, db.schema, "event_journal"));
        assertEquals(Set.of("event_id", "tag"), columns(c, db.schema, "event_tag"));
        assertEquals(SNAPSHOT_COLUMNS, columns(c, db.schema, "snapshot"));
        try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM snapshot");
            ResultSet rs = count.executeQuery()) {
          rs.next();
          assertEquals(1, rs.getInt(1), "applying the schema again keeps existing rows");
        }
      }
    }
  }

  @Test
  void failsWithTheUrlWhenTheDatabaseCannotBeReached() {
    JournalSettings settings = new JournalSettings(JournalSettings.Kind.POSTGRES,
        "jdbc:postgresql://127.0.0.1:" + TestConfigs.freePort() + "/soos", "soos", "secret", true,
        Duration.ofMillis(300));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JournalSchema.apply(settings));
    assertTrue(e.getMessage().contains(settings.url()), e.getMessage());
    assertTrue(e.getMessage().contains("soos.persistence.connect-timeout"), e.getMessage());
    assertTrue(!e.getMessage().contains("secret"), e.getMessage());
  }
}
