package org.soos.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.soos.deploy.certs.ClusterCa;

/** Cluster TLS credentials of a local constellation: made fresh, or checked before start. */
final class TlsCredentials {
  private TlsCredentials() {}

  /** A new CA in {@code dir} (or the one there) and a key and certificate for each node, valid 30 days. */
  static void issue(Path dir, List<String> nodes) throws IOException {
    SecureRandom random = new SecureRandom();
    Instant now = Instant.now();
    ClusterCa ca = ClusterCa.existsIn(dir) ? ClusterCa.load(dir, random)
        : ClusterCa.create("soos", now, Duration.ofDays(30), 2048, random);
    ca.writeTo(dir);
    for (String node : nodes) {
      ca.writeNode(ca.issue(node, now, Duration.ofDays(30), 2048), dir.resolve(node));
    }
  }

  /** The credential files of {@code nodes} missing under {@code dir}, joined; empty when all are there. */
  static String missing(Path dir, List<String> nodes) {
    List<String> absent = new ArrayList<>();
    for (String node : nodes) {
      for (String f : List.of(ClusterCa.NODE_KEY, ClusterCa.NODE_CERT, ClusterCa.CA_CERT)) {
        Path p = dir.resolve(node).resolve(f);
        if (!Files.isReadable(p)) absent.add(p.toString());
      }
    }
    return absent.isEmpty() ? "" : "missing " + String.join(", ", absent);
  }
}
