package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document and the server agree: every operation the document lists is answered by a
 * route (not "no such route"), and every route the server answers, for any method on any of the
 * probed paths, is in the document.
 */
class OpenApiDocumentTest {
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  /** Paths near the real ones, to catch routes answered but not documented. */
  private static final List<String> PROBES = List.of("/", "/v1", "/v1/", "/v1/jobs/", "/v1/job", "/v2/jobs",
      "/v1/jobs/" + UUID.randomUUID() + "/history", "/v1/tiles/p0-t0/orins", "/v1/planes/p0", "/v1/events/x",
      "/metrics/", "/openapi.yaml", "/v1/openapi.json", "/dashboard", "/health/", "/ready/x", "/ui", "/ui/", "/ui/x.js", "/v1/clock/x", "/index.html");

  private static ApiTestNode node;
  private static Map<String, Object> paths;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void start() throws Exception {
    node = ApiTestNode.start(Files.createTempDirectory("soos-openapi"), Map.of());
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Map<String, Object> doc = yaml.load(new String(OpenApiRoutes.load(), StandardCharsets.UTF_8));
    assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."), "an OpenAPI 3 document");
    paths = (Map<String, Object>) doc.get("paths");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** Documented operations: "METHOD /path/{template}". */
  @SuppressWarnings("unchecked")
  private static Set<String> documented() {
    Set<String> ops = new TreeSet<>();
    paths.forEach((path, item) -> ((Map<String, Object>) item).keySet().stream()
        .filter(k -> METHODS.contains(k.toUpperCase(Locale.ROOT)))
        .forEach(method -> ops.add(method.toUpperCase(Locale.ROOT) + " " + path)));
    return ops;
  }

  /** A concrete path for a documented template. */
  private static String concrete(String template) {
    return template.replace("/v1/jobs/{id}", "/v1/jobs/" + UUID.randomUUID()).replace("/v1/tiles/{id}", "/v1/tiles/p9-t9")
        .replace("/ui/{file}", "/ui/dashboard.js");
  }

  /** The template a concrete path belongs to, or the path itself. */
  private static String template(String path) {
    for (String t : paths.keySet()) {
      if (t.contains("{")) {
        String regex = t.replace(".", "\\.").replaceAll("\\{[^}]+}", "[^/]+");
        if (path.matches(regex)) return t;
      } else if (t.equals(path)) {
        return t;
      }
    }
    return path;
  }

  /** Status of {@code method path}, and whether the answer means "no such route" (404 without a field, 405, 501). */
  private static Map.Entry<Integer, Boolean> probe(String method, String path) throws Exception {
    HttpRequest.BodyPublisher body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
        ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody();
    HttpRequest request = node.request(path).header("Content-Type", "application/json").method(method, body).build();
    HttpResponse<InputStream> response = ApiTestNode.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    int status = response.statusCode();
    String text;
    if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
      response.body().close();
      text = "";
    } else {
      try (InputStream in = response.body()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    boolean noRoute = status == 405 || status == 501;
    if (status == 404) {
      JsonNode problem = ApiTestNode.JSON.readTree(text);
      noRoute = !problem.has("field");
    }
    return Map.entry(status, noRoute);
  }

  @Test
  void everyDocumentedOperationIsAnsweredByARoute() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String op : documented()) {
      String method = op.substring(0, op.indexOf(' '));
      String path = concrete(op.substring(op.indexOf(' ') + 1));
      Map.Entry<Integer, Boolean> answer = probe(method, path);
      if (answer.getValue()) missing.add(op + " -> " + answer.getKey());
    }
    assertEquals(List.of(), missing, "documented but not served");
    assertTrue(documented().size() >= 12, documented().toString());
  }

  @Test
  void everyRouteTheServerAnswersIsDocumented() throws Exception {
    List<String> candidates = new ArrayList<>();
    paths.keySet().forEach(t -> candidates.add(concrete(t)));
    candidates.addAll(PROBES);
    Map<String, Integer> undocumented = new LinkedHashMap<>();
    Set<String> documented = documented();
    for (String path : candidates) {
      for (String method : METHODS) {
        Map.Entry<Integer, Boolean> answer = probe(method, path);
        if (answer.getValue()) continue;
        String op = method + " " + template(path);
        if (!documented.contains(op)) undocumented.put(op + " (" + path + ")", answer.getKey());
      }
    }
    assertEquals(Map.of(), undocumented, "served but not documented");
  }
}
