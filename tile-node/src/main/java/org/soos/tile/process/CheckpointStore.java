package org.soos.tile.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.soos.shared.id.JobId;

/**
 * The process-job checkpoints a node keeps, in {@code <dir>/<job>/<epoch>.zip} with
 * {@code <epoch>.properties} beside it (epoch, work covered, size, SHA-256). A job's checkpoint directory
 * is packed into one zip when the job has written it ({@link #seal}); a checkpoint that arrives from
 * another node is written to a temporary file, its size and SHA-256 checked, then moved in place
 * ({@link #receive}). No clock, no actors; safe for concurrent use on different jobs (writes are
 * atomic renames).
 */
public final class CheckpointStore {
  private final Path dir;
  private final long maxBytes;

  /**
   * @param dir where checkpoints are kept (created when missing)
   * @param maxBytes largest packed checkpoint kept or accepted, bytes
   */
  public CheckpointStore(Path dir, long maxBytes) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.maxBytes = maxBytes;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Packs the files under {@code checkpointDir} into this store as the job's checkpoint of {@code epoch}.
   *
   * @throws IOException when the directory is empty or missing, or larger than the limit when packed
   */
  public StoredCheckpoint seal(JobId jobId, long epoch, double doneGpuSeconds, Path checkpointDir) throws IOException {
    if (!Files.isDirectory(checkpointDir)) throw new IOException("no checkpoint directory " + checkpointDir);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(checkpointDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) throw new IOException("the job wrote nothing into " + checkpointDir);
    Path jobDir = Files.createDirectories(dir.resolve(jobId.value()));
    Path tmp = Files.createTempFile(jobDir, "seal-", ".tmp");
    MessageDigest sha = sha256();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha);
         ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path f : files) {
        ZipEntry e = new ZipEntry(checkpointDir.relativize(f).toString().replace('\\', '/'));
        e.setTime(0L); // the same files pack to the same bytes
        zip.putNextEntry(e);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    long size = Files.size(tmp);
    if (size > maxBytes) {
      Files.deleteIfExists(tmp);
      throw new IOException("checkpoint of " + jobId + " is " + size + " bytes packed, over the limit of " + maxBytes);
    }
    return install(jobId, epoch, doneGpuSeconds, size, HexFormat.of().formatHex(sha.digest()), tmp);
  }

  /**
   * Writes a checkpoint arriving from another node: the bytes of {@code in}, checked against
   * {@code sizeBytes} and {@code sha256} before they are kept.
   *
   * @throws IOException on a size or hash mismatch (nothing is kept), or a write failure
   */
  public StoredCheckpoint receive(JobId jobId, long epoch, double doneGpuSeconds, long sizeBytes, String sha256,
      InputStream in) throws IOException {
    if (sizeBytes > maxBytes) {
      throw new IOException("checkpoint of " + jobId + " is " + sizeBytes + " bytes, over the limit of " + maxBytes);
    }
    Path jobDir = Files.createDirectories(dir.resolve(jobId.value()));
    Path tmp = Files.createTempFile(jobDir, "recv-", ".tmp");
    MessageDigest sha = sha256();
    long n = 0;
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
      byte[] buf = new byte[64 * 1024];
      int r;
      while ((r = in.read(buf)) >= 0) {
        n += r;
        if (n > sizeBytes) throw new IOException("checkpoint of " + jobId + " is longer than the announced " + sizeBytes + " bytes");
        out.write(buf, 0, r);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    String got = HexFormat.of().formatHex(sha.digest());
    if (n != sizeBytes || !got.equals(sha256)) {
      Files.deleteIfExists(tmp);
      throw new IOException("checkpoint of " + jobId + " epoch " + epoch + " arrived corrupted: " + n + " bytes with SHA-256 "
          + got + ", expected " + sizeBytes + " bytes with SHA-256 " + sha256);
    }
    return install(jobId, epoch, doneGpuSeconds, n, got, tmp);
  }

  private StoredCheckpoint install(JobId jobId, long epoch, double doneGpuSeconds, long size, String sha256, Path tmp)
      throws IOException {
    Path jobDir = dir.resolve(jobId.value());
    Path zip = jobDir.resolve(epoch + ".zip");
    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Properties p = new Properties();
    p.setProperty("job", jobId.value());
    p.setProperty("epoch", Long.toString(epoch));
    p.setProperty("doneGpuSeconds", Double.toString(doneGpuSeconds));
    p.setProperty("sizeBytes", Long.toString(size));
    p.setProperty("sha256", sha256);
    Path metaTmp = Files.createTempFile(jobDir, "meta-", ".tmp");
    try (OutputStream out = Files.newOutputStream(metaTmp)) {
      p.store(out, "SOOS checkpoint");
    }
    Files.move(metaTmp, jobDir.resolve(epoch + ".properties"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return new StoredCheckpoint(jobId, epoch, doneGpuSeconds, size, sha256, zip);
  }

  /** The job's checkpoint with the highest epoch below {@code beforeEpoch}, if this node has one. */
  public Optional<StoredCheckpoint> latest(JobId jobId, long beforeEpoch) {
    Path jobDir = dir.resolve(jobId.value());
    if (!Files.isDirectory(jobDir)) return Optional.empty();
    StoredCheckpoint best = null;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(jobDir, "*.properties")) {
      for (Path meta : s) {
        Optional<StoredCheckpoint> c = read(jobId, meta);
        if (c.isEmpty() || c.get().epoch() >= beforeEpoch) continue;
        if (best == null || c.get().epoch() > best.epoch()) best = c.get();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(best);
  }

  private static Optional<StoredCheckpoint> read(JobId jobId, Path meta) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
      long epoch = Long.parseLong(p.getProperty("epoch"));
      Path zip = meta.resolveSibling(epoch + ".zip");
      if (!Files.isRegularFile(zip)) return Optional.empty();
      return Optional.of(new StoredCheckpoint(jobId, epoch, Double.parseDouble(p.getProperty("doneGpuSeconds")),
          Long.parseLong(p.getProperty("sizeBytes")), p.getProperty("sha256"), zip));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Unpacks {@code checkpoint} into {@code target} (created), refusing entries that would land outside it. */
  public static void unpack(StoredCheckpoint checkpoint, Path target) throws IOException {
    Files.createDirectories(target);
    Path base = target.toAbsolutePath().normalize();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(checkpoint.file()))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        Path out = base.resolve(e.getName()).normalize();
        if (!out.startsWith(base)) throw new IOException("checkpoint entry " + e.getName() + " points outside " + base);
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** SHA-256 of a file, lower-case hex. */
  public static String sha256Of(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      int r;
      while ((r = in.read(buf)) >= 0) sha.update(buf, 0, r);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Every checkpoint kept for {@code jobId}, by epoch. */
  public List<StoredCheckpoint> all(JobId jobId) {
    List<StoredCheckpoint> out = new ArrayList<>();
    latestAll(jobId, out);
    out.sort(java.util.Comparator.comparingLong(StoredCheckpoint::epoch));
    return out;
  }

  private void latestAll(JobId jobId, List<StoredCheckpoint> out) {
    Path jobDir = dir.resolve(jobId.value());
    if (!Files.isDirectory(jobDir)) return;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(jobDir, "*.properties")) {
      for (Path meta : s) read(jobId, meta).ifPresent(out::add);
    } catch (IOException ignored) {
      // an unreadable folder holds nothing usable
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
