package org.soos.shared.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTlsTest {
  @TempDir Path dir;

  private static final String CERT = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

  @Test
  void withoutADirTheTransportIsPlainTcp() {
    Config c = RoleConfig.load("no-such-role");
    assertEquals("", c.getString("soos.cluster.tls.dir"));
    assertEquals("tcp", c.getString("akka.remote.artery.transport"));
  }

  @Test
  void aDirSwitchesArteryToMutualTls13WithThatFoldersPemFiles() throws Exception {
    Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Files.writeString(dir.resolve("tls.crt"), CERT);
    Files.writeString(dir.resolve("ca.crt"), CERT);
    Config c = RoleConfig.load("no-such-role", tls(dir.toString()));
    assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"));
    assertEquals("akka.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
        c.getString("akka.remote.artery.ssl.ssl-engine-provider"));
    Config engine = c.getConfig("akka.remote.artery.ssl.rotating-keys-engine");
    assertEquals("TLSv1.3", engine.getString("protocol"));
    assertEquals(dir + "/tls.key", engine.getString("key-file"));
    assertEquals(dir + "/tls.crt", engine.getString("cert-file"));
    assertEquals(dir + "/ca.crt", engine.getString("ca-cert-file"));
    List<String> suites = engine.getStringList("enabled-algorithms");
    assertTrue(!suites.isEmpty() && suites.stream().allMatch(s -> s.matches("TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)")),
        "TLS 1.3 AEAD suites only: " + suites);
    assertTrue(c.getBoolean("akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
    // An operator's -D still wins over the profile.
    Config overridden = RoleConfig.load("no-such-role", tls(dir.toString())
        .withValue("akka.remote.artery.ssl.rotating-keys-engine.ssl-context-cache-ttl", ConfigValueFactory.fromAnyRef("1m")));
    assertEquals(60, overridden.getDuration("akka.remote.artery.ssl.rotating-keys-engine.ssl-context-cache-ttl").toSeconds());
  }

  @Test
  void missingOrWrongFilesFailAtLoadNamingTheKeyAndTheFile() throws Exception {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> RoleConfig.load("no-such-role", tls(dir.resolve("absent").toString())));
    assertTrue(none.getMessage().contains("soos.cluster.tls.dir"), none.getMessage());

    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> RoleConfig.load("no-such-role", tls(dir.toString())));
    assertTrue(noKey.getMessage().contains("tls.key"), noKey.getMessage());

    Files.writeString(dir.resolve("tls.key"), CERT); // a certificate where the key should be
    Files.writeString(dir.resolve("tls.crt"), CERT);
    Files.writeString(dir.resolve("ca.crt"), CERT);
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> RoleConfig.load("no-such-role", tls(dir.toString())));
    assertTrue(wrong.getMessage().contains("tls.key") && wrong.getMessage().contains("PRIVATE KEY"), wrong.getMessage());
  }

  private static Config tls(String dir) {
    return ConfigFactory.parseMap(java.util.Map.of("soos.cluster.tls.dir", dir));
  }
}
