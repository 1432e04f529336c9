package org.soos.deploy;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.soos.shared.runtime.RoleConfig;

/**
 * A real scheduler for CLI tests, started in this JVM by its {@code Main.start}: free ports, H2 journal in a
 * temporary run folder, no TILEs (jobs stay pending). Ready ({@code GET /ready} 200) when {@link #start}
 * returns.
 */
final class InJvmScheduler implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final ActorSystem<Void> system;
  private final String url;

  private InJvmScheduler(ActorSystem<Void> system, String url) {
    this.system = system;
    this.url = url;
  }

  /** Starts a scheduler with its run folder in a new temporary directory named {@code runDirPrefix...}. */
  static InJvmScheduler start(String runDirPrefix) throws Exception {
    if (System.getProperty("h2.bindAddress") == null) System.setProperty("h2.bindAddress", "127.0.0.1");
    int base = FreePorts.block(3);
    Path runDir = Files.createTempDirectory(runDirPrefix);
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("akka.remote.artery.canonical.port", base);
    overrides.put("soos.scheduler.http.port", base + 1);
    overrides.put("akka.management.http.port", base + 2);
    overrides.put("soos.run-dir", runDir.toAbsolutePath().toString());
    overrides.put("akka.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    Config config = RoleConfig.load("scheduler", ConfigFactory.parseMap(overrides));
    InJvmScheduler scheduler = new InJvmScheduler(org.soos.scheduler.Main.start(config), "http://127.0.0.1:" + (base + 1));
    scheduler.awaitReady();
    return scheduler;
  }

  /** The scheduler's HTTP base URL, {@code http://127.0.0.1:<port>}. */
  String url() {
    return url;
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (java.io.IOException notYet) {
        // binding
      }
      Thread.sleep(200);
    }
    close();
    throw new AssertionError("scheduler at " + url + " not ready in " + READY_TIMEOUT);
  }

  /** Terminates the scheduler's ActorSystem and waits for it (30 s at most). */
  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
