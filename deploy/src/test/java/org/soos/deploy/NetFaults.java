package org.soos.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real network faults between the JVMs of a test, on loopback only (RELIABILITY.md faults 4 and 5):
 * every JVM binds its own address in 127.0.0.0/8 ({@link #addresses(int)}) and opens its outbound
 * Artery connections from it, so iptables can tell their traffic apart.
 *
 * <ul>
 *   <li>{@link #partition(Collection, Collection)}: DROP every packet between two groups, both ways, in a
 *       chain of its own ({@code SOOS-NET-<pid>}, jumped to from {@code INPUT}); {@link #heal()} flushes it.</li>
 *   <li>{@link #degrade(Collection, Collection, double, int)}: loss and delay on packets to the given addresses only:
 *       {@code tc} netem under an {@code htb} root on {@code lo} whose unclassified traffic (everything
 *       else on lo: 127.0.0.1, PostgreSQL) is not shaped, with a {@code u32} filter per address; when the
 *       kernel has no {@code sch_netem} it falls back to random loss with iptables' {@code statistic}
 *       match in the same chain (no delay; {@link #lastDegradeMethod()} says which was used).</li>
 * </ul>
 *
 * {@link #close()} removes the chain, its jump and the qdisc; call it in a finally / {@code @AfterEach}.
 * {@link #unavailable()} says why these faults cannot be made here (not root, no iptables): tests skip
 * with that message. {@code .ci/run} removes leftovers of a killed run ({@code SOOS-NET-*} chains, a
 * qdisc with handle {@value #QDISC_HANDLE} on lo) before the tests.
 */
final class NetFaults implements AutoCloseable {
  /** Prefix of the iptables chains this class creates. */
  static final String CHAIN_PREFIX = "SOOS-NET-";
  /** Handle of the root qdisc on lo this class creates. */
  static final String QDISC_HANDLE = "5005:";

  private final String chain;
  private boolean qdisc;
  private String lastDegradeMethod = "none";
  private final List<String> degradedRules = new ArrayList<>();

  private NetFaults(String chain) {
    this.chain = chain;
  }

  /** Why network faults cannot be injected on this machine, or empty when they can. */
  static Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("network fault tests need root for iptables/tc; running as " + System.getProperty("user.name")
          + " (.ci/run runs them as root)");
    }
    try {
      Result r = run(List.of("iptables", "-w", "-S", "INPUT"));
      if (r.code() != 0) return Optional.of("iptables -S INPUT failed: " + r.output().strip());
    } catch (IOException e) {
      return Optional.of("no iptables on this machine (apt-get install iptables; .ci/run installs it): " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * {@code count} loopback addresses for the JVMs of one test, e.g. 127.0.143.2 .. 127.0.143.(count+1):
   * the third byte is random so that two runs at once do not share addresses; the last byte starts at 2
   * and stays a single digit for up to 8 JVMs (Akka orders members by address as text).
   */
  static List<String> addresses(int count) {
    if (count < 1 || count > 8) throw new IllegalArgumentException("1..8 addresses, got " + count);
    int third = ThreadLocalRandom.current().nextInt(100, 250);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add("127.0." + third + "." + (2 + i));
    return out;
  }

  /** Creates this run's chain and jumps to it from INPUT. */
  static NetFaults open() throws IOException {
    String chain = CHAIN_PREFIX + ProcessHandle.current().pid();
    NetFaults f = new NetFaults(chain);
    f.ipt("-N", chain);
    try {
      f.ipt("-I", "INPUT", "-j", chain);
    } catch (IOException | RuntimeException e) {
      f.ipt("-X", chain);
      throw e;
    }
    return f;
  }

  String chain() {
    return chain;
  }

  /** Drops every packet between any address of {@code a} and any of {@code b}, both ways. */
  void partition(Collection<String> a, Collection<String> b) throws IOException {
    for (String x : a) {
      for (String y : b) {
        requireLoopback(x);
        requireLoopback(y);
        ipt("-A", chain, "-s", x, "-d", y, "-j", "DROP");
        ipt("-A", chain, "-s", y, "-d", x, "-j", "DROP");
      }
    }
  }

  /** Removes every partition and iptables loss rule; traffic flows again. */
  void heal() throws IOException {
    ipt("-F", chain);
    degradedRules.clear();
  }

  /**
   * Loss (percent, 0..100) and delay (ms) on every packet sent to one of {@code to} by one of
   * {@code from} (netem: to {@code to} from anyone, as tc on lo sees only the destination). Replaces the
   * previous degradation.
   */
  void degrade(Collection<String> from, Collection<String> to, double lossPercent, int delayMs) throws IOException {
    clearDegrade();
    for (String a : to) requireLoopback(a);
    for (String a : from) requireLoopback(a);
    if (netemAvailable()) {
      tc("qdisc", "add", "dev", "lo", "root", "handle", QDISC_HANDLE, "htb");
      qdisc = true;
      String major = QDISC_HANDLE.substring(0, QDISC_HANDLE.length() - 1);
      tc("class", "add", "dev", "lo", "parent", QDISC_HANDLE, "classid", major + ":1", "htb", "rate", "10gbit");
      tc("qdisc", "add", "dev", "lo", "parent", major + ":1", "handle", "5006:", "netem",
          "delay", delayMs + "ms", "loss", String.format(Locale.ROOT, "%.1f%%", lossPercent));
      for (String a : to) {
        tc("filter", "add", "dev", "lo", "parent", QDISC_HANDLE, "protocol", "ip", "prio", "1", "u32",
            "match", "ip", "dst", a + "/32", "flowid", major + ":1");
      }
      lastDegradeMethod = "tc netem delay " + delayMs + "ms loss " + lossPercent + "%";
    } else {
      String p = String.format(Locale.ROOT, "%.4f", lossPercent / 100.0);
      for (String x : from) {
        for (String y : to) {
          if (x.equals(y)) continue;
          List<String> rule = List.of("-s", x, "-d", y, "-m", "statistic", "--mode", "random", "--probability", p,
              "-j", "DROP");
          List<String> add = new ArrayList<>(List.of("-A", chain));
          add.addAll(rule);
          ipt(add.toArray(String[]::new));
          degradedRules.add(String.join(" ", rule));
        }
      }
      lastDegradeMethod = "iptables statistic loss " + lossPercent + "% (no sch_netem in this kernel: no delay)";
    }
  }

  /** Removes the loss/delay of {@link #degrade}; partitions stay. */
  void clearDegrade() throws IOException {
    if (qdisc) {
      tc("qdisc", "del", "dev", "lo", "root", "handle", QDISC_HANDLE);
      qdisc = false;
    }
    for (String rule : degradedRules) {
      List<String> del = new ArrayList<>(List.of("-D", chain));
      del.addAll(List.of(rule.split(" ")));
      ipt(del.toArray(String[]::new));
    }
    degradedRules.clear();
  }

  String lastDegradeMethod() {
    return lastDegradeMethod;
  }

  /** The rules of this run's chain, for logs. */
  String rules() {
    try {
      return run(List.of("iptables", "-w", "-S", chain)).output().strip();
    } catch (IOException e) {
      return "? " + e.getMessage();
    }
  }

  /** Whether the kernel can attach a netem qdisc (probed on a throw-away qdisc under the test's own handle). */
  static boolean netemAvailable() {
    try {
      if (run(List.of("tc", "qdisc", "add", "dev", "lo", "root", "handle", QDISC_HANDLE, "htb")).code() != 0) return false;
      try {
        String major = QDISC_HANDLE.substring(0, QDISC_HANDLE.length() - 1);
        if (run(List.of("tc", "class", "add", "dev", "lo", "parent", QDISC_HANDLE, "classid", major + ":1", "htb", "rate",
            "10gbit")).code() != 0) return false;
        return run(List.of("tc", "qdisc", "add", "dev", "lo", "parent", major + ":1", "handle", "5006:", "netem",
            "delay", "1ms")).code() == 0;
      } finally {
        run(List.of("tc", "qdisc", "del", "dev", "lo", "root", "handle", QDISC_HANDLE));
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the qdisc, every rule, the jump and the chain; safe to call twice. */
  @Override
  public void close() {
    List<String> problems = new ArrayList<>();
    try {
      if (qdisc) tc("qdisc", "del", "dev", "lo", "root", "handle", QDISC_HANDLE);
      qdisc = false;
    } catch (IOException | RuntimeException e) {
      problems.add(e.getMessage());
    }
    try {
      // Every jump to the chain (normally one), then the chain.
      for (int i = 0; i < 10; i++) {
        if (run(List.of("iptables", "-w", "-D", "INPUT", "-j", chain)).code() != 0) break;
      }
      run(List.of("iptables", "-w", "-F", chain));
      run(List.of("iptables", "-w", "-X", chain));
      if (run(List.of("iptables", "-w", "-S", chain)).code() == 0) problems.add("chain " + chain + " is still there");
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) System.err.println("NetFaults.close: " + problems);
  }

  private static void requireLoopback(String address) {
    if (!address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      throw new IllegalArgumentException("only loopback addresses (127.0.0.0/8) may be fault targets, got " + address);
    }
  }

  private void ipt(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w"));
    cmd.addAll(List.of(args));
    check(cmd);
  }

  private static void tc(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("tc"));
    cmd.addAll(List.of(args));
    check(cmd);
  }

  private static void check(List<String> cmd) throws IOException {
    Result r = run(cmd);
    if (r.code() != 0) throw new IOException(String.join(" ", cmd) + " exited " + r.code() + ": " + r.output().strip());
  }

  private record Result(int code, String output) {}

  private static Result run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish within 20 s");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + cmd, e);
    }
  }
}
