package org.soos.scheduler.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal, tag and snapshot tables of akka-persistence-jdbc if they are missing, from the
 * project's own idempotent DDL ({@code schema/h2.sql}, {@code schema/postgres.sql}). Startup runs it
 * once, before the ActorSystem (and so the journal) starts; running it again changes nothing.
 *
 * <p>On PostgreSQL the statements run in one transaction under a transaction-scoped advisory lock, so
 * several scheduler JVMs starting together do not race on {@code CREATE TABLE IF NOT EXISTS}. On H2
 * the database itself serialises them (AUTO_SERVER: one JVM serves the file to the others).
 */
public final class JournalSchema {
  private static final Logger log = LoggerFactory.getLogger(JournalSchema.class);

  /** Key of the PostgreSQL advisory lock held while the DDL runs (ASCII "SOOSJRNL"). */
  static final long POSTGRES_LOCK_KEY = 0x534F4F534A524E4CL;

  private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

  private JournalSchema() {}

  /**
   * Connects (retrying connection failures until {@link JournalSettings#connectTimeout()} has passed)
   * and applies the DDL of {@code settings.kind()}.
   *
   * @throws IllegalStateException when the database cannot be reached in time or a statement fails;
   *     the message names the JDBC URL (never the password) and the cause
   */
  public static void apply(JournalSettings settings) {
    List<String> ddl = statements(settings.kind());
    long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
    Duration delay = FIRST_RETRY_DELAY;
    int attempt = 1;
    while (true) {
      Connection connection;
      try {
        connection = connect(settings);
      } catch (SQLException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException("cannot reach the " + settings.kind().configName() + " journal database at "
              + settings.url() + " within " + settings.connectTimeout() + " (soos.persistence.connect-timeout): "
              + e.getMessage(), e);
        }
        log.warn("Journal database {} not reachable yet (attempt {}): {}; retrying in {} ms",
            settings.url(), attempt, e.getMessage(), delay.toMillis());
        sleep(delay);
        delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
        attempt++;
        continue;
      }
      try (connection) {
        run(connection, settings.kind(), ddl);
        log.info("Journal schema {} applied to {}", settings.kind().schemaResource(), settings.url());
        return;
      } catch (SQLException e) {
        throw new IllegalStateException("applying " + settings.kind().schemaResource() + " to " + settings.url()
            + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** The DDL statements of a journal kind, in order, without comments and terminators. */
  public static List<String> statements(JournalSettings.Kind kind) {
    String resource = kind.schemaResource();
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + resource);
      return split(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * Splits a DDL script into statements: drops {@code --} line comments, splits at {@code ;}. The
   * shipped scripts hold no string literals, so a semicolon always ends a statement.
   */
  static List<String> split(String script) {
    StringBuilder text = new StringBuilder();
    for (String line : script.split("\\R")) {
      int comment = line.indexOf("--");
      text.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
    }
    List<String> out = new ArrayList<>();
    for (String part : text.toString().split(";")) {
      String statement = part.strip();
      if (!statement.isEmpty()) out.add(statement);
    }
    return out;
  }

  private static Connection connect(JournalSettings settings) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    return DriverManager.getConnection(settings.url(), props);
  }

  private static void run(Connection connection, JournalSettings.Kind kind, List<String> ddl) throws SQLException {
    connection.setAutoCommit(false);
    try {
      if (kind == JournalSettings.Kind.POSTGRES) {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, POSTGRES_LOCK_KEY);
          lock.execute();
        }
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : ddl) {
          statement.execute(sql);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the journal database", e);
    }
  }
}
