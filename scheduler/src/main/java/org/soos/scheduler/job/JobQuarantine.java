package org.soos.scheduler.job;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs of this node whose journal could not be replayed (a payload that does not deserialize, an
 * event the job's history cannot contain, such as a second submission written by a foreign writer):
 * job id to the reason. A quarantined job's entity answers every command with an error naming the job
 * instead of replaying again, so a bad row cannot put its shard into a restart loop, and the API
 * answers 500 for that job while every other job is unaffected.
 *
 * <p>Owns: the set and a count of replay failures per job. Loses on restart of the node: everything
 * (the next start replays the job once more, fails once more and quarantines it again).
 */
public final class JobQuarantine implements Extension {
  /** Start of the error a quarantined job's entity replies with. */
  public static final String ERROR_PREFIX = "quarantined:";

  private static final ExtensionId<JobQuarantine> ID = new ExtensionId<>() {
    @Override
    public JobQuarantine createExtension(ActorSystem<?> system) {
      return new JobQuarantine();
    }
  };

  private final Map<String, String> reasons = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> replayFailures = new ConcurrentHashMap<>();

  private JobQuarantine() {}

  public static JobQuarantine get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Records a replay failure of {@code jobId} and quarantines it. */
  void quarantine(String jobId, String reason) {
    replayFailures.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
    reasons.putIfAbsent(jobId, reason);
  }

  /** Why {@code jobId} is quarantined, if it is. */
  public Optional<String> reason(String jobId) {
    return Optional.ofNullable(reasons.get(jobId));
  }

  /** How often the journal of {@code jobId} failed to replay on this node. */
  public int replayFailures(String jobId) {
    AtomicInteger n = replayFailures.get(jobId);
    return n == null ? 0 : n.get();
  }
}
