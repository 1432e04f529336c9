package org.soos.tile.process;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.stream.IOResult;
import akka.stream.SourceRef;
import akka.stream.javadsl.FileIO;
import akka.stream.javadsl.StreamRefs;
import akka.util.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.soos.shared.CborSerializable;
import org.soos.shared.id.JobId;

/**
 * Moves process-job checkpoints between tile-nodes through the cluster with Akka StreamRefs.
 *
 * <p>Every board-mode node runs a {@link #server} actor registered with the receptionist under
 * {@link #KEY}; it owns nothing but a reference to the node's {@link CheckpointStore} (nothing is lost on
 * restart). Asked {@link Find}, it answers an {@link Offer} describing the newest checkpoint of the job it
 * keeps below the epoch, with a {@link SourceRef} streaming the packed file in 64 KiB chunks (or an
 * offer without bytes when it has none).
 *
 * <p>{@link #fetcher} is the other side: it asks every node's server, takes the newest offer (this node's
 * own copy when that is as new), streams the bytes into a temporary file and hands them to
 * {@link CheckpointStore#receive}, which keeps them only when their size and SHA-256 match the offer.
 */
public final class CheckpointTransfer {
  private CheckpointTransfer() {}

  /** Receptionist key of the checkpoint servers. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "soos-checkpoints");

  /** Chunk size of a checkpoint stream, bytes (well below Artery's frame size). */
  static final int CHUNK_BYTES = 64 * 1024;

  /** What a checkpoint server accepts. */
  public interface Command extends CborSerializable {}

  /** The newest checkpoint of {@code jobId} with an epoch below {@code beforeEpoch}; answered with an {@link Offer}. */
  public record Find(JobId jobId, long beforeEpoch, ActorRef<Offer> replyTo) implements Command {}

  /**
   * A server's answer: its newest checkpoint of the job, or none ({@code bytes == null}, epoch -1).
   *
   * @param node the server's node address
   * @param bytes the packed checkpoint, streamed on demand
   */
  public record Offer(String node, JobId jobId, long epoch, double doneGpuSeconds, long sizeBytes, String sha256,
      SourceRef<ByteString> bytes) implements CborSerializable {}

  /** The server of this node's checkpoints; register it with the receptionist under {@link #KEY}. */
  public static Behavior<Command> server(CheckpointStore store) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      String node = ctx.getSystem().address().toString();
      return Behaviors.receive(Command.class)
          .onMessage(Find.class, f -> {
            Optional<StoredCheckpoint> c = store.latest(f.jobId(), f.beforeEpoch());
            if (c.isEmpty()) {
              f.replyTo().tell(new Offer(node, f.jobId(), -1, 0.0, 0, "", null));
              return Behaviors.same();
            }
            StoredCheckpoint s = c.get();
            SourceRef<ByteString> ref = FileIO.fromPath(s.file(), CHUNK_BYTES)
                .runWith(StreamRefs.sourceRef(), ctx.getSystem());
            ctx.getLog().info("offering checkpoint of {} epoch {} ({} bytes, SHA-256 {}) to {}", s.jobId(), s.epoch(),
                s.sizeBytes(), s.sha256(), f.replyTo().path().address());
            f.replyTo().tell(new Offer(node, s.jobId(), s.epoch(), s.doneGpuSeconds(), s.sizeBytes(), s.sha256(), ref));
            return Behaviors.same();
          })
          .build();
    });
  }

  /**
   * The fetcher of a node: asks the cluster's checkpoint servers, copies the newest checkpoint here.
   *
   * @param system the node's actor system
   * @param store this node's store
   * @param timeout how long the whole fetch may take
   * @param blocking where file hashing runs
   */
  public static CheckpointFetcher fetcher(ActorSystem<?> system, CheckpointStore store, Duration timeout,
      Executor blocking) {
    return (jobId, beforeEpoch) -> attempt(system, store, jobId, beforeEpoch, blocking, 1)
        .toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static final int ATTEMPTS = 5;
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private static CompletionStage<StoredCheckpoint> attempt(ActorSystem<?> system, CheckpointStore store, JobId jobId,
      long beforeEpoch, Executor blocking, int n) {
    return offers(system, jobId, beforeEpoch).thenCompose(offers -> {
      Offer best = null;
      for (Offer o : offers) {
        if (o.bytes() != null && (best == null || o.epoch() > best.epoch())) best = o;
      }
      Optional<StoredCheckpoint> local = store.latest(jobId, beforeEpoch);
      if (local.isPresent() && (best == null || local.get().epoch() >= best.epoch())) {
        return CompletableFuture.completedFuture(local.get());
      }
      if (best == null) {
        if (n < ATTEMPTS) {
          // Servers register through the receptionist a few seconds after a node joins: ask again.
          Executor later = CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS, blocking);
          return CompletableFuture.supplyAsync(() -> null, later)
              .thenCompose(x -> attempt(system, store, jobId, beforeEpoch, blocking, n + 1));
        }
        return CompletableFuture.failedFuture(new IOException("no node has a checkpoint of " + jobId
            + " below epoch " + beforeEpoch + " (asked " + offers.size() + " node(s), " + n + " times)"));
      }
      return download(system, store, best, blocking);
    });
  }

  private static CompletionStage<List<Offer>> offers(ActorSystem<?> system, JobId jobId, long beforeEpoch) {
    CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
        (ActorRef<Receptionist.Listing> r) -> Receptionist.find(KEY, r), ASK_TIMEOUT, system.scheduler());
    return listing.thenCompose(l -> {
      Set<ActorRef<Command>> servers = l.getServiceInstances(KEY);
      List<CompletableFuture<Offer>> asks = new ArrayList<>();
      for (ActorRef<Command> s : servers) {
        asks.add(AskPattern.<Command, Offer>ask(s, r -> new Find(jobId, beforeEpoch, r), ASK_TIMEOUT, system.scheduler())
            .toCompletableFuture().exceptionally(e -> null));
      }
      return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<Offer> out = new ArrayList<>();
        for (CompletableFuture<Offer> a : asks) {
          Offer o = a.join();
          if (o != null) out.add(o);
        }
        return out;
      });
    });
  }

  private static CompletionStage<StoredCheckpoint> download(ActorSystem<?> system, CheckpointStore store, Offer offer,
      Executor blocking) {
    Path tmp;
    try {
      tmp = Files.createTempFile(store.dir(), "incoming-", ".tmp");
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    system.log().info("fetching checkpoint of {} epoch {} ({} bytes, SHA-256 {}) from {}", offer.jobId(), offer.epoch(),
        offer.sizeBytes(), offer.sha256(), offer.node());
    CompletionStage<IOResult> written = offer.bytes().getSource().runWith(FileIO.toPath(tmp), system);
    return written.thenApplyAsync(io -> {
      try (InputStream in = Files.newInputStream(tmp)) {
        StoredCheckpoint c = store.receive(offer.jobId(), offer.epoch(), offer.doneGpuSeconds(), offer.sizeBytes(),
            offer.sha256(), in);
        system.log().info("received checkpoint of {} epoch {} from {}: {} bytes, SHA-256 verified {}", c.jobId(),
            c.epoch(), offer.node(), c.sizeBytes(), c.sha256());
        return c;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a stray temporary file; the next fetch uses another name
        }
      }
    }, blocking);
  }
}
