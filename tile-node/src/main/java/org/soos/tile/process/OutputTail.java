package org.soos.tile.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The last {@code capacity} bytes of a process's output. The process writes (stdout and stderr, in
 * append mode) into a spool file; a daemon thread moves what it wrote into a ring buffer every 100 ms and
 * empties the spool once it holds more than {@code capacity} bytes, so the disk holds at most about one
 * capacity plus 100 ms of output. (A spool file rather than a pipe: the JDK closes a process's pipe
 * when the process exits, losing what a reader had not yet taken, such as the last words of a job that
 * checkpoints on SIGTERM.) Bytes beyond the capacity are dropped from the front and counted.
 */
final class OutputTail {
  private static final long POLL_MILLIS = 100;

  private final Path spool;
  private final byte[] ring;
  private long total;
  private long offset;
  private volatile boolean stopped;
  private final Thread poller;

  /** @param spool the file the process's output is redirected to (appended) */
  OutputTail(Path spool, int capacity, String name) {
    this.spool = spool;
    this.ring = new byte[capacity];
    this.poller = new Thread(() -> {
      while (!stopped) {
        drain();
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, name);
    poller.setDaemon(true);
    poller.start();
  }

  /** Moves what the spool holds beyond the offset into the ring; empties a spool grown past the capacity. */
  synchronized void drain() {
    try (FileChannel ch = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      ch.position(offset);
      int n;
      while ((n = ch.read(buf)) > 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          ring[(int) (total % ring.length)] = buf.get();
          total++;
        }
        offset += n;
        buf.clear();
      }
      if (offset > ring.length) {
        // The writer appends (O_APPEND): after the truncation its next write lands at the new end.
        ch.truncate(0);
        offset = 0;
      }
    } catch (IOException ignored) {
      // no spool yet, or it went away with the run folder
    }
  }

  /** Stops polling after a last drain (call once the process has exited). */
  void stop() {
    stopped = true;
    poller.interrupt();
    drain();
  }

  /** The bytes kept, oldest first. */
  synchronized byte[] bytes() {
    int kept = (int) Math.min(total, ring.length);
    byte[] out = new byte[kept];
    long start = total - kept;
    for (int i = 0; i < kept; i++) out[i] = ring[(int) ((start + i) % ring.length)];
    return out;
  }

  synchronized long droppedBytes() {
    return Math.max(0, total - ring.length);
  }

  /** Writes the tail to {@code file} (atomically), preceded by a note when bytes were dropped. */
  void flush(Path file) throws IOException {
    drain();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long dropped = droppedBytes();
    try (OutputStream out = Files.newOutputStream(tmp)) {
      if (dropped > 0) {
        out.write(("[soos: " + dropped + " earlier bytes of output dropped; the last " + ring.length + " kept]\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      out.write(bytes());
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The tail as text. */
  String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }
}
