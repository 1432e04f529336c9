package org.soos.scheduler.job;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code soos.scheduler.jobs} block: how job entities keep a plane coordinator informed.
 *
 * @param registerInterval wall time between two registrations of a non-terminal job with its plane's
 *     coordinator (the first one is sent at once after submission or recovery); a lost registration or a
 *     coordinator that restarted learns the job again within this time
 * @param passivateTerminalAfter wall time a finished (or unknown) job stays in memory before it is
 *     passivated and leaves the remembered set; a later query brings it back from the journal
 */
public record JobSettings(Duration registerInterval, Duration passivateTerminalAfter) {
  public JobSettings {
    if (registerInterval == null || registerInterval.isNegative() || registerInterval.isZero()) {
      throw new IllegalArgumentException("soos.scheduler.jobs.register-interval must be > 0, got: " + registerInterval);
    }
    if (passivateTerminalAfter == null || passivateTerminalAfter.isNegative()) {
      throw new IllegalArgumentException(
          "soos.scheduler.jobs.passivate-terminal-after must be >= 0, got: " + passivateTerminalAfter);
    }
  }

  /** Reads {@code soos.scheduler.jobs} from the root config. */
  public static JobSettings fromConfig(Config root) {
    Config c = root.getConfig("soos.scheduler.jobs");
    return new JobSettings(c.getDuration("register-interval"), c.getDuration("passivate-terminal-after"));
  }
}
