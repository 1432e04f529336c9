package org.soos.scheduler.index;

import akka.Done;
import akka.NotUsed;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.japi.Pair;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.stream.BoundedSourceQueue;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.BroadcastHub;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.soos.scheduler.job.JobEntity;
import org.soos.shared.id.JobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of jobs on one scheduler node: follows the {@link JobEntity#TAG} events in the JDBC
 * read journal from the start ({@code eventsByTag}, polled every {@code jdbc-read-journal.refresh-interval})
 * into a {@link JobTable}, and broadcasts each change as a {@link LifecycleEvent} for the
 * server-sent event stream.
 *
 * <p>Eventually consistent: it trails the journal by about the refresh interval (milliseconds to a
 * fraction of a second). The job entity stays the truth for a single job. Every node builds the
 * same index from the same journal.
 *
 * <p>A row of the tag that does not deserialize (a garbled payload) does not stop it: the read
 * journal's DAO ({@link TolerantReadJournalDao}) hands it on as an {@link UnreadableEvent}, and the
 * index logs it once at ERROR (persistence id, sequence number, ordering), quarantines that job in
 * the {@link JobTable} and reads on, so every other job, older or newer, is listed and streamed.
 *
 * <p>Lifecycle: an Akka extension, started on first use ({@link #get}); the stream restarts with
 * backoff from the last applied offset when the database fails, and stops in coordinated shutdown.
 * On a node restart the index is rebuilt by reading the tag from the start again; nothing of it is
 * stored. Changes read during that catch-up that were written before the index started are applied
 * but not broadcast (the event stream is live, not a replay).
 */
public final class JobIndex implements Extension {
  private static final Logger log = LoggerFactory.getLogger(JobIndex.class);

  /** Events waiting for the broadcast hub; further ones are dropped (the index never waits for readers). */
  static final int BROADCAST_QUEUE = 1024;
  /** Elements the hub keeps for its slowest subscriber. */
  static final int HUB_BUFFER = 256;
  /** Events written this long before the index started are history, not news. */
  static final Duration LIVE_SLACK = Duration.ofSeconds(2);

  private static final ExtensionId<JobIndex> ID = new ExtensionId<>() {
    @Override
    public JobIndex createExtension(ActorSystem<?> system) {
      return new JobIndex(system);
    }
  };

  private final JobTable table = new JobTable();
  private final BoundedSourceQueue<LifecycleEvent> broadcast;
  private final Source<LifecycleEvent, NotUsed> events;
  private final UniqueKillSwitch killSwitch;
  private final long liveFromMillis;

  /** The index of {@code system} (started on first call). */
  public static JobIndex get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private JobIndex(ActorSystem<?> system) {
    liveFromMillis = System.currentTimeMillis() - LIVE_SLACK.toMillis();
    Pair<BoundedSourceQueue<LifecycleEvent>, Source<LifecycleEvent, NotUsed>> hub = Source.<LifecycleEvent>queue(BROADCAST_QUEUE)
        .toMat(BroadcastHub.of(LifecycleEvent.class, HUB_BUFFER), Keep.both())
        .run(system);
    broadcast = hub.first();
    events = hub.second();
    // Without a subscriber the hub would hold elements back; this one keeps it flowing.
    events.runWith(Sink.ignore(), system);

    JdbcReadJournal journal =
        PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    RestartSettings restart = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
    Source<EventEnvelope, NotUsed> source = RestartSource.withBackoff(restart,
        () -> journal.eventsByTag(JobEntity.TAG, offsetAfter(table.lastOffset())));
    killSwitch = source
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(this::apply), Keep.left())
        .run(system);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-job-index", () -> {
      killSwitch.shutdown();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    log.info("Job index following tag '{}' from the start of the journal", JobEntity.TAG);
  }

  private static Offset offsetAfter(long ordering) {
    return ordering <= 0 ? Offset.noOffset() : Offset.sequence(ordering);
  }

  private void apply(EventEnvelope envelope) {
    long ordering = envelope.offset() instanceof Sequence seq ? seq.value() : table.lastOffset();
    if (ordering <= table.lastOffset() && table.eventsSeen() > 0) {
      return; // redelivered after a restart of the stream
    }
    if (envelope.event() instanceof UnreadableEvent unreadable) {
      quarantine(envelope, unreadable, ordering);
      return;
    }
    if (!(envelope.event() instanceof JobEntity.Event event)) {
      log.warn("Ignoring a non-job event tagged '{}' from {}", JobEntity.TAG, envelope.persistenceId());
      return;
    }
    JobId jobId = jobIdOf(envelope.persistenceId(), event);
    Optional<LifecycleEvent> change = table.record(jobId, event, ordering);
    if (change.isPresent() && envelope.timestamp() >= liveFromMillis) {
      broadcast.offer(change.get());
    }
  }

  /**
   * A row of the tag whose payload does not deserialize: logged once, its job quarantined in the
   * index (out of the list, later events passed over), and the stream reads on with the next row.
   */
  private void quarantine(EventEnvelope envelope, UnreadableEvent unreadable, long ordering) {
    String persistenceId = envelope.persistenceId();
    JobId jobId;
    try {
      jobId = jobIdOf(persistenceId, null);
    } catch (IllegalArgumentException notAJob) {
      log.error("Job index skipped an unreadable row tagged '{}' that names no job: persistence id {}, sequence number "
          + "{}, ordering {}: {}", JobEntity.TAG, persistenceId, envelope.sequenceNr(), ordering, unreadable.reason());
      return;
    }
    String reason = "journal row " + persistenceId + " #" + envelope.sequenceNr() + " (ordering " + ordering
        + ") cannot be read: " + unreadable.reason();
    if (table.quarantine(jobId, reason, ordering)) {
      log.error("Job index quarantined job {}: {} (serializer {}, manifest '{}'); it is left out of GET /v1/jobs and "
          + "the event stream, every other job is listed as before; repair or remove the row and restart this node",
          jobId, reason, unreadable.serializerId(), unreadable.manifest());
    } else {
      log.error("Job index skipped another unreadable row of quarantined job {}: {}", jobId, reason);
    }
  }

  private static JobId jobIdOf(String persistenceId, JobEntity.Event event) {
    if (event instanceof JobEntity.JobSubmitted s) return s.jobId();
    int sep = persistenceId.indexOf('|');
    return JobId.of(sep >= 0 ? persistenceId.substring(sep + 1) : persistenceId);
  }

  /** The index (read-only use: pages, counts, totals). */
  public JobTable table() {
    return table;
  }

  /**
   * Every change from now on, for any number of subscribers. A subscriber that falls more than the
   * hub's buffer behind slows the others down: buffer (and drop) per subscriber.
   */
  public Source<LifecycleEvent, NotUsed> events() {
    return events;
  }
}
