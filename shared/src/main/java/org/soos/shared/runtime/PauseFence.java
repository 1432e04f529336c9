package org.soos.shared.runtime;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Self-fencing after a long pause (RELIABILITY.md fault 3): a JVM that was frozen (SIGSTOP, a long
 * stop-the-world pause, a suspended VM) for longer than {@code soos.cluster.pause-fence.max-pause} may
 * have been downed by the others' Split Brain Resolver meanwhile, with its shards, job entities and
 * jobs already running elsewhere. When it runs again it does not know that yet: Akka's own SBR on the
 * resumed node needs stable-after (4 s) to down itself, and in that time its coordinators and job
 * entities act on a stale view (they find every TILE silent and requeue its jobs, and write that to the
 * shared journal). So the JVM must stop before any of that: one daemon thread ticks every
 * {@code tick}; when a tick comes more than {@code max-pause} late, the thread runs the fence action
 * at once, before the actors woken with it get far (in {@code Main}: kill the JVM's child processes,
 * halt with {@link #EXIT_CODE}, no shutdown hooks). A supervisor (systemd, the launcher) restarts it and
 * it joins as a new member.
 *
 * <p>The default max-pause (5 s) is below the earliest moment the others can down the node: they mark
 * it unreachable after acceptable-heartbeat-pause (2.5 s) and the failure detector's margin, then wait
 * stable-after (4 s) without changes; its shards move only down-removal-margin (2 s) after that. A pause
 * shorter than max-pause does not fence; one longer may be a pause that the cluster would have
 * survived (between 5 and ~6.5 s): the price is a restart.
 */
public final class PauseFence {
  /** Exit code of a JVM that fenced itself after a pause. */
  public static final int EXIT_CODE = 78;
  /** Config block of the fence. */
  public static final String CONFIG_PATH = "soos.cluster.pause-fence";

  private final Duration maxPause;
  private final Duration tick;
  private final LongSupplier nanoTime;
  private final AtomicBoolean fenced = new AtomicBoolean();
  private volatile boolean stopped;

  PauseFence(Duration maxPause, Duration tick, LongSupplier nanoTime) {
    this.maxPause = Objects.requireNonNull(maxPause, "maxPause");
    this.tick = Objects.requireNonNull(tick, "tick");
    this.nanoTime = nanoTime;
    if (maxPause.isNegative() || maxPause.isZero()) throw new IllegalArgumentException("max-pause must be > 0");
    if (tick.isNegative() || tick.isZero() || tick.compareTo(maxPause) >= 0) {
      throw new IllegalArgumentException("tick must be > 0 and shorter than max-pause, got " + tick);
    }
  }

  /**
   * Starts the fence thread on the settings of {@code soos.cluster.pause-fence} ({@code enabled},
   * {@code max-pause}, {@code tick}); {@code onPause} receives the pause seen. Returns null when the
   * fence is disabled or not configured.
   */
  public static PauseFence start(Config config, Consumer<Duration> onPause) {
    if (!config.hasPath(CONFIG_PATH) || !config.getBoolean(CONFIG_PATH + ".enabled")) return null;
    PauseFence fence = new PauseFence(config.getDuration(CONFIG_PATH + ".max-pause"),
        config.getDuration(CONFIG_PATH + ".tick"), System::nanoTime);
    Thread t = new Thread(() -> fence.watch(onPause), "soos-pause-fence");
    t.setDaemon(true);
    t.setPriority(Thread.MAX_PRIORITY);
    t.start();
    return fence;
  }

  /**
   * The fence action of both roles' {@code Main}: a line on stderr, every child process killed (a
   * process job's stale-epoch copy must not run on), then {@link Runtime#halt} with {@link #EXIT_CODE}
   * (shutdown hooks would run coordinated shutdown, i.e. the actors, first).
   */
  public static void haltAfterPause(String role, Duration pause) {
    System.err.printf("SOOS %s: this JVM was frozen for %d ms (more than %s.max-pause): the cluster may have"
        + " downed it and moved its work; fencing itself: killing its child processes and halting with exit code %d%n",
        role, pause.toMillis(), CONFIG_PATH, EXIT_CODE);
    System.err.flush();
    try {
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    } finally {
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }

  /** Whether the fence has fired. */
  public boolean fenced() {
    return fenced.get();
  }

  void stop() {
    stopped = true;
  }

  /** The loop of the fence thread; returns once it has fired (or is stopped). */
  void watch(Consumer<Duration> onPause) {
    long tickNanos = tick.toNanos();
    long last = nanoTime.getAsLong();
    while (!stopped) {
      try {
        Thread.sleep(tick.toMillis(), (int) (tickNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Duration late = check(last);
      if (late != null) {
        fenced.set(true);
        onPause.accept(late);
        return;
      }
      last = nanoTime.getAsLong();
    }
  }

  /** The pause since {@code lastTick} when it is longer than max-pause (beyond one tick), else null. */
  Duration check(long lastTick) {
    long gap = nanoTime.getAsLong() - lastTick - tick.toNanos();
    return gap > maxPause.toNanos() ? Duration.ofNanos(gap) : null;
  }
}
