package org.soos.scheduler.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Locale;

/**
 * Which database the journal and snapshot store use, read once from config: {@code soos.journal}
 * ({@code h2} or {@code postgres}), the chosen shared Slick database
 * {@code akka-persistence-jdbc.shared-databases.<journal>.db} (url, user, password) and
 * {@code soos.persistence.*}.
 *
 * @param kind the database
 * @param url JDBC URL
 * @param user database user
 * @param password database password (never printed)
 * @param applySchema whether startup applies {@code schema/<journal>.sql}
 * @param connectTimeout how long startup keeps retrying to reach the database
 */
public record JournalSettings(
    Kind kind, String url, String user, String password, boolean applySchema, Duration connectTimeout) {

  /** The databases SOOS ships a schema for. */
  public enum Kind {
    /** Embedded, one file under the run folder; the default. */
    H2("h2"),
    /** A shared PostgreSQL server. */
    POSTGRES("postgres");

    private final String configName;

    Kind(String configName) {
      this.configName = configName;
    }

    /** The value of {@code soos.journal}, also the shared database name and the schema file name. */
    public String configName() {
      return configName;
    }

    /** Classpath resource of the idempotent DDL. */
    public String schemaResource() {
      return "schema/" + configName + ".sql";
    }

    static Kind parse(String text) {
      String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
      for (Kind k : values()) {
        if (k.configName.equals(t)) return k;
      }
      throw new IllegalArgumentException("soos.journal must be h2 or postgres, got: " + text);
    }
  }

  public JournalSettings {
    if (kind == null) throw new IllegalArgumentException("soos.journal is required");
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "akka-persistence-jdbc.shared-databases." + kind.configName() + ".db.url must be a JDBC URL, got: " + url);
    }
    if (connectTimeout == null || connectTimeout.isNegative()) {
      throw new IllegalArgumentException("soos.persistence.connect-timeout must be >= 0, got: " + connectTimeout);
    }
  }

  /** Reads the journal choice and its connection settings from the root config. */
  public static JournalSettings fromConfig(Config root) {
    Kind kind = Kind.parse(root.getString("soos.journal"));
    String base = "akka-persistence-jdbc.shared-databases." + kind.configName() + ".db";
    if (!root.hasPath(base)) {
      throw new IllegalArgumentException("missing config block " + base + " for soos.journal = " + kind.configName());
    }
    Config db = root.getConfig(base);
    try {
      return new JournalSettings(
          kind,
          db.getString("url"),
          db.hasPath("user") ? db.getString("user") : "",
          db.hasPath("password") ? db.getString("password") : "",
          root.getBoolean("soos.persistence.apply-schema"),
          root.getDuration("soos.persistence.connect-timeout"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad journal configuration: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JournalSettings[" + kind.configName() + " " + url + " as " + user + ", applySchema=" + applySchema
        + ", connectTimeout=" + connectTimeout + "]";
  }
}
