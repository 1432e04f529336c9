package org.soos.scheduler.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * A throw-away schema on the test PostgreSQL server (127.0.0.1:5432, database {@code test}, trust
 * auth, user {@code postgres} or {@code root}; override with SOOS_TEST_PG_URL / SOOS_TEST_PG_USER).
 * {@link #create()} is empty only when no server answers at all; a server that answers but refuses
 * every user is an error.
 */
final class PostgresTestDatabase implements AutoCloseable {
  static final String SERVER_URL =
      Optional.ofNullable(System.getenv("SOOS_TEST_PG_URL")).orElse("jdbc:postgresql://127.0.0.1:5432/test");

  final String user;
  final String schema;
  final String url;

  private PostgresTestDatabase(String user, String schema) {
    this.user = user;
    this.schema = schema;
    this.url = SERVER_URL + (SERVER_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** A fresh, empty schema, or empty when no PostgreSQL server answers at {@link #SERVER_URL}. */
  static Optional<PostgresTestDatabase> create() throws SQLException {
    List<String> users = new ArrayList<>();
    Optional.ofNullable(System.getenv("SOOS_TEST_PG_USER")).ifPresent(users::add);
    users.add("postgres");
    users.add("root");
    SQLException refusal = null;
    for (String user : users) {
      try (Connection c = connect(SERVER_URL, user)) {
        String schema = "soos_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
        try (Statement s = c.createStatement()) {
          s.execute("CREATE SCHEMA " + schema);
        }
        return Optional.of(new PostgresTestDatabase(user, schema));
      } catch (SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
          return Optional.empty(); // connection refused: no server
        }
        refusal = e;
      }
    }
    throw new SQLException("PostgreSQL at " + SERVER_URL + " answers but refuses users " + users, refusal);
  }

  Connection connect() throws SQLException {
    return connect(url, user);
  }

  private static Connection connect(String url, String user) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", "");
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = connect(SERVER_URL, user); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
