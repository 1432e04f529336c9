package org.soos.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soos.scheduler.persistence.JournalSettings;

class SchedulerSettingsTest {
  private static final Path RUN_DIR = Path.of("/tmp/soos-settings-test");

  @Test
  void readsTheShippedDefaults() {
    SchedulerSettings s = SchedulerSettings.fromConfig(TestConfigs.scheduler(RUN_DIR,
        Map.of("soos.scheduler.http.port", 8080)));
    assertEquals("127.0.0.1", s.http().host());
    assertEquals(8080, s.http().port());
    assertEquals(Duration.ofSeconds(10), s.http().requestTimeout());
    assertEquals(64 * 1024, s.http().maxContentLengthBytes());
    assertEquals(Duration.ofSeconds(1), s.coordinator().reportInterval());
    assertEquals(Duration.ofSeconds(3), s.coordinator().staleAfter());
    assertEquals(RUN_DIR, s.runDir());
    assertEquals(JournalSettings.Kind.H2, s.journal().kind());
    assertEquals("jdbc:h2:file:" + RUN_DIR + "/journal/soos;AUTO_SERVER=TRUE;WRITE_DELAY=0", s.journal().url());
    assertTrue(s.journal().applySchema());
  }

  @Test
  void postgresJournalReadsItsOwnConnectionSettings() {
    SchedulerSettings s = SchedulerSettings.fromConfig(TestConfigs.scheduler(RUN_DIR, Map.of(
        "soos.journal", "postgres",
        "akka-persistence-jdbc.shared-databases.postgres.db.url", "jdbc:postgresql://db.example:5432/soos",
        "akka-persistence-jdbc.shared-databases.postgres.db.password", "s3cret")));
    assertEquals(JournalSettings.Kind.POSTGRES, s.journal().kind());
    assertEquals("jdbc:postgresql://db.example:5432/soos", s.journal().url());
    assertEquals("soos", s.journal().user());
    assertTrue(!s.journal().toString().contains("s3cret"), "password must not be printed");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "soos.journal, mysql",
    "soos.scheduler.http.port, 70000",
    "soos.scheduler.http.request-timeout, 2s",
    "soos.scheduler.http.max-content-length, 0",
    "soos.scheduler.coordinator.report-interval, 0s",
    "soos.scheduler.coordinator.stale-after-intervals, 0",
    "soos.scheduler.coordinator.passivate-after-idle, 2s",
    "soos.scheduler.coordinator.max-job-updates, 0",
  })
  void rejectsBadValuesNamingTheKey(String key, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SchedulerSettings.fromConfig(TestConfigs.scheduler(RUN_DIR, Map.of(key, value))));
    String leaf = key.substring(key.lastIndexOf('.') + 1);
    assertTrue(e.getMessage().contains(leaf), e.getMessage());
  }
}
