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
 * scheduler's Artery port change nothing. Then, one after another in tile-node-1's place: a node with no
 * certificate (plain Artery tcp), a node configured for TLS without key material (it refuses to start,
 * naming {@code tls.key}), and a node with a self-signed certificate that trusts the cluster's CA: none
 * becomes a member, membership stays the scheduler and tile-node-0, the scheduler stays ready, and the
 * rogue's TILE never appears in {@code GET /v1/tiles}.
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

  private final List<Process> rogues = new java.util.ArrayList<>();

  @AfterEach
  void stopEverything() throws IOException, InterruptedException {
    for (Process p : rogues) {
      p.destroyForcibly();
      p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (local == null) return;
    local.close();
    try (var logs = Files.list(runDir)) {
      for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("rogue-")
          && f.getFileName().toString().endsWith(".log")).toList()) {
        Path kept = Path.of("target", "failsafe-reports", "ClusterTlsIT-" + log.getFileName());
        Files.createDirectories(kept.getParent());
        Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
      }
    }
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

    // The other rogue peers, one after another, each as tile-node-1 (same ports and TILE) with other
    // credentials. The legitimate cluster stays up throughout.
    local.stop("tile-node-1");
    LocalConstellation.Node slot = local.nodes().get(2);

    // No certificate at all: plain Artery tcp against the cluster's TLS port.
    Process plain = rogue(slot, "plain-tcp", null);
    assertRefused(plain, "plain-tcp", akkaPorts, ours, theirs);
    assertTrue(Files.readString(runDir.resolve("rogue-plain-tcp.log")).contains("Remoting started with transport [Artery tcp]"),
        "the plain rogue did not run plain Artery tcp: " + runDir.resolve("rogue-plain-tcp.log"));
    stopRogue(plain);

    // TLS without key material (only the CA's certificate): the node refuses to start and names the file.
    Path keyless = runDir.resolve("rogue-keyless");
    Files.createDirectories(keyless);
    Files.copy(certs.resolve("tile-node-0").resolve("ca.crt"), keyless.resolve("ca.crt"));
    Process noKey = rogue(slot, "keyless", keyless);
    assertTrue(noKey.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "a node without a key did not stop by itself");
    assertTrue(noKey.exitValue() != 0, "a node without a key exited with 0");
    assertTrue(Files.readString(runDir.resolve("rogue-keyless.log")).contains("tls.key"),
        "the keyless node's log does not name tls.key: " + runDir.resolve("rogue-keyless.log"));
    assertOnlyTheCluster(akkaPorts, ours, theirs);

    // A self-signed certificate (its own issuer, subject O=soos), trusting the cluster's real CA: the
    // rogue accepts the scheduler, the scheduler refuses the rogue.
    Path selfSigned = runDir.resolve("rogue-self-signed");
    Files.createDirectories(selfSigned);
    org.soos.deploy.certs.ClusterCa own = org.soos.deploy.certs.ClusterCa.create("soos", Instant.now(),
        Duration.ofDays(1), 2048, new java.security.SecureRandom());
    own.writeTo(runDir.resolve("rogue-self-signed-ca"));
    Files.copy(runDir.resolve("rogue-self-signed-ca").resolve("ca.key"), selfSigned.resolve("tls.key"));
    Files.copy(runDir.resolve("rogue-self-signed-ca").resolve("ca.crt"), selfSigned.resolve("tls.crt"));
    Files.copy(certs.resolve("tile-node-0").resolve("ca.crt"), selfSigned.resolve("ca.crt"));
    java.security.cert.X509Certificate cert = org.soos.deploy.certs.ClusterCa.readCertificate(selfSigned.resolve("tls.crt"));
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal(), "not self-signed");
    Process self = rogue(slot, "self-signed", selfSigned);
    assertRefused(self, "self-signed", akkaPorts, ours, theirs);
    assertTrue(Files.readString(runDir.resolve("rogue-self-signed.log")).contains("Remoting started with transport [Artery tls-tcp]"),
        "the self-signed rogue did not run tls-tcp: " + runDir.resolve("rogue-self-signed.log"));
    stopRogue(self);

    // After all of them: the scheduler never logged a crash and still answers.
    assertEquals(200, local.scheduler().readyStatus().orElse(-1));
    assertFalse(local.exitedChild().isPresent(), () -> local.exitedChild().get().describe());
    String schedulerLog = Files.readString(local.nodes().get(0).log());
    // (java.lang.*: the log's first line is the command line, with -XX:+ExitOnOutOfMemoryError.)
    assertFalse(schedulerLog.contains("java.lang.OutOfMemoryError") || schedulerLog.contains("java.lang.StackOverflowError"),
        "the scheduler logged a fatal error: " + local.nodes().get(0).log());
  }

  /**
   * Starts a rogue node in {@code slot}'s place: its command line with {@code tlsDir} as its credentials,
   * or none at all (plain Artery tcp) when null; its output goes to {@code rogue-<name>.log}.
   */
  private Process rogue(LocalConstellation.Node slot, String name, Path tlsDir) throws IOException {
    List<String> cmd = new java.util.ArrayList<>();
    for (String arg : local.commandLine(slot)) {
      if (!arg.startsWith("-Dsoos.cluster.tls.dir=")) cmd.add(arg);
    }
    if (tlsDir != null) cmd.add(cmd.size() - 1, "-Dsoos.cluster.tls.dir=" + tlsDir.toAbsolutePath());
    Path log = runDir.resolve("rogue-" + name + ".log");
    System.out.println("starting rogue node " + name);
    Process p = new ProcessBuilder(cmd).directory(runDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    rogues.add(p);
    return p;
  }

  /** For 15 s the rogue keeps trying: it never becomes a member and its TILE never reports. */
  private void assertRefused(Process rogue, String name, int akkaPorts, String ours, String theirs) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      local.throwIfChildExited();
      assertEquals(Set.of(ours), ids(local.scheduler().tiles()), "the " + name + " rogue's TILE reported; logs in " + runDir);
      Thread.sleep(1000);
    }
    assertTrue(rogue.isAlive(), "the " + name + " rogue exited early: not a refusal by the cluster; logs in " + runDir);
    assertOnlyTheCluster(akkaPorts, ours, theirs);
  }

  /** Membership is exactly the scheduler and tile-node-0, all Up, none unreachable; only our TILE listed. */
  private void assertOnlyTheCluster(int akkaPorts, String ours, String theirs) throws Exception {
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
    assertEquals(200, local.scheduler().readyStatus().orElse(-1), "the scheduler is not ready; logs in " + runDir);
  }

  private static void stopRogue(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
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
