package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code soos submit}, {@code jobs}, {@code job}, {@code cancel} and {@code drain} against a real scheduler started in
 * this JVM (its {@code Main.start}, H2 journal in a temporary run folder, no TILEs: jobs stay pending).
 */
class JobCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static InJvmScheduler scheduler;
  private static String url;

  @BeforeAll
  static void startScheduler() throws Exception {
    scheduler = InJvmScheduler.start("soos-cli-jobs");
    url = scheduler.url();
  }

  @AfterAll
  static void stopScheduler() throws Exception {
    if (scheduler != null) scheduler.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"submit", "jobs", "job", "cancel", "drain"})
  void everyJobCommandHasHelpNamingUrl(String command) {
    CliRun run = CliRun.of(command, "--help");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Usage: soos " + command), run.toString());
    assertTrue(run.out().contains("--url"), run.toString());
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of(new String[] {"submit"}, "FILE"),
        Arguments.of(new String[] {"submit", "no/such/spec.json"}, "does not exist"),
        Arguments.of(new String[] {"submit", "x.json", "--url", "ftp://host"}, "--url"),
        Arguments.of(new String[] {"submit", "x.json", "--idempotency-key", ""}, "--idempotency-key"),
        Arguments.of(new String[] {"jobs", "--limit", "0"}, "--limit"),
        Arguments.of(new String[] {"jobs", "--url", "http://127.0.0.1:1/?access_token=x"}, "--url"),
        Arguments.of(new String[] {"job"}, "ID"),
        Arguments.of(new String[] {"cancel", "a", "--timeout", "0"}, "--timeout"),
        Arguments.of(new String[] {"drain"}, "TILE"),
        Arguments.of(new String[] {"drain", "p0-t0", "--undo", "--reason", "x"}, "--reason"),
        Arguments.of(new String[] {"drain", "p0-t0", "--reason", " "}, "--reason"));
  }

  @ParameterizedTest
  @MethodSource("badOptions")
  void badArgumentsAreUsageErrorsNamingTheOption(String[] args, String expected) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains(expected), "expected '" + expected + "' in\n" + run);
  }

  @Test
  void submitsListsShowsAndCancelsTheExampleJobs() throws Exception {
    List<Path> specs = DemoWorkload.specs(Examples.folder());
    assertEquals(5, specs.size(), specs.toString());
    String id = null;
    for (Path spec : specs) {
      CliRun submitted = CliRun.of("submit", spec.toString(), "--url", url);
      assertEquals(0, submitted.exitCode(), submitted.toString());
      id = submitted.out().strip();
      assertTrue(id.matches("[0-9a-f-]{36}"), submitted.toString());
    }

    CliRun job = CliRun.of("job", id, "--url", url);
    assertEquals(0, job.exitCode(), job.toString());
    assertTrue(job.out().contains("state:") && job.out().contains("PENDING"), job.toString());
    assertTrue(job.out().contains("submitted"), job.toString());
    JsonNode asJson = JSON.readTree(CliRun.of("job", id, "--url", url, "--json").out());
    assertEquals(id, asJson.get("id").asText());

    String last = id;
    JsonNode listed = awaitList(list -> list.toString().contains(last));
    assertTrue(listed.size() >= 4, listed.toString());
    CliRun table = CliRun.of("jobs", "--url", url, "--state", "PENDING");
    assertEquals(0, table.exitCode(), table.toString());
    assertTrue(table.out().startsWith("ID "), table.toString());
    assertTrue(table.out().contains(id), table.toString());
    assertTrue(table.out().contains("high-priority"), table.toString());

    CliRun cancelled = CliRun.of("cancel", id, "--url", url, "--reason", "cli test");
    assertEquals(0, cancelled.exitCode(), cancelled.toString());
    assertEquals(id + " CANCELLED", cancelled.out().strip());
    awaitList(list -> list.toString().contains(last), "--state", "CANCELLED");
  }

  @Test
  void drainOfATileNoPlaneKnowsFailsNamingTheField() {
    for (String[] args : List.of(new String[] {"drain", "p9-t9", "--url", url},
        new String[] {"drain", "p9-t9", "--undo", "--url", url})) {
      CliRun run = CliRun.of(args);
      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(run.err().contains("HTTP 404") && run.err().contains("field: id"), run.toString());
    }
    CliRun bad = CliRun.of("drain", "bad!id", "--url", url);
    assertEquals(1, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("HTTP 400") && bad.err().contains("field: id"), bad.toString());
  }

  @Test
  void repeatedSubmitWithTheSameKeyIsTheSameJob() throws Exception {
    Path spec = DemoWorkload.specs(Examples.folder()).get(0);
    CliRun first = CliRun.of("submit", spec.toString(), "--url", url, "--idempotency-key", "cli-key-1");
    CliRun second = CliRun.of("submit", spec.toString(), "--url", url, "--idempotency-key", "cli-key-1");
    assertEquals(0, second.exitCode(), second.toString());
    assertEquals(first.out(), second.out());
    assertTrue(second.err().contains("already submitted"), second.toString());
  }

  @Test
  void refusedSpecFailsNamingTheField() throws Exception {
    Path bad = Files.createTempFile("bad-spec", ".json");
    Files.writeString(bad, "{\"name\":\"x\",\"kind\":\"simulated\",\"workGpuSeconds\":-1,\"powerWatts\":1,\"memoryGb\":1}");
    CliRun run = CliRun.of("submit", bad.toString(), "--url", url);
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("HTTP 400") && run.err().contains("field: workGpuSeconds"), run.toString());
    CliRun missing = CliRun.of("job", "00000000-0000-4000-8000-000000000000", "--url", url);
    assertEquals(1, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("HTTP 404"), missing.toString());
    CliRun down = CliRun.of("jobs", "--url", "http://127.0.0.1:" + FreePorts.block(1));
    assertEquals(1, down.exitCode(), down.toString());
    assertTrue(down.err().contains("cannot connect"), down.toString());
  }

  @Test
  void demoWorkloadSubmitsEveryExampleIdempotently() throws Exception {
    JobApiClient client = new JobApiClient(URI.create(url), Optional.empty(), Duration.ofSeconds(10));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    List<Path> specs = DemoWorkload.specs(Examples.folder());
    List<String> ids = DemoWorkload.submit(client, specs, 2, "test-run", out);
    assertEquals(specs.size() * 2, ids.size());
    assertEquals(ids.size(), ids.stream().distinct().count());
    assertEquals(ids, DemoWorkload.submit(client, specs, 2, "test-run", out), "the same run submits the same jobs");
    assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("big-training"), buffer.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode awaitList(java.util.function.Predicate<JsonNode> until, String... extra) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      String[] args = Stream.concat(Stream.of("jobs", "--url", url, "--json"), Stream.of(extra)).toArray(String[]::new);
      CliRun run = CliRun.of(args);
      assertEquals(0, run.exitCode(), run.toString());
      last = JSON.readTree(run.out());
      if (until.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError("jobs never matched; last: " + last);
  }
}
