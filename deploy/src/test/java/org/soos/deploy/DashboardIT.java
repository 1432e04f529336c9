package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (the system's {@code chromium} and {@code chromedriver},
 * Debian's {@code chromium} and {@code chromium-driver}; nothing downloaded) against a real local
 * constellation of one scheduler and two tile-node JVMs: every TILE is drawn on its plane's ring and
 * moves in simulated time, a job submitted over the API appears in the list, on its TILE and with its
 * history, the event stream is live, and the page logs no error. Saves a screenshot to
 * {@code target/dashboard.png}.
 *
 * <p>{@code -Dsoos.chromium} and {@code -Dsoos.chromedriver} point at other binaries.
 */
class DashboardIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double WARP = 60;
  private static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(45);
  static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  @TempDir Path runDir;

  private LocalConstellation local;
  private ChromeDriver browser;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopEverything() throws IOException {
    if (browser != null) browser.quit();
    if (local != null) {
      local.close();
      for (LocalConstellation.Node node : local.nodes()) {
        if (Files.exists(node.log())) {
          Path kept = Path.of("target", "failsafe-reports", "DashboardIT-" + node.name() + ".log");
          Files.createDirectories(kept.getParent());
          Files.copy(node.log(), kept, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  @Timeout(170)
  void showsTheConstellationAndAJobLive() throws Exception {
    Map<String, String> constellation = new LinkedHashMap<>();
    constellation.put("type", "walker");
    constellation.put("planes", "3");
    constellation.put("tiles-per-plane", "4");
    constellation.put("altitude-km", "550");
    constellation.put("inclination-deg", "53");
    constellation.put("phasing", "1");
    constellation.put("epoch", ELEMENTS_EPOCH.toString());
    local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(FreePorts.block(3))
        .managementPortBase(FreePorts.block(3))
        .httpPort(FreePorts.block(1))
        .tileNodes(2)
        .heap("384m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(WARP)
        .constellation(constellation)
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true))
        .build();
    local.start(Duration.ofSeconds(60));
    LocalConstellation.TilesSeen seen = local.awaitTiles(12, Duration.ofSeconds(60));
    assertTrue(seen.complete(), "TILEs reporting: " + seen.tiles().size() + " of 12; logs in " + runDir);
    Set<String> tileIds = new TreeSet<>();
    seen.tiles().forEach(t -> tileIds.add(LocalConstellation.tileId(t)));

    // Two long jobs, so they are still running while the page looks at them.
    String first = submit("dashboard-training", 500_000);
    String second = submit("dashboard-inference", 300_000);
    JsonNode running = awaitJob(first, j -> j.path("state").asText().equals("RUNNING"));
    String jobTile = running.path("placement").path("tileId").asText();
    assertTrue(tileIds.contains(jobTile), running.toString());

    browser = chromium();
    // The page redraws the job list and the TILEs as data arrives: an element found a moment ago may be
    // gone, so find-and-act happens inside the wait, which tries again.
    WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
    wait.ignoring(StaleElementReferenceException.class);
    browser.get(local.scheduler().url("/"));
    assertEquals("SOOS constellation", browser.getTitle());

    // Every TILE on the map, with its illumination, on one ring per plane.
    wait.withMessage("12 TILEs drawn with their illumination")
        .until(d -> d.findElements(By.cssSelector("#tile-layer g.tile[data-eclipse]")).size() == 12);
    Set<String> drawn = new TreeSet<>();
    for (WebElement tile : browser.findElements(By.cssSelector("#tile-layer g.tile"))) {
      drawn.add(tile.getDomAttribute("data-tile"));
      assertTrue(Set.of("SUNLIT", "PENUMBRA", "UMBRA").contains(tile.getDomAttribute("data-eclipse")), tile.getDomAttribute("data-tile"));
    }
    assertEquals(tileIds, drawn);
    assertEquals(3, browser.findElements(By.cssSelector("#ring-layer circle")).size(), "one ring per plane");
    assertEquals("12", browser.findElement(By.id("tile-count")).getText());

    // TILEs move along their rings in warped time (60x: 1.5 s of wall time is 1.5 simulated minutes, ~6 degrees).
    String selector = "#tile-layer g.tile[data-tile='" + jobTile + "']";
    String before = wait.until(d -> d.findElement(By.cssSelector(selector)).getDomAttribute("transform"));
    Thread.sleep(1500);
    String after = wait.until(d -> d.findElement(By.cssSelector(selector)).getDomAttribute("transform"));
    assertNotEquals(before, after, jobTile + " moved");

    // The job: in the list, as a dot on its TILE, and its history when clicked.
    wait.withMessage("job " + first + " listed").until(d -> !d.findElements(By.cssSelector("#jobs tr[data-job='" + first + "']")).isEmpty());
    wait.withMessage("job " + second + " listed").until(d -> !d.findElements(By.cssSelector("#jobs tr[data-job='" + second + "']")).isEmpty());
    wait.withMessage("job " + first + " drawn on " + jobTile)
        .until(d -> !d.findElements(By.cssSelector(selector + " circle.job-dot[data-job='" + first + "']")).isEmpty());
    wait.withMessage("click on job " + first).until(d -> {
      d.findElement(By.cssSelector("#jobs tr[data-job='" + first + "']")).click();
      return true;
    });
    wait.withMessage("history of " + first).until(d -> d.findElement(By.id("job-detail-id")).getText().equals(first)
        && !d.findElements(By.cssSelector("#job-history tr[data-event='placed']")).isEmpty());

    // The TILE's detail with its charts, and the live event stream.
    wait.withMessage("click on " + jobTile).until(d -> {
      d.findElement(By.cssSelector(selector + " .tile-body")).click();
      return true;
    });
    wait.withMessage("detail of " + jobTile).until(d -> d.findElement(By.id("detail-id")).getText().startsWith(jobTile));
    wait.withMessage("event stream live").until(d -> d.findElement(By.id("sse-state")).getText().equals("live"));
    String third = submit("dashboard-late", 200_000);
    wait.withMessage("the event of job " + third + " streamed")
        .until(d -> !d.findElements(By.cssSelector("#events li[data-job='" + third + "']")).isEmpty());
    Thread.sleep(4000); // a few more polls: the charts draw their history

    // The whole page in one picture, from the top.
    browser.executeScript("window.scrollTo(0, 0); document.querySelectorAll('.scroll').forEach(e => { e.scrollTop = 0; e.scrollLeft = 0; })");
    Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1440, Math.min(2400, height.intValue() + 20)));
    Thread.sleep(500);
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    System.out.println("screenshot: " + SCREENSHOT.toAbsolutePath());
    assertTrue(Files.size(SCREENSHOT) > 20_000, "a screenshot with content");

    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .toList();
    assertEquals(List.of(), errors, "errors in the browser console");
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  private ChromeDriver chromium() {
    String chromium = System.getProperty("soos.chromium", "/usr/bin/chromium");
    String chromedriver = System.getProperty("soos.chromedriver", "/usr/bin/chromedriver");
    assertTrue(new File(chromium).canExecute(), chromium + " missing: apt-get install chromium (see .ci/run)");
    assertTrue(new File(chromedriver).canExecute(), chromedriver + " missing: apt-get install chromium-driver (see .ci/run)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1440,1080", "--hide-scrollbars", "--force-device-scale-factor=1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  private String submit(String name, double workGpuSeconds) throws Exception {
    String body = "{\"name\":\"" + name + "\",\"kind\":\"simulated\",\"workGpuSeconds\":" + workGpuSeconds
        + ",\"powerWatts\":30,\"memoryGb\":8,\"priority\":5,"
        + "\"checkpoint\":{\"intervalSeconds\":120,\"sizeBytes\":200000000,\"migratable\":true}}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(local.scheduler().url("/v1/jobs")))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), "POST /v1/jobs answered " + response.body());
    return JSON.readTree(response.body()).path("id").asText();
  }

  private JsonNode awaitJob(String id, java.util.function.Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      local.throwIfChildExited();
      try {
        last = local.scheduler().getJson("/v1/jobs/" + id);
        if (until.test(last)) return last;
      } catch (IOException e) {
        // slow under load: poll again
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + id + " not as expected by " + WAIT + ": " + last);
  }
}
