package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.orbit.ConstellationSpec;
import org.soos.shared.orbit.TileOrbit;

/**
 * RELIABILITY.md fault 9 (rogue cluster peer) on real JVMs: a constellation started with cluster TLS
 * (Artery {@code tls-tcp}, TLS 1.3, mutual authentication). The scheduler and tile-node-0 carry
 * certificates of the cluster's CA; tile-node-1 carries a certificate of another CA. tile-node-0's TILE
 * reports through the encrypted cluster, tile-node-1 never becomes a member and its TILE never shows
 * in {@code GET /v1/tiles}, the refused handshakes are logged, and garbage bytes sent to the
 * scheduler's Artery port change nothing.
 */
class ClusterTlsIT {
  private static final Instant ELEMENTS_EPOCH = Instant.parse("2026-03-20T00:00:00Z");
  /** Handshake failures as the JDK and Akka log them. */
  private static final Pattern HANDSHAKE_FAILURE = Pattern.compile(
      "SSLHandshakeException|PKIX path|unable to find valid certification path|certificate_unknown|bad_certificate"
          + "|Received fatal alert");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path runDir;
  private LocalConstellation local;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stopEverything() throws IOException {
    if (local == null) return;
    local.close();
    for (LocalConstellation.Node node : local.nodes()) {
      if (Files.exists(node.log())) {
        Path kept = Path.of("target", "failsafe-reports", "ClusterTlsIT-" + node.name() + ".log");
        Files.createDirectories(kept.getParent());
        Files.copy(node.log(), kept, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  @Timeout(240)
  void onlyNodesWithTheClustersCertificateJoin() throws Exception {
    // Credentials: the cluster's CA for scheduler and tile-node-0; tile-node-1's from another CA.
    Path certs = runDir.resolve("certs");
    Path rogue = runDir.resolve("rogue-ca");
    cli("certs", "--out", certs.toString(), "--nodes", "scheduler,tile-node-0", "--key-bits", "2048");
    cli("certs", "--out", rogue.toString(), "--nodes", "tile-node-1", "--key-bits", "2048");
    Files.createDirectories(certs.resolve("tile-node-1"));
    for (String f : List.of("tls.key", "tls.crt", "ca.crt")) {
      Files.copy(rogue.resolve("tile-node-1").resolve(f), certs.resolve("tile-node-1").resolve(f));
    }

    Map<String, String> constellation = new LinkedHashMap<>();
    constellation.put("type", "walker");
    constellation.put("planes", "2");
    constellation.put("tiles-per-plane", "1");
    constellation.put("altitude-km", "550");
    constellation.put("inclination-deg", "53");
    constellation.put("phasing", "1");
    constellation.put("epoch", ELEMENTS_EPOCH.toString());
    List<String> tiles = tileIds(constellation);
    String ours = tiles.get(0);   // TILE k on tile-node k mod 2
    String theirs = tiles.get(1);

    int akkaPorts = FreePorts.block(3);
    int managementPorts = FreePorts.block(3);
    local = LocalConstellation.builder()
        .runDir(runDir)
        .classpath(FreePorts.testClasspath())
        .akkaPortBase(akkaPorts)
        .managementPortBase(managementPorts)
        .httpPort(FreePorts.block(1))
        .tileNodes(2)
        .heap("256m")
        .simStart(ELEMENTS_EPOCH.plus(Duration.ofHours(1)))
        .warp(60)
        .constellation(constellation)
        .tlsDir(certs)
        .stopGrace(Duration.ofSeconds(15))
        .progress(new PrintStream(System.out, true))
        .build();
    local.start(Duration.ofSeconds(60));

    // The cluster's own tile-node joins over TLS and its TILE reports.
    LocalConstellation.TilesSeen seen = local.awaitTiles(1, Duration.ofSeconds(60));
    assertTrue(seen.complete(), "no TILE reported over the TLS cluster; logs in " + runDir);
    assertEquals(Set.of(ours), ids(seen.tiles()), "logs in " + runDir);

    // Garbage on the scheduler's Artery port: the connection is dropped, nothing else happens.
    byte[] garbage = new byte[64 * 1024];
    new Random(9).nextBytes(garbage);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), akkaPorts)) {
      s.setSoTimeout(5000);
      OutputStream o = s.getOutputStream();
      o.write(garbage);
      o.flush();
    } catch (IOException e) {
      // The server may close while the garbage is still being written: that is a refusal too.
    }

    // The rogue tile-node keeps trying for a while; it never becomes a member and its TILE never reports.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      local.throwIfChildExited();
      assertEquals(Set.of(ours), ids(local.scheduler().tiles()), "a TILE of the other CA's node reported; logs in " + runDir);
      Thread.sleep(1000);
    }
    JsonNode members = members();
    Set<String> addresses = new TreeSet<>();
    for (JsonNode m : members.path("members")) {
      addresses.add(m.path("node").asText());
      assertEquals("Up", m.path("status").asText(), members.toString());
    }
    assertEquals(Set.of("akka://soos@127.0.0.1:" + akkaPorts, "akka://soos@127.0.0.1:" + (akkaPorts + 1)), addresses,
        "members: " + members);
    assertEquals(0, members.path("unreachable").size(), members.toString());
    assertFalse(ids(local.scheduler().tiles()).contains(theirs));

    // The rogue node logged its refused handshakes (in TLS 1.3 it checks the scheduler's certificate
    // first, finds no path to its own CA and aborts before sending its own); every node ran tls-tcp.
    String rogueLog = Files.readString(local.nodes().get(2).log());
    assertTrue(HANDSHAKE_FAILURE.matcher(rogueLog).find(), "no handshake failure in " + local.nodes().get(2).log());
    for (LocalConstellation.Node node : local.nodes()) {
      assertTrue(Files.readString(node.log()).contains("Remoting started with transport [Artery tls-tcp]"),
          node.name() + " does not run Artery tls-tcp: " + node.log());
    }

    // The scheduler is still healthy.
    assertEquals(200, local.scheduler().readyStatus().orElse(-1));
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
  }

  private static void cli(String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(0, run.exitCode(), run.toString());
  }

  private JsonNode members() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(local.managementMembersUrl()))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static List<String> tileIds(Map<String, String> constellation) {
    Map<String, Object> config = new LinkedHashMap<>();
    constellation.forEach((k, v) -> config.put("soos.constellation." + k, v));
    return ConstellationSpec.fromConfig(ConfigFactory.parseMap(config), ELEMENTS_EPOCH).build().stream()
        .map(TileOrbit::tileId).map(t -> t.value()).toList();
  }

  private static Set<String> ids(List<JsonNode> tiles) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode t : tiles) ids.add(LocalConstellation.tileId(t));
    return ids;
  }
}
