package org.soos.scheduler.index;

import akka.NotUsed;
import akka.actor.Scheduler;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.config.ReadJournalConfig;
import akka.persistence.jdbc.query.dao.DefaultReadJournalDao;
import akka.persistence.jdbc.query.dao.ReadJournalDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import akka.stream.scaladsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.util.Success;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The read journal's data access for this project ({@code jdbc-read-journal.dao}): akka-persistence-jdbc's
 * {@link DefaultReadJournalDao}, except that {@code eventsByTag} turns a row whose payload does not
 * deserialize into an {@link UnreadableEvent} instead of a failure.
 *
 * <p>Why: the plugin's {@code eventsByTag} fails the whole stream on the first row that does not
 * deserialize, and a restarted stream reads the same row again, so one garbled event would stop the
 * job index (and the event stream) for every job, forever. With this, the row arrives as an envelope
 * with its persistence id, sequence number and ordering, and {@link JobIndex} quarantines that job and
 * reads on. Every other query ({@code eventsByPersistenceId}, {@code persistenceIds}, ...) is the
 * plugin's own and still fails on such a row; the write side (replay of an entity) does not use this
 * class at all.
 */
public final class TolerantReadJournalDao implements ReadJournalDao {
  private final DefaultReadJournalDao strict;
  private final DefaultReadJournalDao tolerant;

  /** The constructor the plugin calls (by reflection, with these exact parameter types). */
  public TolerantReadJournalDao(JdbcBackend.DatabaseDef db, JdbcProfile profile, ReadJournalConfig config,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    this.strict = new DefaultReadJournalDao(db, profile, config, serialization, ec, mat);
    this.tolerant = new DefaultReadJournalDao(db, profile, config, new Tolerant(serialization), ec, mat);
  }

  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(String tag, long offset,
      long maxOffset, long max) {
    return tolerant.eventsByTag(tag, offset, maxOffset, max);
  }

  @Override
  public Source<String, NotUsed> allPersistenceIdsSource(long max) {
    return strict.allPersistenceIdsSource(max);
  }

  @Override
  public Source<Object, NotUsed> journalSequence(long offset, long limit) {
    return strict.journalSequence(offset, limit);
  }

  @Override
  public Future<Object> maxJournalSequence() {
    return strict.maxJournalSequence();
  }

  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(String persistenceId, long fromSequenceNr,
      long toSequenceNr, long max) {
    return strict.messages(persistenceId, fromSequenceNr, toSequenceNr, max);
  }

  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messagesWithBatch(String persistenceId,
      long fromSequenceNr, long toSequenceNr, int batchSize, Option<Tuple2<FiniteDuration, Scheduler>> refreshInterval) {
    return strict.messagesWithBatch(persistenceId, fromSequenceNr, toSequenceNr, batchSize, refreshInterval);
  }

  /**
   * The system's serialization, except that a payload that does not deserialize becomes an
   * {@link UnreadableEvent}. The plugin reads a row through {@code deserialize(bytes, id, manifest)}
   * only; that is the one method overridden, and it delegates to the system's own instance.
   * (Constructing this subclass builds a second, unused set of serializers once per read journal.)
   */
  private static final class Tolerant extends Serialization {
    private final Serialization system;

    Tolerant(Serialization system) {
      super(system.system());
      this.system = system;
    }

    @Override
    public Try<Object> deserialize(byte[] bytes, int serializerId, String manifest) {
      Try<Object> read = system.deserialize(bytes, serializerId, manifest);
      if (read.isSuccess()) return read;
      Throwable cause = read.failed().get();
      return new Success<>(new UnreadableEvent(serializerId, manifest,
          cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }
  }
}
