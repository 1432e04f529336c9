package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The job calls of the scheduler API ({@code /v1/jobs}) for the command line: plain JDK HTTP client
 * and Jackson trees, independent of the scheduler's classes. Mutating calls carry
 * {@code Authorization: Bearer <token>} when a token is given. A non-2xx answer becomes an
 * {@link ApiException} carrying the problem's status, detail and field.
 */
final class JobApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Optional<String> token;
  private final Duration timeout;
  private final HttpClient http;

  JobApiClient(URI base, Optional<String> token, Duration timeout) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** An error answer of the API. */
  static final class ApiException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;

    ApiException(int status, String detail, String field) {
      super("HTTP " + status + ": " + detail + (field == null || field.isEmpty() ? "" : " (field: " + field + ")"));
      this.status = status;
      this.field = field;
    }

    int status() {
      return status;
    }

    String field() {
      return field;
    }
  }

  /** What {@code POST /v1/jobs} answered: the job and whether an earlier request created it. */
  record Submitted(JsonNode job, boolean replayed) {
    String id() {
      return job.path("id").asText();
    }
  }

  /** {@code POST /v1/jobs} with {@code specJson}; 202 expected. */
  Submitted submit(byte[] specJson, Optional<String> idempotencyKey) throws IOException, InterruptedException {
    HttpRequest.Builder b = request("/v1/jobs").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(specJson));
    idempotencyKey.ifPresent(k -> b.header("Idempotency-Key", k));
    authorize(b);
    HttpResponse<String> r = send(b.build());
    return new Submitted(body(r), r.headers().firstValue("Idempotent-Replayed").isPresent());
  }

  /** {@code GET /v1/jobs} with the given query parameters (null values left out). */
  JsonNode list(Map<String, String> query) throws IOException, InterruptedException {
    Map<String, String> q = new LinkedHashMap<>();
    query.forEach((k, v) -> {
      if (v != null) q.put(k, v);
    });
    String qs = q.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return body(send(request("/v1/jobs" + (qs.isEmpty() ? "" : "?" + qs)).GET().build()));
  }

  /** {@code GET /v1/jobs/{id}}. */
  JsonNode get(String id) throws IOException, InterruptedException {
    return body(send(request("/v1/jobs/" + segment(id)).GET().build()));
  }

  /** {@code DELETE /v1/jobs/{id}[?reason=]}. */
  JsonNode cancel(String id, Optional<String> reason) throws IOException, InterruptedException {
    String q = reason.map(r -> "?reason=" + URLEncoder.encode(r, StandardCharsets.UTF_8)).orElse("");
    HttpRequest.Builder b = request("/v1/jobs/" + segment(id) + q).DELETE();
    authorize(b);
    return body(send(b.build()));
  }

  /** {@code POST /v1/tiles/{id}/drain[?reason=]} (drain) or {@code DELETE /v1/tiles/{id}/drain} (undrain); 202 expected. */
  JsonNode drain(String tileId, boolean drain, Optional<String> reason) throws IOException, InterruptedException {
    String path = "/v1/tiles/" + segment(tileId) + "/drain";
    HttpRequest.Builder b;
    if (drain) {
      String q = reason.map(r -> "?reason=" + URLEncoder.encode(r, StandardCharsets.UTF_8)).orElse("");
      b = request(path + q).POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b = request(path).DELETE();
    }
    authorize(b);
    return body(send(b.build()));
  }

  private static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).header("Accept", "application/json");
  }

  private void authorize(HttpRequest.Builder b) {
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to the scheduler at " + base + " (is it running? see --url)", e);
    } catch (java.net.http.HttpTimeoutException e) {
      throw new IOException("the scheduler at " + base + " did not answer within " + timeout.toSeconds() + " s", e);
    }
  }

  private static JsonNode body(HttpResponse<String> r) throws IOException {
    JsonNode json;
    try {
      json = r.body() == null || r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException notJson) {
      throw new ApiException(r.statusCode(), "answer is not JSON: " + abbreviate(r.body()), null);
    }
    if (r.statusCode() / 100 != 2) {
      String detail = json.path("detail").asText(json.path("title").asText("HTTP " + r.statusCode()));
      String field = json.hasNonNull("field") ? json.get("field").asText() : null;
      if (r.statusCode() == 401) {
        detail = detail + "; set " + ApiOptions.TOKEN_ENV + " to the scheduler's token";
      }
      throw new ApiException(r.statusCode(), detail, field);
    }
    return json;
  }

  private static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
    return one.length() <= 200 ? one : one.substring(0, 200) + "...";
  }
}
