package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code soos up} and {@link LocalConstellation} hand each JVM its TLS credentials. */
class ClusterTlsOptionsTest {
  @TempDir Path tmp;

  @Test
  void everyNodeGetsItsOwnCredentialsFolder() {
    LocalConstellation local = LocalConstellation.builder().runDir(tmp).tileNodes(2).tlsDir(tmp.resolve("certs")).build();
    for (LocalConstellation.Node node : local.nodes()) {
      assertEquals(tmp.resolve("certs").resolve(node.name()).toString(),
          local.systemProperties(node).get("soos.cluster.tls.dir"), node.name());
    }
    LocalConstellation plain = LocalConstellation.builder().runDir(tmp).tileNodes(2).build();
    assertFalse(plain.systemProperties(plain.nodes().get(0)).containsKey("soos.cluster.tls.dir"));
  }

  @Test
  void upRefusesBothTlsOptionsAndMissingCredentials() throws Exception {
    CliRun both = CliRun.of("up", "--tls", "--tls-dir", tmp.toString());
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.err().contains("--tls and --tls-dir"), both.toString());

    assertEquals(0, CliRun.of("certs", "--out", tmp.toString(), "--nodes", "scheduler,tile-node-0", "--key-bits", "2048").exitCode());
    CliRun missing = CliRun.of("up", "--tls-dir", tmp.toString(), "--tile-nodes", "2", "--run-dir", tmp.resolve("run").toString());
    assertEquals(2, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("tile-node-1"), missing.toString());
    assertEquals("", TlsCredentials.missing(tmp, List.of("scheduler", "tile-node-0")));
  }
}
