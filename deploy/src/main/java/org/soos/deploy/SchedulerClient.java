package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The few calls the launcher makes to a scheduler's HTTP API: readiness, {@code GET /v1/tiles} and
 * {@code GET /v1/planes}. Plain JDK HTTP client and Jackson trees, so it does not depend on the
 * scheduler's classes.
 */
public final class SchedulerClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;

  /** A client for the scheduler at {@code http://host:port}. */
  public SchedulerClient(String host, int port) {
    this(URI.create("http://" + host + ":" + port), Duration.ofSeconds(5));
  }

  public SchedulerClient(URI base, Duration requestTimeout) {
    this.base = base;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI baseUri() {
    return base;
  }

  /** The full URL of {@code path} (which starts with a slash). */
  public String url(String path) {
    return base.resolve(path).toString();
  }

  /**
   * HTTP status of {@code GET /ready}, or empty when nothing answers yet (connection refused or
   * timed out).
   */
  public OptionalInt readyStatus() throws InterruptedException {
    try {
      HttpResponse<Void> response = http.send(request("/ready"), HttpResponse.BodyHandlers.discarding());
      return OptionalInt.of(response.statusCode());
    } catch (IOException e) {
      // Connection refused or timed out: not listening yet.
      return OptionalInt.empty();
    }
  }

  /** {@code GET path} as a JSON tree; fails on a non-2xx status or a body that is not JSON. */
  public JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("GET " + url(path) + " answered HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
    }
    return JSON.readTree(response.body());
  }

  /** The TILE entries of {@code GET /v1/tiles}. */
  public List<JsonNode> tiles() throws IOException, InterruptedException {
    return elements(getJson("/v1/tiles"), "tiles");
  }

  /** The plane entries of {@code GET /v1/planes}. */
  public List<JsonNode> planes() throws IOException, InterruptedException {
    return elements(getJson("/v1/planes"), "planes");
  }

  /** The elements of a JSON array, or of the array held in {@code field} of a JSON object. */
  static List<JsonNode> elements(JsonNode body, String field) {
    JsonNode array = body;
    if (body != null && body.isObject()) {
      array = body.path(field);
    }
    List<JsonNode> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(out::add);
    }
    return out;
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(requestTimeout)
        .header("Accept", "application/json")
        .GET()
        .build();
  }

  private static String abbreviate(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
