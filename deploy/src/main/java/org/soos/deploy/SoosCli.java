package org.soos.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code soos} command line: {@code up}, {@code eclipses}, {@code help}, the job commands
 * {@code submit}, {@code jobs}, {@code job}, {@code cancel}, {@code sim}, and {@code down},
 * {@code status}, {@code tiles} for a running constellation. Started by the {@code deploy/soos} script.
 *
 * <p>Exit codes: 0 success, 1 failure while running (e.g. a child JVM died), 2 usage error (unknown
 * command or option, bad value; the message names it).
 */
@Command(
    name = "soos",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    description = "SOOS: schedules work over constellations of solar-powered compute TILEs in low Earth orbit.",
    subcommands = {UpCommand.class, EclipsesCommand.class, CommandLine.HelpCommand.class,
        SubmitCommand.class, JobsCommand.class, JobCommand.class, CancelCommand.class, SimCommand.class,
        DownCommand.class, StatusCommand.class, TilesCommand.class, JetsonProbeCommand.class, DrainCommand.class,
        CertsCommand.class},
    footer = {
      "",
      "Examples:",
      "  soos up              start a local constellation; Ctrl-C (or 'soos down') stops it",
      "  soos status          the scheduler, planes and jobs at a glance",
      "  soos eclipses --tle deploy/examples/iss.tle --hours 6",
      "",
      "Run 'soos help COMMAND' or 'soos COMMAND --help' for the options of a command.",
      "Exit codes: 0 success, 1 failure while running, 2 usage error."
    })
public final class SoosCli implements Runnable {
  /** Exit code of a run that failed after its arguments were accepted. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code of a usage error: unknown command or option, missing or bad value. */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: one of " + commandNames(spec));
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Parses and runs {@code args}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  /** The configured parser, writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SoosCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(SoosCli::onUsageError);
    cl.setExecutionExceptionHandler(SoosCli::onFailure);
    return cl;
  }

  private static int onUsageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + describe(ex));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + name + " --help' for usage.");
    err.flush();
    return EXIT_USAGE;
  }

  private static String describe(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      CommandSpec spec = ex.getCommandLine().getCommandSpec();
      if (first.startsWith("-")) {
        return "unknown option '" + first + "'";
      }
      if (!spec.subcommands().isEmpty()) {
        return "unknown command '" + first + "' (commands: " + commandNames(spec) + ")";
      }
      return "unexpected argument '" + first + "'";
    }
    return ex.getMessage();
  }

  private static int onFailure(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
    if ("1".equals(System.getenv("SOOS_DEBUG"))) {
      ex.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }

  private static String commandNames(CommandSpec spec) {
    return spec.subcommands().keySet().stream().collect(Collectors.joining(", "));
  }

  /** {@code soos --version}: the project version the jar was built from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = SoosCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "soos " + p.getProperty("version", "unknown"),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
