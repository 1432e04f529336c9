package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.soos.deploy.BoardRig.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real scheduler drains a board that runs a process job. A scheduler JVM ({@code org.soos.scheduler.Main},
 * H2 journal in the run folder) and two board-mode tile-node JVMs: board A (AGX Orin fixture) is TILE p0-t0,
 * board B (Orin NX fixture) is TILE p0-t1. The example job (deploy/examples/process/checkpointable-process.json
 * running sum-of-squares.sh) is submitted through {@code POST /v1/jobs}, placed by the policy on A, then
 * {@code POST /v1/tiles/p0-t0/drain}: the policy's drain step moves it to B, which fetches the checkpoint
 * from A and resumes. Checks through {@code GET /v1/jobs/{id}}: the {@code migration-started} history entry
 * names B and the reason {@code drain}, the job ends SUCCEEDED under epoch 2 on B; on disk: B's run resumed
 * from A's checkpoint, its answer equals the closed form and an uninterrupted run of the script, and the
 * checkpoint's SHA-256 is the same on both nodes.
 *
 * <p>Each board TILE has one Orin slot here ({@code soos.tile.orins = [board]}): the policy does not know
 * which slots are boards, and an emulated slot refuses a process job.
 */
class ProcessDrainIT {
  private static final int STEPS = 1000;
  private static final String STEP_SECONDS = "0.02";
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Process> children = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private SchedulerClient scheduler;
  private Path run;

