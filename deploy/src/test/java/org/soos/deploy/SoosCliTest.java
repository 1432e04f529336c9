package org.soos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SoosCliTest {

  @Test
  void unknownCommandExitsWithUsageErrorNamingTheCommand() {
    CliRun run = CliRun.of("launch");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("unknown command 'launch'"), run.toString());
    assertTrue(run.err().contains("up, eclipses, help"), run.toString());
    assertTrue(run.out().isEmpty(), run.toString());
  }

  @Test
  void misspelledCommandGetsASuggestion() {
    CliRun run = CliRun.of("eclipse");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("eclipses"), run.toString());
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.of();
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("missing command"), run.toString());
  }

  /** Every command of the CLI; a new one must be added here, which gives it the help tests below. */
  static final java.util.List<String> COMMANDS = java.util.List.of("up", "down", "status", "tiles", "submit", "jobs",
      "job", "cancel", "sim", "eclipses", "jetson-probe", "drain", "certs", "help");

  @Test
  void theCommandsAreExactlyTheTestedOnes() {
    java.util.Set<String> registered = SoosCli.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(new java.io.StringWriter())).getSubcommands().keySet();
    assertEquals(new java.util.TreeSet<>(COMMANDS), new java.util.TreeSet<>(registered));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everySubcommandHasHelp(String command) {
    CliRun run = CliRun.of(command, "--help");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Usage: soos " + command), run.toString());
    assertTrue(run.err().isEmpty(), run.toString());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everySubcommandHasShortHelpAndItsHelpCommand(String command) {
    CliRun shortHelp = CliRun.of(command, "-h");
    assertEquals(0, shortHelp.exitCode(), shortHelp.toString());
    assertTrue(shortHelp.out().contains("Usage: soos " + command), shortHelp.toString());
    CliRun viaHelp = CliRun.of("help", command);
    assertEquals(0, viaHelp.exitCode(), viaHelp.toString());
    assertTrue(viaHelp.out().contains("Usage: soos " + command), viaHelp.toString());
  }

  static Stream<String> commands() {
    return COMMANDS.stream();
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "tiles", "jobs", "job", "submit", "cancel", "down", "jetson-probe", "certs"})
  void commandsForScriptsHaveJsonOutput(String command) {
    CliRun run = CliRun.of(command, "--help");
    assertTrue(run.out().contains("--json"), run.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"up", "eclipses"})
  void helpCommandShowsTheUsageOfACommand(String command) {
    CliRun run = CliRun.of("help", command);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Usage: soos " + command), run.toString());
  }

  @Test
  void helpForAnUnknownCommandIsAUsageError() {
    CliRun run = CliRun.of("help", "launch");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("'launch'"), run.toString());
  }

  @Test
  void topLevelHelpListsTheCommands() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exitCode(), run.toString());
    for (String command : COMMANDS) {
      assertTrue(run.out().contains("  " + command + " "), command + " missing from\n" + run);
    }
  }

  @Test
  void upHelpNamesEveryLauncherOption() {
    CliRun run = CliRun.of("up", "--help");
    for (String option : new String[] {"--planes", "--tiles-per-plane", "--altitude-km", "--inclination-deg",
        "--phasing", "--sun-synchronous", "--ltan-hours", "--tle", "--tile-nodes", "--warp", "--sim-start",
        "--http-port", "--akka-port", "--management-port", "--heap", "--run-dir"}) {
      assertTrue(run.out().contains(option), option + " missing from\n" + run);
    }
  }

  @Test
  void versionPrintsTheProjectVersion() {
    CliRun run = CliRun.of("--version");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().matches("(?s)soos \\d+\\.\\d+\\.\\d+.*"), run.toString());
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of(new String[] {"up", "--bogus"}, "unknown option '--bogus'"),
        Arguments.of(new String[] {"eclipses", "--bogus=1"}, "unknown option '--bogus=1'"),
        Arguments.of(new String[] {"up", "extra"}, "unexpected argument 'extra'"),
        Arguments.of(new String[] {"up", "--warp", "0"}, "--warp"),
        Arguments.of(new String[] {"up", "--warp", "fast"}, "--warp"),
        Arguments.of(new String[] {"up", "--tile-nodes", "0"}, "--tile-nodes"),
        Arguments.of(new String[] {"up", "--tile-nodes", "13"}, "--tile-nodes"),
        Arguments.of(new String[] {"up", "--heap", "lots"}, "--heap"),
        Arguments.of(new String[] {"up", "--http-port", "70000"}, "--http-port"),
        Arguments.of(new String[] {"up", "--akka-port", "65535"}, "--akka-port"),
        Arguments.of(new String[] {"up", "--sim-start", "tomorrow"}, "--sim-start"),
        Arguments.of(new String[] {"up", "--planes", "0"}, "--planes"),
        Arguments.of(new String[] {"up", "--tiles-per-plane", "-1"}, "--tiles-per-plane"),
        Arguments.of(new String[] {"up", "--altitude-km", "100"}, "--altitude-km"),
        Arguments.of(new String[] {"up", "--inclination-deg", "181"}, "--inclination-deg"),
        Arguments.of(new String[] {"up", "--phasing", "3"}, "--phasing"),
        Arguments.of(new String[] {"up", "--ltan-hours", "10"}, "--ltan-hours"),
        Arguments.of(new String[] {"up", "--sun-synchronous", "--ltan-hours", "24"}, "--ltan-hours"),
        Arguments.of(new String[] {"up", "--sun-synchronous", "--inclination-deg", "97"}, "--inclination-deg"),
        Arguments.of(new String[] {"up", "--tle", "examples/iss.tle", "--planes", "2"}, "--planes"),
        Arguments.of(new String[] {"up", "--tle", "no/such/file.tle"}, "--tle"),
        Arguments.of(new String[] {"eclipses", "--hours", "0"}, "--hours"),
        Arguments.of(new String[] {"eclipses", "--hours", "-3"}, "--hours"),
        Arguments.of(new String[] {"eclipses", "--hours", "8785"}, "--hours"),
        Arguments.of(new String[] {"eclipses", "--hours", "many"}, "--hours"),
        Arguments.of(new String[] {"eclipses", "--from", "yesterday"}, "--from"),
        Arguments.of(new String[] {"eclipses", "--from", "2026-13-01T00:00:00Z"}, "--from"),
        Arguments.of(new String[] {"eclipses", "--from"}, "--from"),
        Arguments.of(new String[] {"eclipses", "--tle", "no/such/file.tle"}, "--tle"),
        Arguments.of(new String[] {"eclipses", "--tile", "p9-t9", "--hours", "1"}, "--tile"),
        Arguments.of(new String[] {"down", "--timeout", "0"}, "--timeout"),
        Arguments.of(new String[] {"down", "--timeout", "soon"}, "--timeout"),
        Arguments.of(new String[] {"down", "extra"}, "unexpected argument 'extra'"),
        Arguments.of(new String[] {"status", "--url", "ftp://host"}, "--url"),
        Arguments.of(new String[] {"status", "--bogus"}, "unknown option '--bogus'"),
        Arguments.of(new String[] {"tiles", "--light", "dusk"}, "--light"),
        Arguments.of(new String[] {"tiles", "--url", "http://127.0.0.1:1/?access_token=x"}, "--url"),
        Arguments.of(new String[] {"tiles", "--plane"}, "--plane"));
  }

  @ParameterizedTest
  @MethodSource("badOptions")
  void badOptionsExitWithUsageErrorNamingTheOption(String[] args, String expected) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains(expected), "expected '" + expected + "' in\n" + run);
    assertTrue(run.err().contains("Run 'soos " + args[0] + " --help' for usage."), run.toString());
  }
}
