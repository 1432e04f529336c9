package org.soos.scheduler.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Optional;

/**
 * The job API's own settings in {@code soos.scheduler.http} (beside host, port and timeouts, which
 * {@code SchedulerSettings.Http} holds), read once and validated.
 *
 * @param token bearer token required on mutating calls (POST, DELETE); empty: no authentication.
 *     From {@code soos.scheduler.http.token}, normally set by the environment variable SOOS_API_TOKEN
 * @param maxJsonDepth deepest nesting of objects and arrays accepted in a request body
 * @param bodyReadTimeout how long the server waits for a request body to arrive in full (408 after)
 * @param maxHeaderCount most request headers accepted (431 above)
 * @param maxHeaderValueBytes longest request header value accepted (431 above)
 * @param eventsKeepAlive interval of keep-alive comments on an idle {@code GET /v1/events} stream
 * @param maxEventStreams most concurrent {@code GET /v1/events} streams (503 above)
 */
public record ApiSettings(
    Optional<String> token,
    int maxJsonDepth,
    Duration bodyReadTimeout,
    int maxHeaderCount,
    long maxHeaderValueBytes,
    Duration eventsKeepAlive,
    int maxEventStreams) {

  /** Defaults, for tests and tools that serve the routes without the role's config file. */
  public static final ApiSettings DEFAULTS =
      new ApiSettings(Optional.empty(), 8, Duration.ofSeconds(5), 32, 8192, Duration.ofSeconds(15), 64);

  public ApiSettings {
    token = token == null ? Optional.empty() : token.filter(t -> !t.isEmpty());
    if (token.isPresent() && !token.get().matches("[\\x21-\\x7E]{16,512}")) {
      throw new IllegalArgumentException(
          "soos.scheduler.http.token (SOOS_API_TOKEN) must be 16-512 visible ASCII characters without spaces");
    }
    if (maxJsonDepth < 2 || maxJsonDepth > 64) {
      throw new IllegalArgumentException("soos.scheduler.http.max-json-depth must be 2..64, got: " + maxJsonDepth);
    }
    requirePositive("soos.scheduler.http.body-read-timeout", bodyReadTimeout);
    requirePositive("soos.scheduler.http.events-keep-alive", eventsKeepAlive);
    if (maxHeaderCount < 8 || maxHeaderCount > 1024) {
      throw new IllegalArgumentException("soos.scheduler.http.max-header-count must be 8..1024, got: " + maxHeaderCount);
    }
    if (maxHeaderValueBytes < 256 || maxHeaderValueBytes > 65536) {
      throw new IllegalArgumentException(
          "soos.scheduler.http.max-header-value-length must be 256..65536 bytes, got: " + maxHeaderValueBytes);
    }
    if (maxEventStreams < 1) {
      throw new IllegalArgumentException("soos.scheduler.http.max-event-streams must be >= 1, got: " + maxEventStreams);
    }
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(key + " must be > 0, got: " + d);
  }

  /** Reads {@code soos.scheduler.http} of the root config; missing keys take {@link #DEFAULTS}. */
  public static ApiSettings fromConfig(Config root) {
    try {
      Config c = root.hasPath("soos.scheduler.http") ? root.getConfig("soos.scheduler.http") : com.typesafe.config.ConfigFactory.empty();
      return new ApiSettings(
          c.hasPath("token") ? Optional.of(c.getString("token").strip()) : DEFAULTS.token(),
          c.hasPath("max-json-depth") ? c.getInt("max-json-depth") : DEFAULTS.maxJsonDepth(),
          c.hasPath("body-read-timeout") ? c.getDuration("body-read-timeout") : DEFAULTS.bodyReadTimeout(),
          c.hasPath("max-header-count") ? c.getInt("max-header-count") : DEFAULTS.maxHeaderCount(),
          c.hasPath("max-header-value-length") ? c.getBytes("max-header-value-length") : DEFAULTS.maxHeaderValueBytes(),
          c.hasPath("events-keep-alive") ? c.getDuration("events-keep-alive") : DEFAULTS.eventsKeepAlive(),
          c.hasPath("max-event-streams") ? c.getInt("max-event-streams") : DEFAULTS.maxEventStreams());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad soos.scheduler.http configuration: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ApiSettings[token=" + (token.isPresent() ? "set" : "none") + ", maxJsonDepth=" + maxJsonDepth
        + ", bodyReadTimeout=" + bodyReadTimeout + ", maxHeaderCount=" + maxHeaderCount + ", maxHeaderValueBytes="
        + maxHeaderValueBytes + ", eventsKeepAlive=" + eventsKeepAlive + ", maxEventStreams=" + maxEventStreams + "]";
  }
}
