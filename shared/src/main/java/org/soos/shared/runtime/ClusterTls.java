package org.soos.shared.runtime;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The cluster's transport-security profile: Artery {@code tls-tcp}, TLS 1.3, mutual authentication,
 * one CA per cluster ({@code cluster-tls.conf}). On when {@code soos.cluster.tls.dir} names a folder
 * holding this node's {@value #KEY_FILE}, {@value #CERT_FILE} and {@value #CA_FILE}, as {@code soos certs}
 * writes them.
 */
public final class ClusterTls {
  /** The config resource layered over the role's file when TLS is on. */
  public static final String PROFILE = "cluster-tls.conf";
  /** The config key naming the node's credentials folder. */
  public static final String DIR_KEY = "soos.cluster.tls.dir";
  /** The node's private key, PEM (PKCS#8). */
  public static final String KEY_FILE = "tls.key";
  /** The node's certificate, PEM, issued by the cluster's CA. */
  public static final String CERT_FILE = "tls.crt";
  /** The cluster CA's certificate, PEM. */
  public static final String CA_FILE = "ca.crt";

  private ClusterTls() {}

  /** True when {@code soos.cluster.tls.dir} is set and not empty. */
  public static boolean enabled(Config config) {
    return config.hasPath(DIR_KEY) && !config.getString(DIR_KEY).isBlank();
  }

  /**
   * Checks that the credentials folder holds the three PEM files, readable, each with the right PEM
   * block, so that a node with missing or misplaced credentials fails at start naming the file rather
   * than at its first connection.
   *
   * @throws IllegalArgumentException naming {@code soos.cluster.tls.dir} and the file at fault
   */
  public static void requireCredentials(Config config) {
    Path dir = Paths.get(config.getString(DIR_KEY).strip());
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(DIR_KEY + " (SOOS_CLUSTER_TLS_DIR) is not a folder: " + dir);
    }
    requirePem(dir.resolve(KEY_FILE), List.of("-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----"));
    requirePem(dir.resolve(CERT_FILE), List.of("-----BEGIN CERTIFICATE-----"));
    requirePem(dir.resolve(CA_FILE), List.of("-----BEGIN CERTIFICATE-----"));
  }

  private static void requirePem(Path file, List<String> headers) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(DIR_KEY + ": cannot read " + file + " (" + e.getClass().getSimpleName()
          + "): run `soos certs` to make the cluster's credentials", e);
    }
    if (headers.stream().noneMatch(text::contains)) {
      throw new IllegalArgumentException(DIR_KEY + ": " + file + " is not a PEM file with " + String.join(" or ", headers));
    }
  }
}
