package org.soos.deploy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the job commands find the scheduler API: {@code --url} (or SOOS_URL), and the bearer token
 * for mutating calls from the environment variable SOOS_API_TOKEN only (an option would show the
 * secret in process listings and shell histories).
 */
final class ApiOptions {
  /** The environment variable holding the API token. */
  static final String TOKEN_ENV = "SOOS_API_TOKEN";
  /** The environment variable holding the default API URL. */
  static final String URL_ENV = "SOOS_URL";
  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL",
      description = "Scheduler API base URL (default: $SOOS_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** The client; the token comes from SOOS_API_TOKEN when it is set and not empty. */
  JobApiClient client() {
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new ParameterException(spec.commandLine(), "--timeout must be 1..3600 seconds, got: " + timeoutSeconds);
    }
    return new JobApiClient(baseUri(), Optional.ofNullable(System.getenv(TOKEN_ENV)).filter(t -> !t.isBlank()),
        Duration.ofSeconds(timeoutSeconds));
  }

  URI baseUri() {
    String text = url != null ? url : Optional.ofNullable(System.getenv(URL_ENV)).filter(u -> !u.isBlank()).orElse(DEFAULT_URL);
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new URISyntaxException(text, "not an http(s) URL with a host");
      }
      if (uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(text, "no query or user info allowed (the token comes from " + TOKEN_ENV + ")");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--url must be like " + DEFAULT_URL + ", got: " + text
          + " (" + e.getReason() + ")");
    }
  }
}
