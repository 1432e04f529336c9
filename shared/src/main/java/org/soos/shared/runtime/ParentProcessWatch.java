package org.soos.shared.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ties a JVM's life to the process that launched it. The launcher ({@code deploy/soos up}) passes
 * {@code -Dsoos.parent-pid=<its pid>} to every JVM it starts; each {@code Main} calls
 * {@link #onParentExit(Config, Runnable)} with an action that terminates its ActorSystem, so no JVM
 * outlives the launcher even when the launcher is killed with SIGKILL and its shutdown hook never runs.
 */
public final class ParentProcessWatch {

  /** Config path (and system property) holding the parent's process id. */
  public static final String PARENT_PID_PATH = "soos.parent-pid";

  private ParentProcessWatch() {}

  /**
   * Runs {@code action} once when the process named by {@code soos.parent-pid} exits: read from
   * {@code config} when the path is there, else from the system property of the same name. When the
   * process is already gone, {@code action} runs at once, on the calling thread; otherwise it runs
   * on a JDK process-reaper thread.
   *
   * @return true when a parent pid was set (the action has run or will run), false when none was set
   * @throws IllegalArgumentException when {@code soos.parent-pid} is not a positive integer
   */
  public static boolean onParentExit(Config config, Runnable action) {
    Optional<Long> pid = parentPid(config);
    pid.ifPresent(p -> onProcessExit(p, action));
    return pid.isPresent();
  }

  /**
   * Runs {@code action} once when process {@code pid} exits, or at once when no such process is
   * running.
   */
  public static void onProcessExit(long pid, Runnable action) {
    if (pid <= 0) {
      throw new IllegalArgumentException(PARENT_PID_PATH + " must be a positive process id, got: " + pid);
    }
    AtomicBoolean ran = new AtomicBoolean();
    Runnable once = () -> {
      if (ran.compareAndSet(false, true)) {
        action.run();
      }
    };
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      once.run();
      return;
    }
    handle.get().onExit().thenRun(once);
  }

  /** The parent pid from {@code soos.parent-pid} (config first, then system property), if set. */
  public static Optional<Long> parentPid(Config config) {
    String text = null;
    if (config != null && config.hasPath(PARENT_PID_PATH)) {
      try {
        text = config.getString(PARENT_PID_PATH);
      } catch (ConfigException.WrongType e) {
        throw new IllegalArgumentException(
            PARENT_PID_PATH + " must be a positive process id, got: " + config.getValue(PARENT_PID_PATH).render(), e);
      }
    } else {
      text = System.getProperty(PARENT_PID_PATH);
    }
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PARENT_PID_PATH + " must be a positive process id, got: " + text, e);
    }
    if (pid <= 0) {
      throw new IllegalArgumentException(PARENT_PID_PATH + " must be a positive process id, got: " + text);
    }
    return Optional.of(pid);
  }
}
