package org.soos.deploy;

/**
 * A real tile-node ({@link org.soos.tile.Main}) that crashes shortly after it starts, for the reboot-loop
 * test ({@code CrashLoopIT}, RELIABILITY.md fault 14): the tile-node whose {@code soos.tile-node.index}
 * equals {@code crash.tile-node-index} halts with exit code 3 {@code crash.after-ms} after its start
 * (long enough to join the cluster and report its TILEs), every time it is started; the others run
 * normally.
 */
public final class CrashingTileNodeMain {
  private CrashingTileNodeMain() {}

  public static void main(String[] args) {
    String index = System.getProperty("soos.tile-node.index", "");
    if (index.equals(System.getProperty("crash.tile-node-index"))) {
      long after = Long.getLong("crash.after-ms", 10_000);
      Thread crash = new Thread(() -> {
        try {
          Thread.sleep(after);
        } catch (InterruptedException e) {
          return;
        }
        System.out.println("crashing on purpose (crash.after-ms = " + after + ")");
        System.out.flush();
        Runtime.getRuntime().halt(3);
      }, "crash-on-purpose");
      crash.setDaemon(true);
      crash.start();
    }
    org.soos.tile.Main.main(args);
  }
}
