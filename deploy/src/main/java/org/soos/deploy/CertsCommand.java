package org.soos.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.soos.deploy.certs.ClusterCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soos certs}: makes the credentials of a cluster for Artery over TLS with mutual
 * authentication: a CA, and one key and certificate per node (see {@link ClusterCa}).
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Make a cluster CA and per-node TLS keys and certificates (PEM) for Artery tls-tcp.",
    description = {
      "Writes DIR/ca.crt and DIR/ca.key (the cluster's CA; keep ca.key offline), and for every node "
          + "DIR/NODE/tls.key, DIR/NODE/tls.crt and DIR/NODE/ca.crt. Point a node at its folder with "
          + "SOOS_CLUSTER_TLS_DIR=DIR/NODE (or -Dsoos.cluster.tls.dir); `soos up --tls-dir DIR` does it for "
          + "a local constellation, whose nodes are named scheduler (scheduler-1, ... with more schedulers) "
          + "and tile-node-0, tile-node-1, ...",
      "When DIR already holds a CA, it issues the new nodes' certificates with that CA (adding nodes to a "
          + "running cluster). An existing node folder is replaced only with --force."
    },
    footer = {
      "",
      "Examples:",
      "  soos certs --out certs --nodes scheduler,tile-node-0,tile-node-1",
      "  soos certs --out certs --nodes tile-node-2          (adds a node, same CA)",
      "  SOOS_CLUSTER_TLS_DIR=certs/tile-node-2 ...          (start that node with it)"
    })
final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Folder for the CA and the node folders (created if missing).")
  Path out;

  @Option(names = "--nodes", paramLabel = "NAME", split = ",", required = true,
      description = "Comma-separated node names (DNS labels: a-z, 0-9, '-', '.').")
  List<String> nodes;

  @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "soos",
      description = "Name of the cluster, carried by every certificate (default: ${DEFAULT-VALUE}). Ignored when DIR holds a CA.")
  String clusterName;

  @Option(names = "--days", paramLabel = "N", defaultValue = "365",
      description = "Validity of new certificates, days (default: ${DEFAULT-VALUE}; the CA gets 10 times that).")
  int days;

  @Option(names = "--key-bits", paramLabel = "BITS", defaultValue = "3072",
      description = "RSA key size, 2048..8192 (default: ${DEFAULT-VALUE}).")
  int keyBits;

  @Option(names = "--force", description = "Replace node folders that exist already.")
  boolean force;

  @Option(names = "--json", description = "Print one JSON object describing what was written.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Set<String> names = new LinkedHashSet<>();
    for (String n : nodes) {
      String name = n.strip();
      if (!ClusterCa.NAME.matcher(name).matches() || name.length() > 253) {
        throw new ParameterException(spec.commandLine(), "--nodes: '" + name
            + "' is not a node name (lower-case letters, digits, '-' and '.')");
      }
      if (name.equals("ca.crt") || name.equals("ca.key") || !names.add(name)) {
        throw new ParameterException(spec.commandLine(), "--nodes: '" + name + "' is listed twice or is reserved");
      }
    }
    if (days < 1 || days > 3650) {
      throw new ParameterException(spec.commandLine(), "--days must be in 1..3650, got: " + days);
    }
    if (keyBits < 2048 || keyBits > 8192) {
      throw new ParameterException(spec.commandLine(), "--key-bits must be in 2048..8192, got: " + keyBits);
    }
    if (!ClusterCa.NAME.matcher(clusterName).matches()) {
      throw new ParameterException(spec.commandLine(), "--cluster-name: '" + clusterName + "' is not a DNS name");
    }
    Path dir = out.toAbsolutePath().normalize();
    if (!force) {
      for (String name : names) {
        if (Files.exists(dir.resolve(name))) {
          throw new ParameterException(spec.commandLine(), "--nodes: " + dir.resolve(name)
              + " exists already (use --force to replace it)");
        }
      }
    }
    PrintWriter o = spec.commandLine().getOut();
    SecureRandom random = new SecureRandom();
    Instant now = Instant.now();
    Duration validity = Duration.ofDays(days);
    boolean reused = ClusterCa.existsIn(dir);
    ClusterCa ca;
    if (reused) {
      ca = ClusterCa.load(dir, random);
      progress(o, "using the CA in " + dir + " (cluster " + ca.clusterName() + ")");
    } else {
      ca = ClusterCa.create(clusterName, now, validity.multipliedBy(10), keyBits, random);
      ca.writeTo(dir);
      progress(o, "new CA for cluster " + clusterName + ": " + dir.resolve(ClusterCa.CA_CERT));
    }
    List<Path> written = new ArrayList<>();
    for (String name : names) {
      ClusterCa.NodeCredentials node = ca.issue(name, now, validity, keyBits);
      Path nodeDir = dir.resolve(name);
      ca.writeNode(node, nodeDir);
      written.add(nodeDir);
      progress(o, "  " + name + ": " + nodeDir + " (valid until " + node.certificate().getNotAfter().toInstant() + ")");
    }
    if (json) {
      ObjectMapper m = new ObjectMapper();
      ObjectNode r = m.createObjectNode();
      r.put("out", dir.toString());
      r.put("cluster", ca.clusterName());
      r.put("caCert", dir.resolve(ClusterCa.CA_CERT).toString());
      r.put("caReused", reused);
      ArrayNode arr = r.putArray("nodes");
      for (Path p : written) {
        ObjectNode n = arr.addObject();
        n.put("name", p.getFileName().toString());
        n.put("dir", p.toString());
      }
      o.println(m.writeValueAsString(r));
    } else {
      o.println("start each node with SOOS_CLUSTER_TLS_DIR=" + dir + "/<node>; keep " + dir.resolve(ClusterCa.CA_KEY)
          + " offline");
    }
    o.flush();
    return 0;
  }

  private void progress(PrintWriter o, String line) {
    if (json) {
      spec.commandLine().getErr().println(line);
    } else {
      o.println(line);
    }
  }
}
