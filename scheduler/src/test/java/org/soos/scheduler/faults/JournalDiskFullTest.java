package org.soos.scheduler.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.soos.scheduler.http.ApiTestNode;
import org.soos.scheduler.http.JobApiTest;

/**
 * Fault 7 of RELIABILITY.md, disk full under the journal: the run folder (and so the H2 journal) is
 * a small tmpfs mounted by the test; once a filler file has taken all its space, {@code POST /v1/jobs}
 * answers 503 (problem+json with Retry-After), never 202; when the filler is removed submissions get
 * 202 again, and every job that got 202, before or after, answers 200 (also after a restart on the
 * same journal). Needs root and {@code mount -t tmpfs} (as {@code .ci/run} runs); skipped otherwise.
 */
public class JournalDiskFullTest {
  private Path mountPoint;
  private boolean mounted;
  private ApiTestNode node;

  @BeforeEach
  void mountTmpfs() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "fault 7 (disk full) mounts a tmpfs and needs root; running as " + System.getProperty("user.name"));
    mountPoint = Files.createTempDirectory("soos-diskfull");
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "soos-diskfull", mountPoint.toString())
        .redirectErrorStream(true).start();
    String out = new String(mount.getInputStream().readAllBytes());
    assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "fault 7 (disk full) needs `mount -t tmpfs`, which failed here: " + out.strip());
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (node != null) node.close();
    if (mounted) {
      Process umount = new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start();
      umount.waitFor(30, TimeUnit.SECONDS);
    }
    if (mountPoint != null) Files.deleteIfExists(mountPoint);
  }

  private HttpResponse<String> submit(String name) throws Exception {
    return node.post("/v1/jobs", JobApiTest.spec(name));
  }

  @Test
  void submitAnswers503WhileTheJournalDiskIsFullAndRecoversAfter() throws Exception {
    node = ApiTestNode.start(mountPoint, Map.of());
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = submit("before-" + i);
      assertEquals(202, r.statusCode(), r.body());
      accepted.add(ApiTestNode.json(r).get("id").asText());
    }

    Path filler = mountPoint.resolve("filler");
    fill(filler);

    // While the disk is full: 503 problem+json with Retry-After; never 202.
    int refused = 0;
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = submit("full-" + i);
      System.out.println("disk full: POST /v1/jobs -> " + r.statusCode() + " " + r.headers().map() + " " + r.body());
      if (r.statusCode() == 202) {
        // a 202 here is only acceptable if it was durable; count it and check it after recovery
        accepted.add(ApiTestNode.json(r).get("id").asText());
      }
      assertNotEquals(202, r.statusCode(), "a job was accepted while the journal disk was full: " + r.body());
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
      assertTrue(r.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After: " + r.headers().map());
      JsonNode problem = ApiTestNode.json(r);
      assertEquals(503, problem.get("status").asInt());
      assertFalse(problem.path("detail").asText().isEmpty(), r.body());
      refused++;
    }
    assertEquals(4, refused);

    Files.delete(filler);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = submit("after");
      if (last.statusCode() == 202) break;
      assertNotEquals(500, last.statusCode(), last.body());
      Thread.sleep(500);
    }
    assertEquals(202, last.statusCode(), "no recovery after space returned; last: " + last.body());
    accepted.add(ApiTestNode.json(last).get("id").asText());

    for (String id : accepted) {
      HttpResponse<String> r = node.get("/v1/jobs/" + id);
      assertEquals(200, r.statusCode(), "job " + id + " got 202 but is now: " + r.body());
    }

    // Nothing accepted was lost on disk either: a fresh node on the same journal knows every job.
    node.close();
    node = null;
    node = ApiTestNode.start(mountPoint, Map.of());
    for (String id : accepted) {
      HttpResponse<String> r = node.get("/v1/jobs/" + id);
      assertEquals(200, r.statusCode(), "job " + id + " got 202 but is lost after a restart: " + r.body());
    }
  }

  /** Writes {@code filler} until the file system says it is full. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) out.write(block);
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
    }
    assertTrue(Files.getFileStore(filler).getUsableSpace() < 64 * 1024, "the tmpfs is not full");
  }
}
