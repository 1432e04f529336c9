package org.soos.shared.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Loads the configuration of one role. Both roles ship in one distribution classpath, so neither
 * jar carries an {@code application.conf}: each role has its own top file ({@code scheduler.conf},
 * {@code tile-node.conf}).
 *
 * <p>Layers, highest first: system properties ({@code -D}), an operator's overlay
 * ({@code application.conf} on the classpath, or {@code -Dconfig.file=/etc/soos/overlay.conf}),
 * the role's file, then every {@code reference.conf}. Environment variables come in through the
 * {@code ${?SOOS_...}} substitutions of the role's file.
 *
 * <p>When {@code soos.cluster.tls.dir} is set (environment {@code SOOS_CLUSTER_TLS_DIR}), the profile
 * {@code cluster-tls.conf} is layered right above the role's file: Artery over TLS 1.3 with mutual
 * authentication, with that folder's PEM files (see {@link ClusterTls}).
 */
public final class RoleConfig {
  private RoleConfig() {}

  /** The configuration of {@code role} ("scheduler" or "tile-node"). */
  public static Config load(String role) {
    return load(role, ConfigFactory.empty());
  }

  /**
   * The configuration of {@code role} with {@code overrides} on top (tests, benchmarks). Built so
   * that overrides also reach {@code ${...}} substitutions.
   */
  public static Config load(String role, Config overrides) {
    ConfigFactory.invalidateCaches();
    Config roleFile = ConfigFactory.parseResourcesAnySyntax(role);
    Config top = overrides.withFallback(ConfigFactory.defaultApplication());
    Config loaded = ConfigFactory.load(top.withFallback(roleFile));
    if (!ClusterTls.enabled(loaded)) {
      return loaded;
    }
    ClusterTls.requireCredentials(loaded);
    Config tls = ConfigFactory.parseResourcesAnySyntax(ClusterTls.PROFILE);
    return ConfigFactory.load(top.withFallback(tls).withFallback(roleFile));
  }
}
