package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.EclipsePredictor;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orbit.TileOrbit;

/**
 * {@code soos up --demo} as a person runs it: the real command in its own JVM starts the scheduler and two
 * tile-node JVMs and submits the default demo workload ({@code deploy/examples/eclipse-demo}, as many copies
 * as fill 7 in 8 of the Orins), in which some TILEs of every plane run more than their battery carries through
 * the next eclipse. Checks, over the HTTP API, that checkpointable jobs migrate for that reason before their
 * TILE enters the shadow (the eclipse the physics predicts for that TILE), and never late when they had time;
 * that a moved job continues from its checkpoint on the target under a new epoch without losing work and
 * completes; that no Orin crosses its shutdown temperature meanwhile; and that stopping the command stops
 * every JVM it started.
 */
class DemoMigrationIT {
  /** Simulated start and the epoch of the orbital elements, so the test predicts the same eclipses. */
  private static final Instant SIM_START = Instant.parse("2026-03-20T06:00:00Z");
  /** {@code soos.tile.thermal.shutdown-temp-celsius} of the reference TILE. */
  private static final double SHUTDOWN_CELSIUS =
      ConfigFactory.defaultReference().getDouble("soos.tile.thermal.shutdown-temp-celsius");
  /**
   * How long before an eclipse a job must have been running on a TILE for the policy to be expected to move
   * it before that eclipse: its minimum residence (10 min), migration lead (3 min) and a decision round.
   */
  private static final Duration TIME_TO_MOVE_FIRST = Duration.ofMinutes(15);
  /** How far ahead of its eclipse a move for energy may start and still count as ahead of that eclipse. */
  private static final Duration AHEAD_AT_MOST = Duration.ofMinutes(40);
  /** Simulated seconds per wall second of {@code soos up}'s default warp. */
  private static final double WARP = 60;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Process up;
  private Path runDir;
  private Path log;

