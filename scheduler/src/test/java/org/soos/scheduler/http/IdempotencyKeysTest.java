package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {
  /** RFC 9562 appendix A.4: version 5 UUID of "www.example.com" in the DNS namespace. */
  @Test
  void derivesTheRfcVersion5Uuid() {
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertEquals(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"),
        IdempotencyKeys.nameBasedUuid(dns, "www.example.com"));
  }

  @Test
  void sameKeyGivesSameJobIdAndOtherKeysOthers() {
    assertEquals(IdempotencyKeys.jobIdFor("order-42"), IdempotencyKeys.jobIdFor("order-42"));
    assertNotEquals(IdempotencyKeys.jobIdFor("order-42"), IdempotencyKeys.jobIdFor("order-43"));
    assertEquals(5, UUID.fromString(IdempotencyKeys.jobIdFor("order-42").value()).version());
    assertEquals(4, UUID.fromString(IdempotencyKeys.randomJobId().value()).version());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "tab\there", "caf\u00e9", "line\nbreak"})
  void refusesBadKeysNamingTheHeader(String key) {
    ProblemException e = assertThrows(ProblemException.class, () -> IdempotencyKeys.validate(key));
    assertEquals("Idempotency-Key", e.field());
    assertEquals(400, e.status().intValue());
  }

  @Test
  void refusesKeysLongerThan255Characters() {
    assertEquals("k".repeat(255), IdempotencyKeys.validate("k".repeat(255)));
    assertThrows(ProblemException.class, () -> IdempotencyKeys.validate("k".repeat(256)));
  }
}