  @AfterEach
  void stop() throws InterruptedException {
    // Tile-nodes first, then the scheduler.
    for (int i = children.size() - 1; i >= 0; i--) children.get(i).destroy();
    for (Process p : children) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  @Test
  @Timeout(180)
  void drainingABoardMovesItsRunningProcessJobToTheOtherBoard() throws Exception {
    long t0 = System.nanoTime();
    run = freshRunDir("process-drain-it");
    int akka = FreePorts.block(3);
    int management = FreePorts.block(1);
    int httpPort = FreePorts.block(1);
    Instant anchor = Instant.now();
    children.add(startScheduler(akka, management, httpPort, anchor));
    scheduler = new SchedulerClient("127.0.0.1", httpPort);
    awaitReady(Duration.ofSeconds(60));

    Path fakeNvp = fakeNvpmodel(run.resolve("bin"));
    Path workA = run.resolve("board-a");
    Path workB = run.resolve("board-b");
    children.add(startNode("a", akka, akka + 1, anchor, "p0-t0", AGX_ORIN, workA, fakeNvp, run,
        Map.of("soos.tile.orins.0", "AGX_ORIN_64GB")));
    children.add(startNode("b", akka, akka + 2, anchor, "p0-t1", ORIN_NX, workB, fakeNvp, run,
        Map.of("soos.tile.orins.0", "ORIN_NX_16GB")));
    awaitJson("/v1/tiles/p0-t0", t -> "AGX_ORIN_64GB".equals(t.path("orins").path(0).path("module").asText()), 90,
        "board A reports as p0-t0");
    awaitJson("/v1/tiles/p0-t1", t -> "ORIN_NX_16GB".equals(t.path("orins").path(0).path("module").asText()), 30,
        "board B reports as p0-t1");
    System.out.printf("scheduler and both boards up: %.1f s%n", (System.nanoTime() - t0) / 1e9);

    // The example job, long enough to be mid-run when the drain lands, allowed on both boards.
    ObjectNode spec = (ObjectNode) JSON.readTree(Path.of("examples", "process", "checkpointable-process.json").toFile());
    ObjectNode process = (ObjectNode) spec.path("process");
    process.put("command", SCRIPT.toString());
    ((ObjectNode) process.path("env")).put("STEPS", Integer.toString(STEPS)).put("STEP_SECONDS", STEP_SECONDS);
    spec.putObject("placement").putArray("tiles").add("p0-t0").add("p0-t1");
    HttpResponse<String> submitted = post("/v1/jobs", JSON.writeValueAsString(spec));
    assertEquals(202, submitted.statusCode(), submitted.body());
    String id = JSON.readTree(submitted.body()).path("id").asText();
    assertTrue(!id.isEmpty(), submitted.body());

    JsonNode running = awaitJson("/v1/jobs/" + id, j -> "RUNNING".equals(j.path("state").asText()), 30,
        "job " + id + " runs");
    assertEquals("p0-t0", running.path("placement").path("tileId").asText(),
        "the policy places the job on the faster board A: " + running);
    assertEquals(1, running.path("epoch").asLong(), running.toString());
    Path outputA = workA.resolve("jobs").resolve(id).resolve("e1").resolve("output.log");
    // The process itself is past its first 100 steps (its live output goes to output.spool, kept as output.log at its end).
    awaitFile(outputA.resolveSibling("output.spool"), s -> s.contains("progress i="), 30);

    long drainedAt = System.nanoTime();
    HttpResponse<String> drain = post("/v1/tiles/p0-t0/drain?reason=board%20maintenance", "");
    assertEquals(202, drain.statusCode(), drain.body());

    JsonNode done = awaitJson("/v1/jobs/" + id, j -> isTerminal(j.path("state").asText()), 120,
        "job " + id + " finishes after the drain");
    double moveAndFinishSeconds = (System.nanoTime() - drainedAt) / 1e9;
    assertEquals("SUCCEEDED", done.path("state").asText(), done.toPrettyString());
    assertEquals(2, done.path("epoch").asLong(), done.toPrettyString());
    assertEquals(1, done.path("migrations").asInt(), done.toPrettyString());
    JsonNode migration = historyEntry(done, "migration-started");
    assertNotNull(migration, "no migration-started in " + done.path("history"));
    assertEquals(1, migration.path("epoch").asLong(), migration.toString());
    assertEquals("to p0-t1/orin-0 (drain)", migration.path("detail").asText(), migration.toString());
    JsonNode placedOnB = lastEntry(done, "placed");
    assertNotNull(placedOnB, "no placed in " + done.path("history"));
    assertEquals(2, placedOnB.path("epoch").asLong(), placedOnB.toString());
    assertTrue(placedOnB.path("detail").asText().startsWith("p0-t1/orin-0 ("), placedOnB.toString());
    JsonNode drained = scheduler.getJson("/v1/tiles/p0-t0/drain");
    assertTrue(drained.path("drained").asBoolean(), drained.toString());

    // On disk: A sealed the checkpoint on SIGTERM, B holds the same bytes and resumed from them.
    String sourceOut = Files.readString(outputA);
    Matcher at = Pattern.compile("checkpoint at i=(\\d+) sum=(\\d+)").matcher(sourceOut);
    assertTrue(at.find(), "the job wrote its checkpoint on SIGTERM:\n" + sourceOut);
    int checkpointStep = Integer.parseInt(at.group(1));
    assertTrue(checkpointStep > 100 && checkpointStep <= STEPS, "checkpointed mid-run, at i=" + checkpointStep);
    Path sourceZip = workA.resolve("checkpoints").resolve(id).resolve("1.zip");
    String sourceSha = properties(sourceZip.resolveSibling("1.properties")).getProperty("sha256");
    assertEquals(sha256(sourceZip), sourceSha);
    Path targetZip = workB.resolve("checkpoints").resolve(id).resolve("1.zip");
    assertEquals(sourceSha, properties(targetZip.resolveSibling("1.properties")).getProperty("sha256"));
    assertEquals(sourceSha, sha256(targetZip), "the bytes B holds hash to what A sealed");

    String targetOut = Files.readString(workB.resolve("jobs").resolve(id).resolve("e2").resolve("output.log"));
    assertTrue(targetOut.contains("resumed at i=" + checkpointStep + " sum=" + at.group(2)), targetOut);
    long uninterrupted = uninterruptedAnswer();
    assertEquals(sumOfSquares(STEPS), uninterrupted);
    assertEquals(uninterrupted, answer(targetOut));

    System.out.printf("process drain: checkpoint at step %d of %d, SHA-256 %s; drain to SUCCEEDED on B %.1f s,"
        + " total %.1f s%n", checkpointStep, STEPS, sourceSha, moveAndFinishSeconds, (System.nanoTime() - t0) / 1e9);
  }

  /** The scheduler JVM as {@link LocalConstellation} starts it: plane coordinators, HTTP API, H2 journal in the run folder. */
  private Process startScheduler(int akkaPort, int managementPort, int httpPort, Instant anchor) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", FreePorts.testClasspath()));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    p.put("akka.remote.artery.canonical.port", Integer.toString(akkaPort));
    p.put("akka.cluster.seed-nodes.0", "akka://soos@127.0.0.1:" + akkaPort);
    p.put("akka.cluster.roles.0", "scheduler");
    p.put("akka.management.http.hostname", "127.0.0.1");
    p.put("akka.management.http.port", Integer.toString(managementPort));
    p.put("soos.scheduler.http.host", "127.0.0.1");
    p.put("soos.scheduler.http.port", Integer.toString(httpPort));
    p.put("soos.clock.sim-start", anchor.toString());
    p.put("soos.clock.wall-anchor-epoch-millis", Long.toString(anchor.toEpochMilli()));
    p.put("soos.clock.warp", "1");
    p.put("soos.tile.report-interval", "1s");
    // A decision round every simulated (= wall) second rather than every 30 s.
    p.put("soos.scheduler.coordinator.decision-interval", "1s");
    p.put("soos.run-dir", run.toString());
    p.put("soos.parent-pid", Long.toString(ProcessHandle.current().pid()));
    p.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add(LocalConstellation.SCHEDULER_MAIN);
    return new ProcessBuilder(cmd).directory(run.toFile()).redirectErrorStream(true)
        .redirectOutput(run.resolve("scheduler.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  /** sum-of-squares.sh run to its end in one go, here, without the step delay. */
  private long uninterruptedAnswer() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
    pb.environment().put("STEPS", Integer.toString(STEPS));
    pb.environment().put("STEP_SECONDS", "0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the uninterrupted run ends");
    assertEquals(0, p.exitValue(), out);
    return answer(out);
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      throwIfAChildExited();
      if (scheduler.readyStatus().orElse(0) == 200) return;
      Thread.sleep(200);
    }
    throw new AssertionError("the scheduler is not ready within " + timeout.toSeconds() + " s; logs in " + run);
  }

  private JsonNode awaitJson(String path, Predicate<JsonNode> wanted, int seconds, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonNode last = null;
    String lastError = null;
    while (System.nanoTime() < deadline) {
      throwIfAChildExited();
      try {
        last = scheduler.getJson(path);
        if (wanted.test(last)) return last;
        if (path.startsWith("/v1/jobs/") && isTerminal(last.path("state").asText())) break; // no use waiting
      } catch (IOException e) {
        lastError = e.getMessage(); // not there yet (404 before the first report), or slow under load
      }
      Thread.sleep(250);
    }
    throw new AssertionError(what + ": not within " + seconds + " s; last " + path + ": "
        + (last == null ? lastError : last.toPrettyString()) + "; logs in " + run);
  }

  private static void awaitFile(Path file, Predicate<String> wanted, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = null;
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        last = Files.readString(file);
        if (wanted.test(last)) return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(file + " not as expected within " + seconds + " s:\n" + last);
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(scheduler.url(path))).timeout(HTTP_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private void throwIfAChildExited() {
    for (Process p : children) {
      if (!p.isAlive()) throw new AssertionError("a child JVM exited with " + p.exitValue() + "; logs in " + run);
    }
  }

  private static boolean isTerminal(String state) {
    return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
  }

  private static JsonNode historyEntry(JsonNode job, String event) {
    for (JsonNode h : job.path("history")) {
      if (event.equals(h.path("event").asText())) return h;
    }
    return null;
  }

  private static JsonNode lastEntry(JsonNode job, String event) {
    JsonNode found = null;
    for (JsonNode h : job.path("history")) {
      if (event.equals(h.path("event").asText())) found = h;
    }
    return found;
  }
}
