package org.soos.shared.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseFenceTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aTickLateByMoreThanMaxPauseFences() {
    PauseFence fence = new PauseFence(Duration.ofSeconds(5), Duration.ofMillis(100), now::get);
    long last = now.get();
    now.addAndGet(Duration.ofMillis(100 + 5001).toNanos());
    Duration late = fence.check(last);
    assertNotNull(late);
    assertEquals(5001, late.toMillis());
  }

  @Test
  void aTickLateByLessThanMaxPauseDoesNot() {
    PauseFence fence = new PauseFence(Duration.ofSeconds(5), Duration.ofMillis(100), now::get);
    long last = now.get();
    now.addAndGet(Duration.ofMillis(100 + 4900).toNanos());
    assertNull(fence.check(last));
  }

  @Test
  void theThreadReportsAPauseOnceAndStops() throws Exception {
    // A fake clock that jumps 10 s on the second reading (the first check), as after SIGSTOP and SIGCONT.
    AtomicLong reads = new AtomicLong();
    PauseFence fence = new PauseFence(Duration.ofSeconds(5), Duration.ofMillis(10),
        () -> reads.incrementAndGet() >= 2 ? 10_000_000_000L + reads.get() * 10_000_000L : reads.get() * 10_000_000L);
    CompletableFuture<Duration> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> fence.watch(seen::complete));
    t.start();
    Duration pause = seen.get(5, TimeUnit.SECONDS);
    t.join(5000);
    assertFalse(t.isAlive());
    assertTrue(fence.fenced());
    assertTrue(pause.toMillis() > 5000, pause.toString());
  }

  @Test
  void disabledOrMissingConfigStartsNothing() {
    assertNull(PauseFence.start(ConfigFactory.empty(), p -> {}));
    assertNull(PauseFence.start(ConfigFactory.parseString("soos.cluster.pause-fence { enabled = off, max-pause = 5s, tick = 100ms }"), p -> {}));
  }

  @Test
  void theShippedSettingsStayBelowTheDowningTimeout() {
    var c = ConfigFactory.parseResources("cluster-downing.conf").resolve();
    Duration maxPause = c.getDuration("soos.cluster.pause-fence.max-pause");
    Duration earliestDown = c.getDuration("akka.cluster.failure-detector.acceptable-heartbeat-pause")
        .plus(c.getDuration("akka.cluster.split-brain-resolver.stable-after"));
    assertTrue(c.getBoolean("soos.cluster.pause-fence.enabled"));
    assertTrue(maxPause.compareTo(earliestDown) < 0, maxPause + " must be below " + earliestDown);
  }

  @Test
  void rejectsATickNotShorterThanMaxPause() {
    assertThrows(IllegalArgumentException.class, () -> new PauseFence(Duration.ofSeconds(1), Duration.ofSeconds(1), now::get));
  }
}
