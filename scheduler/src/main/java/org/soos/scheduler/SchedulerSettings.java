package org.soos.scheduler;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.soos.scheduler.coordinator.CoordinatorSettings;
import org.soos.scheduler.persistence.JournalSettings;

/**
 * Everything the scheduler role reads from config, read once at startup and validated: the
 * {@code soos.scheduler} block, {@code soos.run-dir} and the journal choice.
 *
 * @param http the public HTTP API ({@code soos.scheduler.http})
 * @param coordinator the plane coordinators ({@code soos.scheduler.coordinator})
 * @param runDir the run folder ({@code soos.run-dir})
 * @param journal the journal database ({@code soos.journal}, {@code soos.persistence})
 */
public record SchedulerSettings(Http http, CoordinatorSettings coordinator, Path runDir, JournalSettings journal) {

  /**
   * The {@code soos.scheduler.http} block.
   *
   * @param host interface the API binds to
   * @param port TCP port (0: any free port)
   * @param requestTimeout the server answers 503 to requests that take longer
   * @param maxContentLengthBytes largest accepted request body, bytes
   * @param askTimeout how long a route waits for an actor's answer
   */
  public record Http(String host, int port, Duration requestTimeout, long maxContentLengthBytes, Duration askTimeout) {
    public Http {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("soos.scheduler.http.host must not be empty");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("soos.scheduler.http.port must be 0..65535, got: " + port);
      }
      if (askTimeout == null || askTimeout.isZero() || askTimeout.isNegative()) {
        throw new IllegalArgumentException("soos.scheduler.http.ask-timeout must be > 0, got: " + askTimeout);
      }
      if (requestTimeout == null || requestTimeout.compareTo(askTimeout) <= 0) {
        throw new IllegalArgumentException(
            "soos.scheduler.http.request-timeout must be longer than ask-timeout (" + askTimeout + "), got: "
                + requestTimeout);
      }
      if (maxContentLengthBytes < 1) {
        throw new IllegalArgumentException(
            "soos.scheduler.http.max-content-length must be > 0, got: " + maxContentLengthBytes);
      }
    }

    static Http fromConfig(Config c) {
      return new Http(
          c.getString("host"),
          c.getInt("port"),
          c.getDuration("request-timeout"),
          c.getBytes("max-content-length"),
          c.getDuration("ask-timeout"));
    }
  }

  /** Reads and validates the scheduler's settings from the root config. */
  public static SchedulerSettings fromConfig(Config root) {
    try {
      Http http = Http.fromConfig(root.getConfig("soos.scheduler.http"));
      CoordinatorSettings coordinator = CoordinatorSettings.fromConfig(root);
      String runDir = root.getString("soos.run-dir");
      if (runDir.isBlank()) throw new IllegalArgumentException("soos.run-dir must not be empty");
      return new SchedulerSettings(http, coordinator, Path.of(runDir), JournalSettings.fromConfig(root));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad scheduler configuration: " + e.getMessage(), e);
    }
  }
}
