package org.soos.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soos down}: stops the constellation a {@code soos up} is running, as Ctrl-C in its terminal
 * would: SIGTERM to the {@code up} process named in its {@link RunFile}, which stops every JVM it
 * started, one after another, and then exits.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Stop the constellation a 'soos up' is running.",
    description = {
      "Stop a running 'soos up' (started in another terminal or in the background) as Ctrl-C would: its "
          + "tile-node JVMs and then its scheduler stop one after another, and it exits. 'soos up' names itself "
          + "in a run file (run/" + RunFile.FILE_NAME + " in the SOOS folder, or --run-file); 'down' reads it, "
          + "signals the process and waits for it to exit.",
      "",
      "Exit codes: 0 stopped, 1 nothing to stop or it did not stop in time, 2 usage error."
    },
    footer = {"", "Examples:", "  soos up &   ...   soos down", "  soos down --timeout 120 --json"})
final class DownCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--run-file", paramLabel = "FILE",
      description = "The run file 'soos up' wrote (default: run/" + RunFile.FILE_NAME + " in the SOOS folder).")
  Path runFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
      description = "How long to wait for every JVM to stop (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--force",
      description = "If it has not stopped by --timeout, kill the 'up' process (its JVMs then stop by themselves).")
  boolean force;

  @Option(names = "--json", description = "Print the outcome as one JSON object.")
  boolean json;

  /** True once a progress dot is on the current line. */
  private boolean dotted;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new ParameterException(spec.commandLine(), "--timeout must be 1..3600 seconds, got: " + timeoutSeconds);
    }
    Path file = runFile != null ? runFile : RunFile.defaultPath();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<RunFile> run = RunFile.read(file);
    if (run.isEmpty()) {
      return report(out, err, "none", null, "no running constellation: no run file at " + file, SoosCli.EXIT_FAILURE);
    }
    RunFile r = run.get();
    Optional<ProcessHandle> process = r.process();
    if (process.isEmpty()) {
      Files.deleteIfExists(file);
      return report(out, err, "not-running", r, "the 'soos up' of " + file + " (pid " + r.pid()
          + ") is not running any more; removed its run file", SoosCli.EXIT_FAILURE);
    }
    if (!json) {
      out.printf("stopping the constellation of pid %d (%s)...%n", r.pid(), r.runDir());
      out.flush();
    }
    long t0 = System.nanoTime();
    process.get().destroy();
    boolean stopped = awaitExit(process.get(), Duration.ofSeconds(timeoutSeconds), out);
    if (!stopped && force) {
      process.get().destroyForcibly();
      stopped = awaitExit(process.get(), Duration.ofSeconds(10), out);
      Files.deleteIfExists(file);
    }
    String took = String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
    if (!stopped) {
      return report(out, err, "still-running", r, "pid " + r.pid() + " has not stopped after " + timeoutSeconds
          + " s (see " + r.runDir() + "); 'soos down --force' kills it", SoosCli.EXIT_FAILURE);
    }
    return report(out, err, "stopped", r, "stopped in " + took + "; logs in " + r.runDir(), 0);
  }

  /** Waits for the process to exit, printing a dot every five seconds. */
  private boolean awaitExit(ProcessHandle process, Duration timeout, PrintWriter out) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        process.onExit().get(5, TimeUnit.SECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException e) {
        if (!json) {
          out.print(".");
          out.flush();
          dotted = true;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        return !process.isAlive();
      }
    }
    return !process.isAlive();
  }

  private int report(PrintWriter out, PrintWriter err, String outcome, RunFile run, String message, int code) {
    if (dotted) {
      out.println();
      out.flush();
    }
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("outcome", outcome);
      o.put("message", message);
      if (run != null) o.set("run", run.toJson());
      out.println(o.toPrettyString());
      out.flush();
    } else if (code == 0) {
      out.println(message);
      out.flush();
    } else {
      err.println("soos down: " + message);
      err.flush();
    }
    return code;
  }
}
