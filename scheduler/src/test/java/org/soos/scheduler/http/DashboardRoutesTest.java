package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's page, files and clock over a real HTTP client against a real scheduler node. */
class DashboardRoutesTest {
  private static ApiTestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = ApiTestNode.start(Files.createTempDirectory("soos-dashboard"), Map.of());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void rootServesThePageAndEveryFileItLinksIsServed() throws Exception {
    HttpResponse<String> page = node.get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
    Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    int linked = 0;
    while (links.find()) {
      String link = links.group(1);
      if (link.equals("data:,")) continue; // the empty icon: no request for /favicon.ico
      assertTrue(link.startsWith("/ui/"), "the page links only its own files: " + link);
      HttpResponse<String> file = node.get(link);
      assertEquals(200, file.statusCode(), link);
      assertFalse(file.body().isBlank(), link);
      String type = file.headers().firstValue("Content-Type").orElse("");
      assertTrue(link.endsWith(".js") ? type.startsWith("application/javascript") : type.startsWith("text/css"), link + ": " + type);
      linked++;
    }
    assertEquals(2, linked, "the page's script and style sheet");
  }

  @Test
  void theScriptLoadsNothingFromElsewhere() throws Exception {
    String script = node.get("/ui/dashboard.js").body();
    for (String path : new String[] {"'/v1/tiles'", "'/v1/clock'", "'/v1/events'", "'/v1/jobs?limit=1000'"}) {
      assertTrue(script.contains(path), "uses " + path);
    }
    Matcher urls = Pattern.compile("https?://[^'\"\\s)]+").matcher(script + node.get("/").body() + node.get("/ui/dashboard.css").body());
    while (urls.find()) {
      assertEquals("http://www.w3.org/2000/svg", urls.group(), "only the SVG namespace name may look like a URL");
    }
  }

  @Test
  void unknownFileIsA404NamingIt() throws Exception {
    for (String path : new String[] {"/ui/nope.js", "/ui/index.html", "/ui/..%2Fopenapi.yaml"}) {
      HttpResponse<String> response = node.get(path);
      assertEquals(404, response.statusCode(), path);
      assertEquals("file", ApiTestNode.json(response).path("field").asText(), path);
    }
  }

  @Test
  void clockGivesSimulatedTimeAndWarp() throws Exception {
    HttpResponse<String> response = node.get("/v1/clock");
    assertEquals(200, response.statusCode());
    JsonNode clock = ApiTestNode.json(response);
    assertEquals(60.0, clock.path("warp").asDouble());
    Instant sim = Instant.parse(clock.path("simTime").asText());
    Instant wall = Instant.parse(clock.path("wallTime").asText());
    Instant simAnchor = Instant.parse(clock.path("simAnchor").asText());
    Instant wallAnchor = Instant.parse(clock.path("wallAnchor").asText());
    long expectedSimMillis = simAnchor.toEpochMilli() + Math.round(Duration.between(wallAnchor, wall).toMillis() * 60.0);
    assertTrue(Math.abs(sim.toEpochMilli() - expectedSimMillis) <= 60, "simTime = simAnchor + (wall - wallAnchor) * warp: " + clock);
    Thread.sleep(200);
    Instant later = Instant.parse(ApiTestNode.json(node.get("/v1/clock")).path("simTime").asText());
    assertTrue(Duration.between(sim, later).toMillis() >= 200 * 60 - 60, "simulated time runs 60x: " + sim + " -> " + later);
  }
}