  @AfterEach
  void stop() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroy(); // SIGTERM: the command's shutdown hook stops its JVMs
      up.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      up.destroyForcibly();
    }
    if (log != null && Files.exists(log)) {
      Path kept = Path.of("target", "failsafe-reports", "DemoMigrationIT-up.log");
      Files.createDirectories(kept.getParent());
      Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  @Timeout(900)
  void checkpointableJobsMoveBeforeEclipseEntryAndComplete() throws Exception {
    Path jobs = Examples.folder("eclipse-demo");
    runDir = dir.resolve("run");
    log = dir.resolve("up.log");
    int http = FreePorts.block(1);
    int akka = FreePorts.block(3);
    int management = FreePorts.block(3);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", FreePorts.testClasspath(),
        "org.soos.deploy.SoosCli", "up",
        "--planes", "3", "--tiles-per-plane", "4",
        "--sim-start", SIM_START.toString(), "--epoch", SIM_START.toString(),
        "--http-port", String.valueOf(http), "--akka-port", String.valueOf(akka),
        "--management-port", String.valueOf(management), "--heap", "384m",
        "--run-dir", runDir.toString(),
        "--demo", "--demo-jobs", jobs.toString()));
    up = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitLog("watch them:", Duration.ofSeconds(200));

    Api api = new Api(URI.create("http://127.0.0.1:" + http));
    Map<String, List<EclipseWindow>> eclipses = predictedEclipses();

    // Every move for energy starts ahead of the eclipse it precedes, unless the job was not on that TILE in time
    // to move first; at least one such move happens within five simulated hours.
    Instant deadline = Instant.now().plusSeconds(300);
    Move move = null;
    while (move == null) {
      if (Instant.now().isAfter(deadline)) fail("no job moved ahead of an eclipse within 300 s; " + logTail());
      assertOrinsBelowShutdown(api);
      for (JsonNode job : api.get("/v1/jobs?limit=200").path("jobs")) {
        if (job.path("epoch").asInt() < 2) continue;
        for (Move m : eclipseMoves(api.get("/v1/jobs/" + job.path("id").asText()))) {
          List<EclipseWindow> passes = eclipses.get(m.fromTile());
          // The eclipse the move precedes or falls in.
          EclipseWindow next = passes.stream().filter(w -> end(w).isAfter(m.at())).findFirst()
              .orElseThrow(() -> new AssertionError("no eclipse of " + m.fromTile() + " after " + m.at()));
          if (m.at().isBefore(start(next))) {
            assertTrue(Duration.between(m.at(), start(next)).compareTo(AHEAD_AT_MOST) <= 0,
                m + " is not ahead of an eclipse: the next one starts at " + start(next));
            if (move == null) move = m;
          } else {
            boolean hadTime = !m.runningSince().isAfter(start(next).minus(TIME_TO_MOVE_FIRST));
            assertTrue(!hadTime, m + " ran on " + m.fromTile() + " since " + m.runningSince()
                + ", in time to move before the eclipse " + next + ", but moved only at " + m.at());
          }
        }
      }
      Thread.sleep(1000);
    }
    System.out.println("move: " + move);
    assertTrue(!move.toTile().equals(move.fromTile()), move.toString());
    final Move moved = move;

    // It continues from its checkpoint on the target and completes; nothing is lost. It has at most its whole
    // work left; twice that at the warp, for moves and waits on the way, and two minutes more.
    JsonNode moving = api.get("/v1/jobs/" + moved.jobId());
    double leftGpuSeconds = moving.path("spec").path("workGpuSeconds").asDouble(3 * 3600);
    long waitSeconds = Math.round(2 * leftGpuSeconds / WARP) + 120;
    JsonNode done = null;
    Instant completeBy = Instant.now().plusSeconds(waitSeconds);
    while (done == null) {
      if (Instant.now().isAfter(completeBy)) {
        fail(moved.jobId() + " did not complete within " + waitSeconds + " s; " + logTail());
      }
      assertOrinsBelowShutdown(api);
      JsonNode job = api.get("/v1/jobs/" + moved.jobId());
      String state = job.path("state").asText();
      assertTrue(!state.equals("FAILED") && !state.equals("CANCELLED"), job.toString());
      if (state.equals("SUCCEEDED")) done = job;
      Thread.sleep(1000);
    }
    assertEquals(0.0, done.path("lostGpuSeconds").asDouble(), done.toString());
    assertTrue(done.path("epoch").asInt() >= moved.toEpoch(), done.toString());
    assertTrue(done.path("migrations").asInt() >= 1, done.toString());
    JsonNode resumed = null;
    for (JsonNode h : done.path("history")) {
      if (h.path("event").asText().equals("running") && h.path("epoch").asInt() == moved.toEpoch()) resumed = h;
    }
    assertTrue(resumed != null && resumed.path("detail").asText().startsWith(moved.toTile() + "/"),
        "no running on " + moved.toTile() + " under epoch " + moved.toEpoch() + ": " + done);

    // Stopping the command stops the constellation.
    up.destroy();
    assertTrue(up.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "soos up did not stop; " + logTail());
    String marker = "-Dsoos.run-dir=" + runDir;
    Instant gone = Instant.now().plusSeconds(20);
    while (ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(marker))) {
      if (Instant.now().isAfter(gone)) fail("a JVM of the constellation outlived soos up");
      Thread.sleep(250);
    }
  }

  /** A move recorded in a job's history: {@code migration-started} for energy, from a TILE the job ran on since a time. */
  record Move(String jobId, Instant runningSince, Instant at, String fromTile, String toTile, int toEpoch,
      String history) {}

  /** Every move for energy ahead of an eclipse ({@code eclipse-energy}) that has landed, in order. */
  private static List<Move> eclipseMoves(JsonNode job) {
    StringBuilder history = new StringBuilder();
    for (JsonNode e : job.path("history")) {
      if (!e.path("event").asText().equals("checkpoint")) {
        history.append("\n  ").append(e.path("at").asText()).append(' ').append(e.path("event").asText())
            .append(" epoch ").append(e.path("epoch").asInt()).append(' ').append(e.path("detail").asText());
      }
    }
    List<Move> moves = new ArrayList<>();
    String from = null;
    Instant since = null;
    JsonNode started = null;
    for (JsonNode h : job.path("history")) {
      String event = h.path("event").asText();
      Instant at = Instant.parse(h.path("at").asText());
      if (event.equals("running") && started == null) {
        String tile = tileOf(h.path("detail").asText());
        if (!tile.equals(from)) since = at;
        from = tile;
      } else if (event.equals("migration-started")) {
        started = h.path("detail").asText().endsWith("(eclipse-energy)") ? h : null;
      } else if (started != null && event.equals("placed")) {
        moves.add(new Move(job.path("id").asText(), since, Instant.parse(started.path("at").asText()), from,
            tileOf(h.path("detail").asText()), h.path("epoch").asInt(), history.toString()));
        started = null;
      }
    }
    return moves;
  }

  /** {@code p2-t3} of {@code p2-t3/orin-0 (energy-safe)}. */
  private static String tileOf(String detail) {
    int slash = detail.indexOf('/');
    return slash < 0 ? detail : detail.substring(0, slash);
  }

  private void assertOrinsBelowShutdown(Api api) throws IOException, InterruptedException {
    JsonNode tiles = api.get("/v1/tiles");
    JsonNode list = tiles.isArray() ? tiles : tiles.path("tiles");
    for (JsonNode t : list) {
      for (JsonNode o : t.path("orins")) {
        assertTrue(o.path("junctionTempCelsius").asDouble() < SHUTDOWN_CELSIUS, t.path("tileId") + ": " + o);
        assertTrue(!o.path("health").asText().equals("SHUTDOWN"), t.path("tileId") + ": " + o);
      }
    }
  }

  /** Every TILE's eclipses over the first 12 simulated hours, as the TILEs themselves predict them. */
  private static Map<String, List<EclipseWindow>> predictedEclipses() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("soos.constellation.type", "walker");
    config.put("soos.constellation.planes", "3");
    config.put("soos.constellation.tiles-per-plane", "4");
    config.put("soos.constellation.altitude-km", String.valueOf(ConstellationOptions.DEFAULT_ALTITUDE_KM));
    config.put("soos.constellation.inclination-deg", String.valueOf(ConstellationOptions.DEFAULT_INCLINATION_DEG));
    config.put("soos.constellation.phasing", String.valueOf(ConstellationOptions.DEFAULT_PHASING));
    config.put("soos.constellation.epoch", SIM_START.toString());
    List<TileOrbit> tiles = ConstellationSpec.fromConfig(ConfigFactory.parseMap(config), SIM_START).build();
    assertEquals(12, tiles.size());
    Map<String, List<EclipseWindow>> out = new LinkedHashMap<>();
    for (TileOrbit t : tiles) {
      out.put(t.tileId().value(), EclipsePredictor.predict(t.orbit(), SIM_START, SIM_START.plus(Duration.ofHours(12))));
    }
    return out;
  }

  private static Instant start(EclipseWindow w) {
    return w.penumbraStart() != null ? w.penumbraStart() : w.umbraStart();
  }

  private static Instant end(EclipseWindow w) {
    return w.penumbraEnd() != null ? w.penumbraEnd() : w.umbraEnd();
  }

  private void awaitLog(String line, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!Files.exists(log) || !Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
      if (!up.isAlive()) fail("soos up exited with " + up.exitValue() + "; " + logTail());
      if (Instant.now().isAfter(deadline)) fail("soos up did not print '" + line + "' in " + timeout + "; " + logTail());
      Thread.sleep(500);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "soos up said:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
          + "\nlogs in " + runDir;
    } catch (IOException e) {
      return "no output (" + e.getMessage() + ")";
    }
  }

  /** A plain HTTP client of the API. */
  private record Api(URI base) {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    JsonNode get(String path) throws IOException, InterruptedException {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
      return JSON.readTree(r.body());
    }
  }
}
