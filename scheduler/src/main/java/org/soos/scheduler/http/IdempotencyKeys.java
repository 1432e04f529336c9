package org.soos.scheduler.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.soos.shared.id.JobId;

/**
 * {@code Idempotency-Key} of {@code POST /v1/jobs}: the job id is derived from the key, so every
 * submission with the same key, concurrent or repeated, reaches the same job entity, which accepts
 * the first and answers the others with the job it already holds.
 *
 * <p>Derivation: a name-based UUID, version 5 (SHA-1, RFC 9562 section 5.5) in this API's own
 * namespace. Random job ids are version 4, so a derived id never equals a random one.
 */
public final class IdempotencyKeys {
  /** The request header. */
  public static final String HEADER = "Idempotency-Key";
  /** Longest key accepted. */
  public static final int MAX_LENGTH = 255;

  /** Namespace of derived job ids (a fixed random UUID of this API). */
  static final UUID NAMESPACE = UUID.fromString("5b0c7a3e-2f4d-4e7a-9c61-3d8f1a0b6e25");

  private IdempotencyKeys() {}

  /**
   * The key as sent, checked: 1-255 printable ASCII characters (space allowed inside).
   *
   * @throws ProblemException 400 naming {@code Idempotency-Key}
   */
  public static String validate(String key) {
    if (key == null || key.isEmpty()) {
      throw ProblemException.badInput(HEADER, HEADER + " must not be empty when given");
    }
    if (key.length() > MAX_LENGTH) {
      throw ProblemException.badInput(HEADER, HEADER + " is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw ProblemException.badInput(HEADER, HEADER + " must be printable ASCII; character " + i + " is not");
      }
    }
    if (key.isBlank()) throw ProblemException.badInput(HEADER, HEADER + " must not be blank");
    return key;
  }

  /** The job id of a key: the same key always gives the same id. */
  public static JobId jobIdFor(String key) {
    return JobId.of(nameBasedUuid(NAMESPACE, key).toString());
  }

  /** A fresh random job id (version 4 UUID), for submissions without a key. */
  public static JobId randomJobId() {
    return JobId.of(UUID.randomUUID().toString());
  }

  /** RFC 9562 version 5 UUID of {@code name} (UTF-8) in {@code namespace}. */
  static UUID nameBasedUuid(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }
}
