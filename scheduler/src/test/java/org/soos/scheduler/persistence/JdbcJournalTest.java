package org.soos.scheduler.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.soos.scheduler.TestConfigs;

/**
 * The shipped DDL is what akka-persistence-jdbc writes and reads: an event-sourced entity persists
 * tagged events and snapshots through the configured journal (H2 file, or PostgreSQL), and a new
 * incarnation recovers its state from them.
 */
class JdbcJournalTest {
  /** The first write opens the connection pool (and H2's file server): generous on a busy machine. */
  private static final Duration FIRST_WRITE_TIMEOUT = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(JournalSettings.Kind.class)
  void entityPersistsAndRecoversOnTheShippedSchema(JournalSettings.Kind kind) throws Exception {
    Path runDir = Files.createTempDirectory("soos-journal-" + kind.configName());
    Map<String, Object> extra = new HashMap<>();
    extra.put("akka.actor.provider", "local");
    extra.put("soos.journal", kind.configName());
    Optional<PostgresTestDatabase> postgres = Optional.empty();
    if (kind == JournalSettings.Kind.POSTGRES) {
      postgres = PostgresTestDatabase.create();
      Assumptions.assumeTrue(postgres.isPresent(), "no PostgreSQL server answers at "
          + PostgresTestDatabase.SERVER_URL + ": PostgreSQL journal test skipped");
      extra.put("akka-persistence-jdbc.shared-databases.postgres.db.url", postgres.get().url);
      extra.put("akka-persistence-jdbc.shared-databases.postgres.db.user", postgres.get().user);
      extra.put("akka-persistence-jdbc.shared-databases.postgres.db.password", "");
    }
    Config config = TestConfigs.scheduler(runDir, extra);
    JournalSettings settings = JournalSettings.fromConfig(config);
    assertEquals(kind, settings.kind());
    if (kind == JournalSettings.Kind.H2) {
      assertEquals("jdbc:h2:file:" + runDir.toAbsolutePath() + "/journal/soos;AUTO_SERVER=TRUE;WRITE_DELAY=0", settings.url());
    }
    try {
      JournalSchema.apply(settings);
      ActorTestKit testKit = ActorTestKit.create("soos", config);
      try {
        TestProbe<Tally.Total> probe = testKit.createTestProbe(Tally.Total.class);
        ActorRef<Tally.Command> first = testKit.spawn(Tally.create("t1"));
        for (int amount : new int[] {1, 2, 3}) {
          first.tell(new Tally.Add(amount, probe.ref()));
          probe.receiveMessage(FIRST_WRITE_TIMEOUT);
        }
        testKit.stop(first);

        ActorRef<Tally.Command> second = testKit.spawn(Tally.create("t1"));
        second.tell(new Tally.Get(probe.ref()));
        assertEquals(6, probe.receiveMessage(FIRST_WRITE_TIMEOUT).value());
      } finally {
        testKit.shutdownTestKit();
      }

      try (Connection c = connect(settings)) {
        String q = kind == JournalSettings.Kind.H2 ? "\"" : "";
        assertEquals(3, count(c, "SELECT COUNT(*) FROM " + q + "event_journal" + q + " WHERE " + q + "persistence_id"
            + q + " = 'Tally|t1'"));
        assertEquals(3, count(c, "SELECT COUNT(*) FROM " + q + "event_tag" + q + " WHERE " + q + "tag" + q
            + " = '" + Tally.TAG + "'"));
        assertTrue(count(c, "SELECT COUNT(*) FROM " + q + "snapshot" + q) >= 1, "a snapshot after two events");
      }
    } finally {
      if (postgres.isPresent()) postgres.get().close();
    }
  }

  private static Connection connect(JournalSettings settings) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    return DriverManager.getConnection(settings.url(), props);
  }

  private static int count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
