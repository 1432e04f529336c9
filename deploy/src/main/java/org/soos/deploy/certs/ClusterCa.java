package org.soos.deploy.certs;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A cluster's certificate authority: a self-signed RSA root that issues one certificate per node, for
 * Artery's {@code tls-tcp} with mutual authentication (see {@code cluster-tls.conf}).
 *
 * <p>Each node certificate names the node (CN and a DNS SAN) and the cluster (a second DNS SAN): Akka's
 * {@code RotatingKeysSSLEngineProvider} accepts a peer only when its certificate chains to the CA
 * <em>and</em> shares a subject name with the node's own certificate. RSA because Akka's PEM reader
 * takes RSA keys only; SHA-256 signatures; extended key usage serverAuth and clientAuth since every
 * node is both sides of a TLS connection.
 *
 * <p>Files, as Akka's rotating-keys convention names them: {@code <out>/ca.crt}, {@code <out>/ca.key}
 * (keep it offline; only needed to issue more nodes), and per node {@code <out>/<node>/tls.key},
 * {@code tls.crt}, {@code ca.crt}. Private keys are written owner-read/write only.
 */
public final class ClusterCa {
  /** Node and cluster names: DNS labels, so that they are valid SANs. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String NODE_KEY = "tls.key";
  public static final String NODE_CERT = "tls.crt";
  private static final String SIGNATURE = "SHA256withRSA";

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final SecureRandom random;

  private ClusterCa(KeyPair keys, X509Certificate certificate, SecureRandom random) {
    this.keys = keys;
    this.certificate = certificate;
    this.random = random;
  }

  /** One node's credentials. */
  public record NodeCredentials(String node, PrivateKey key, X509Certificate certificate) {}

  /**
   * A new CA for {@code clusterName}, valid from {@code now} (minus a minute of clock skew) for
   * {@code validity}.
   */
  public static ClusterCa create(String clusterName, Instant now, Duration validity, int keyBits, SecureRandom random) {
    requireName("cluster name", clusterName);
    KeyPair keys = rsa(keyBits, random);
    X500Name subject = name(clusterName + " cluster CA", clusterName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new ClusterCa(keys, sign(b, keys.getPrivate()), random);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
    }
  }

  /** Reads the CA of {@code dir} ({@value #CA_CERT} and {@value #CA_KEY}). */
  public static ClusterCa load(Path dir, SecureRandom random) throws IOException {
    X509Certificate cert = readCertificate(dir.resolve(CA_CERT));
    PrivateKey key = readPrivateKey(dir.resolve(CA_KEY));
    return new ClusterCa(new KeyPair(cert.getPublicKey(), key), cert, random);
  }

  /** True when {@code dir} holds a CA ({@value #CA_CERT} and {@value #CA_KEY}). */
  public static boolean existsIn(Path dir) {
    return Files.exists(dir.resolve(CA_CERT)) && Files.exists(dir.resolve(CA_KEY));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The cluster name: the O of the CA's subject. */
  public String clusterName() {
    return new X509CertificateHolderView(certificate).organization();
  }

  /** A key and certificate for {@code node}, valid from {@code now} for {@code validity}, never past the CA's end. */
  public NodeCredentials issue(String node, Instant now, Duration validity, int keyBits) {
    requireName("node name", node);
    String cluster = clusterName();
    KeyPair nodeKeys = rsa(keyBits, random);
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      GeneralNames san = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, node), new GeneralName(GeneralName.dNSName, cluster)});
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(random),
          Date.from(now.minusSeconds(60)), Date.from(notAfter), name(node, cluster), nodeKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, san)
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(nodeKeys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      return new NodeCredentials(node, nodeKeys.getPrivate(), sign(b, keys.getPrivate()));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the certificate of " + node + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@value #CA_CERT} and {@value #CA_KEY} (owner-only) into {@code dir}. */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    writePem(dir.resolve(CA_CERT), certificatePem(certificate), false);
    writePem(dir.resolve(CA_KEY), privateKeyPem(keys.getPrivate()), true);
  }

  /** Writes a node's {@value #NODE_KEY} (owner-only), {@value #NODE_CERT} and {@value #CA_CERT} into {@code dir}. */
  public void writeNode(NodeCredentials node, Path dir) throws IOException {
    Files.createDirectories(dir);
    writePem(dir.resolve(NODE_KEY), privateKeyPem(node.key()), true);
    writePem(dir.resolve(NODE_CERT), certificatePem(node.certificate()), false);
    writePem(dir.resolve(CA_CERT), certificatePem(certificate), false);
  }

  // ---------------------------------------------------------------- PEM

  /** The PEM text of a certificate. */
  public static String certificatePem(X509Certificate cert) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(cert);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return s.toString();
  }

  /** The PEM text of a private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), as Akka reads it. */
  public static String privateKeyPem(PrivateKey key) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return s.toString();
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    Object o = readPem(file);
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new IOException(file + " holds no PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    Object o = readPem(file);
    if (!(o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info)) {
      throw new IOException(file + " holds no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY)");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not an RSA key: " + e.getMessage(), e);
    }
  }

  private static Object readPem(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (o == null) throw new IOException(file + " holds no PEM block");
      return o;
    }
  }

  private static void writePem(Path file, String pem, boolean secret) throws IOException {
    Files.deleteIfExists(file);
    if (secret && Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING)) {
      w.write(pem);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void requireName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.length() > 253 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be a DNS name of lower-case letters, digits, '-' and '.', got: '"
          + name + "'");
    }
  }

  private static X500Name name(String commonName, String cluster) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, cluster).addRDN(BCStyle.CN, commonName).build();
  }

  private static KeyPair rsa(int bits, SecureRandom random) {
    if (bits < 2048 || bits > 8192) {
      throw new IllegalArgumentException("key size must be 2048..8192 bits, got: " + bits);
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits, random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA unavailable", e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner s = new JcaContentSignerBuilder(SIGNATURE).build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  /** Reads the O of a certificate's subject. */
  private record X509CertificateHolderView(X509Certificate cert) {
    String organization() {
      X500Name n = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
      var rdns = n.getRDNs(BCStyle.O);
      if (rdns.length == 0) throw new IllegalStateException("the CA certificate has no O (cluster name)");
      return rdns[0].getFirst().getValue().toString();
    }
  }

  /** For callers that list the subject names of a certificate (CN and DNS SANs). */
  public static List<String> dnsNames(X509Certificate cert) {
    try {
      var sans = cert.getSubjectAlternativeNames();
      if (sans == null) return List.of();
      return sans.stream().filter(l -> ((Integer) l.get(0)) == GeneralName.dNSName).map(l -> (String) l.get(1)).toList();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new IllegalStateException(e);
    }
  }
}
