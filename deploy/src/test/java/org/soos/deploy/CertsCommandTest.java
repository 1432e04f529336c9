package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.remote.artery.tcp.ssl.PemManagersProvider$;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.deploy.certs.ClusterCa;

/**
 * {@code soos certs}: the files it writes are what Akka's PEM reader (the one
 * {@code RotatingKeysSSLEngineProvider} uses) loads, and two nodes of one CA complete a mutually
 * authenticated TLS 1.3 handshake while a node of another CA is refused.
 */
class CertsCommandTest {
  @TempDir Path tmp;

  @Test
  void helpDescribesTheFiles() {
    CliRun run = CliRun.of("certs", "--help");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Usage: soos certs"), run.toString());
    assertTrue(run.out().contains("SOOS_CLUSTER_TLS_DIR"), run.toString());
  }

  @Test
  void usageErrorsExitWithTwoNamingTheOption() {
    CliRun noNodes = CliRun.of("certs", "--out", tmp.toString());
    assertEquals(2, noNodes.exitCode(), noNodes.toString());
    assertTrue(noNodes.err().contains("--nodes"), noNodes.toString());

    CliRun badName = CliRun.of("certs", "--out", tmp.toString(), "--nodes", "ok,Bad_Name");
    assertEquals(2, badName.exitCode(), badName.toString());
    assertTrue(badName.err().contains("--nodes: 'Bad_Name'"), badName.toString());

    CliRun twice = CliRun.of("certs", "--out", tmp.toString(), "--nodes", "a,a");
    assertEquals(2, twice.exitCode(), twice.toString());

    CliRun weak = CliRun.of("certs", "--out", tmp.toString(), "--nodes", "a", "--key-bits", "1024");
    assertEquals(2, weak.exitCode(), weak.toString());
    assertTrue(weak.err().contains("--key-bits"), weak.toString());
    assertFalse(Files.exists(tmp.resolve("a")), "nothing written on a usage error");
  }

  @Test
  void writesACaAndNodeCredentialsThatAkkasPemReaderLoads() throws Exception {
    Path out = tmp.resolve("certs");
    CliRun run = CliRun.of("certs", "--out", out.toString(), "--nodes", "scheduler,tile-node-0", "--key-bits", "2048",
        "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("soos", json.path("cluster").asText());
    assertEquals(2, json.path("nodes").size());

    X509Certificate ca = ClusterCa.readCertificate(out.resolve("ca.crt"));
    for (String node : new String[] {"scheduler", "tile-node-0"}) {
      Path dir = out.resolve(node);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls.key"))));
      // Akka's own reader, as the node will use it.
      PrivateKey key = PemManagersProvider$.MODULE$.loadPrivateKey(dir.resolve("tls.key").toString());
      X509Certificate cert = (X509Certificate) PemManagersProvider$.MODULE$.loadCertificate(dir.resolve("tls.crt").toString());
      assertEquals("RSA", key.getAlgorithm());
      cert.verify(ca.getPublicKey());
      cert.checkValidity();
      assertEquals(java.util.List.of(node, "soos"), ClusterCa.dnsNames(cert));
      assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1") && cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"));
      assertEquals(-1, cert.getBasicConstraints(), "a node certificate is not a CA");
      assertArrayEquals(ca.getEncoded(), ClusterCa.readCertificate(dir.resolve("ca.crt")).getEncoded());
    }
    assertTrue(ca.getBasicConstraints() >= 0, "the CA certificate is a CA");

    // A second run adds a node with the same CA; an existing node is kept unless --force.
    byte[] caBefore = Files.readAllBytes(out.resolve("ca.crt"));
    CliRun more = CliRun.of("certs", "--out", out.toString(), "--nodes", "tile-node-1", "--key-bits", "2048");
    assertEquals(0, more.exitCode(), more.toString());
    assertArrayEquals(caBefore, Files.readAllBytes(out.resolve("ca.crt")));
    ClusterCa.readCertificate(out.resolve("tile-node-1/tls.crt")).verify(ca.getPublicKey());
    CliRun again = CliRun.of("certs", "--out", out.toString(), "--nodes", "tile-node-0");
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.err().contains("--force"), again.toString());
  }

  @Test
  void nodesOfOneCaHandshakeOverTls13AndANodeOfAnotherCaIsRefused() throws Exception {
    Path ours = tmp.resolve("ours");
    Path theirs = tmp.resolve("theirs");
    assertEquals(0, CliRun.of("certs", "--out", ours.toString(), "--nodes", "a,b", "--key-bits", "2048").exitCode());
    assertEquals(0, CliRun.of("certs", "--out", theirs.toString(), "--nodes", "rogue", "--key-bits", "2048").exitCode());

    assertEquals("TLSv1.3", handshake(ours.resolve("a"), ours.resolve("b")));
    // The rogue client presents a certificate our CA did not sign; and it does not trust our server either.
    assertThrows(IOException.class, () -> handshake(ours.resolve("a"), theirs.resolve("rogue")));
  }

  /** A server with {@code serverDir}'s credentials, requiring a client certificate; returns the protocol. */
  private static String handshake(Path serverDir, Path clientDir) throws Exception {
    SSLContext server = context(serverDir);
    SSLContext client = context(clientDir);
    try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
        InetAddress.getLoopbackAddress())) {
      ss.setNeedClientAuth(true);
      ss.setEnabledProtocols(new String[] {"TLSv1.3"});
      CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.setSoTimeout(5000);
          InputStream in = s.getInputStream();
          int b = in.read();
          s.getOutputStream().write(b);
          s.getOutputStream().flush();
          return s.getSession().getProtocol();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        c.setSoTimeout(5000);
        c.setEnabledProtocols(new String[] {"TLSv1.3"});
        c.startHandshake();
        OutputStream o = c.getOutputStream();
        o.write(42);
        o.flush();
        if (c.getInputStream().read() != 42) throw new SSLHandshakeException("the server closed the connection");
        String protocol = accepted.get(10, TimeUnit.SECONDS);
        assertEquals(c.getSession().getProtocol(), protocol);
        return protocol;
      }
    }
  }

  private static SSLContext context(Path dir) throws Exception {
    var pem = PemManagersProvider$.MODULE$;
    PrivateKey key = pem.loadPrivateKey(dir.resolve("tls.key").toString());
    X509Certificate cert = (X509Certificate) pem.loadCertificate(dir.resolve("tls.crt").toString());
    var ca = pem.loadCertificate(dir.resolve("ca.crt").toString());
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(pem.buildKeyManagers(key, cert, ca), pem.buildTrustManagers(ca), new SecureRandom());
    return ctx;
  }
}
