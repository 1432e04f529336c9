package org.soos.tile.power;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link CommandRunner} of real processes. A command name without a '/' is looked up in the directories of
 * {@code searchPath} (which the process also gets as its {@code PATH}); output beyond 64 KiB per stream is
 * dropped.
 */
final class SystemCommandRunner implements CommandRunner {
  static final SystemCommandRunner INSTANCE = new SystemCommandRunner(System.getenv("PATH"));
  private static final int MAX_OUTPUT_BYTES = 64 * 1024;

  private final String searchPath;

  SystemCommandRunner(String searchPath) {
    this.searchPath = searchPath == null ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : searchPath;
  }

  /** The executable {@code name} resolves to on the search path ({@code name} itself when it has a '/'). */
  String resolve(String name) throws IOException {
    if (name.contains("/")) return name;
    for (String dir : searchPath.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      java.nio.file.Path p = java.nio.file.Path.of(dir, name);
      if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) return p.toString();
    }
    throw new IOException(name + " not found on the PATH (" + searchPath + ")");
  }

  @Override
  public Result run(List<String> command, Duration timeout) throws IOException {
    List<String> resolved = new java.util.ArrayList<>(command);
    resolved.set(0, resolve(command.get(0)));
    ProcessBuilder pb = new ProcessBuilder(resolved).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("PATH", searchPath);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread to = drain(p.getInputStream(), out, command.get(0) + "-stdout");
    Thread te = drain(p.getErrorStream(), err, command.get(0) + "-stderr");
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      to.join(1000);
      te.join(1000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
    synchronized (out) {
      synchronized (err) {
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream sink, String name) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (sink) {
            int room = MAX_OUTPUT_BYTES - sink.size();
            if (room > 0) sink.write(buf, 0, Math.min(room, n));
          }
        }
      } catch (IOException ignored) {
        // The process went away: what was read is kept.
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
