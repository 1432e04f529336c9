package org.soos.scheduler;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Test configuration: the role's scheduler.conf with random ports and a temporary run folder. */
public final class TestConfigs {
  static {
    // Before H2 loads: an AUTO_SERVER journal listens on loopback only.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  private TestConfigs() {}

  /**
   * The scheduler's config for a single test node: artery on a random port, no seed nodes (the test
   * joins the node to itself), HTTP on a free port, run folder {@code runDir}, plus {@code extra}.
   */
  public static Config scheduler(Path runDir, Map<String, Object> extra) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    overrides.put("akka.remote.artery.canonical.port", 0);
    overrides.put("akka.cluster.seed-nodes", java.util.List.of());
    overrides.put("akka.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    overrides.put("soos.run-dir", runDir.toAbsolutePath().toString());
    overrides.put("soos.scheduler.http.port", freePort());
    overrides.put("soos.clock.sim-start", TestReports.SIM_EPOCH.toString());
    // The build machine is shared: give replies time before a probe gives up.
    overrides.put("akka.actor.testkit.typed.single-expect-default", "10s");
    // ... and a node with a journal, sharding and an HTTP server time to stop (the default is 10 s).
    overrides.put("akka.actor.testkit.typed.system-shutdown-default", "30s");
    overrides.putAll(extra);
    return org.soos.shared.runtime.RoleConfig.load("scheduler", ConfigFactory.parseMap(overrides));
  }

  /** A TCP port free on loopback right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
