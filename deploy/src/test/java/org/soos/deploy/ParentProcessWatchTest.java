package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.soos.shared.runtime.ParentProcessWatch;

class ParentProcessWatchTest {

  private static Config withParentPid(Object pid) {
    return ConfigFactory.parseMap(Map.of("soos.parent-pid", pid));
  }

  @Test
  void runsTheActionOnceWhenTheWatchedProcessExits() throws Exception {
    Process parent = new ProcessBuilder("sleep", "1").start();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);

    boolean watching = ParentProcessWatch.onParentExit(withParentPid(parent.pid()), () -> {
      runs.incrementAndGet();
      ran.countDown();
    });

    assertTrue(watching);
    assertFalse(ran.await(300, TimeUnit.MILLISECONDS), "the action ran while the process was alive");
    assertTrue(parent.isAlive());
    assertTrue(ran.await(15, TimeUnit.SECONDS), "the action did not run after the process exited");
    assertFalse(parent.isAlive());
    Thread.sleep(200);
    assertEquals(1, runs.get());
  }

  @Test
  void runsTheActionAtOnceWhenTheProcessIsAlreadyGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertEquals(0, gone.waitFor());
    AtomicInteger runs = new AtomicInteger();

    boolean watching = ParentProcessWatch.onParentExit(withParentPid(Long.toString(gone.pid())), runs::incrementAndGet);

    assertTrue(watching);
    assertEquals(1, runs.get(), "the action must have run before onParentExit returned");
  }

  @Test
  void doesNothingWhenNoParentPidIsSet() {
    AtomicInteger runs = new AtomicInteger();
    boolean watching = ParentProcessWatch.onParentExit(ConfigFactory.empty(), runs::incrementAndGet);
    assertFalse(watching);
    assertEquals(0, runs.get());
  }

  @Test
  void rejectsAPidThatIsNotAPositiveNumberNamingTheSetting() {
    IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
        () -> ParentProcessWatch.onParentExit(withParentPid("launcher"), () -> {}));
    assertTrue(notNumber.getMessage().contains("soos.parent-pid"), notNumber.getMessage());
    assertTrue(notNumber.getMessage().contains("launcher"), notNumber.getMessage());

    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> ParentProcessWatch.onParentExit(withParentPid(-5), () -> {}));
    assertTrue(negative.getMessage().contains("soos.parent-pid"), negative.getMessage());
  }
}
