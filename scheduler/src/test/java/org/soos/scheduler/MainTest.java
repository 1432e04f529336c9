package org.soos.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler JVM's startup chain, as the launcher runs it, on random ports. */
class MainTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static HttpResponse<String> awaitStatus(String url, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (last.statusCode() == status) return last;
      } catch (ConnectException notYet) {
        // binding is asynchronous
      }
      Thread.sleep(100);
    }
    throw new AssertionError(url + " never answered " + status + "; last: "
        + (last == null ? "no connection" : last.statusCode() + " " + last.body()));
  }

  @Test
  void startsSelfSeededSchedulerOnItsEmbeddedJournalWithApiAndManagement() throws Exception {
    Path runDir = Files.createTempDirectory("soos-main-test");
    int akkaPort = TestConfigs.freePort();
    int managementPort = TestConfigs.freePort();
    // The scheduler seeds itself at its own host:port, as soos.cluster.seed-node does by default.
    Config config = TestConfigs.scheduler(runDir, Map.of(
        "akka.remote.artery.canonical.port", akkaPort,
        "akka.cluster.seed-nodes", List.of("akka://soos@127.0.0.1:" + akkaPort),
        "akka.management.http.port", managementPort));
    assertEquals(List.of("akka://soos@127.0.0.1:" + akkaPort), config.getStringList("akka.cluster.seed-nodes"));
    int httpPort = config.getInt("soos.scheduler.http.port");

    ActorSystem<Void> system = Main.start(config);
    try {
      assertEquals("soos", system.name());
      HttpResponse<String> ready = awaitStatus("http://127.0.0.1:" + httpPort + "/ready", 200);
      assertTrue(ready.body().contains("\"memberStatus\":\"Up\""), ready.body());

      JsonNode members = new ObjectMapper().readTree(
          awaitStatus("http://127.0.0.1:" + managementPort + "/cluster/members", 200).body());
      assertEquals(1, members.get("members").size());
      JsonNode self = members.get("members").get(0);
      assertEquals("Up", self.get("status").asText());
      assertTrue(self.get("roles").toString().contains("\"scheduler\""), self.toString());

      try (Connection c = DriverManager.getConnection(
              "jdbc:h2:file:" + runDir.toAbsolutePath() + "/journal/soos;AUTO_SERVER=TRUE", "sa", "");
          ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "event_journal", null)) {
        assertTrue(rs.next(), "the journal schema was applied before the system started");
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void defaultSeedNodeIsTheSchedulerItself() {
    Config config = TestConfigs.scheduler(Path.of("/tmp/soos-main-seed"), Map.of(
        "akka.remote.artery.canonical.port", 2551));
    // TestConfigs clears akka.cluster.seed-nodes; the default it would have had:
    assertEquals("akka://soos@127.0.0.1:2551", config.getString("soos.cluster.seed-node"));
  }

  @Test
  void refusesToStartWithoutTheSchedulerRole() {
    Config config = TestConfigs.scheduler(Path.of("/tmp/soos-main-role"), Map.of(
        "akka.cluster.roles", List.of("tile-node")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.start(config));
    assertTrue(e.getMessage().contains("akka.cluster.roles"), e.getMessage());
  }
}
