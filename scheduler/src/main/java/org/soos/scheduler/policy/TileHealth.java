package org.soos.scheduler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.soos.shared.telemetry.OrinReport;
import org.soos.shared.telemetry.TileReport;

/**
 * Safe mode, flight-software style: whether a TILE may be given work. A TILE is unhealthy, and gets no
 * new placements, while it is in a thermal emergency (an Orin at its shutdown temperature, or the plate
 * at the emergency temperature), in a power emergency (stored energy at or below the reserve floor plus
 * a margin), or crash-looping (its TILE actor came back under a new incarnation, i.e. its tile-node
 * restarted, {@code maxRestarts} times within {@code restartWindow}). Jobs already running there are
 * left to the TILE's own guards (throttle, checkpoint and stop) and to the policy's migrations.
 *
 * <p>Pure: the caller passes the report, the restart count and the instants.
 */
public final class TileHealth {
  private TileHealth() {}

  /**
   * @param emergencyPlateTempCelsius plate temperature at or above which the TILE is in thermal emergency
   * @param powerEmergencyMarginWh the TILE is in power emergency at or below its reserve floor plus this
   * @param maxRestarts restarts within {@code restartWindow} that make a crash loop, >= 1
   * @param restartWindow how far back restarts count (wall time)
   */
  public record Settings(double emergencyPlateTempCelsius, double powerEmergencyMarginWh, int maxRestarts,
      Duration restartWindow) {
    /** 90 degrees C plate, no margin, 3 restarts within 10 minutes. */
    public static final Settings DEFAULTS = new Settings(90, 0, 3, Duration.ofMinutes(10));

    public Settings {
      if (!Double.isFinite(emergencyPlateTempCelsius) || emergencyPlateTempCelsius < -100 || emergencyPlateTempCelsius > 200) {
        throw new IllegalArgumentException("soos.scheduler.coordinator.health.emergency-plate-temp-celsius must be in "
            + "-100..200, got: " + emergencyPlateTempCelsius);
      }
      if (!Double.isFinite(powerEmergencyMarginWh) || powerEmergencyMarginWh < 0) {
        throw new IllegalArgumentException("soos.scheduler.coordinator.health.power-emergency-margin-wh must be >= 0, got: "
            + powerEmergencyMarginWh);
      }
      if (maxRestarts < 1) {
        throw new IllegalArgumentException("soos.scheduler.coordinator.health.max-restarts must be >= 1, got: " + maxRestarts);
      }
      if (restartWindow == null || restartWindow.isZero() || restartWindow.isNegative()) {
        throw new IllegalArgumentException("soos.scheduler.coordinator.health.restart-window must be > 0, got: "
            + restartWindow);
      }
    }
  }

  /** The verdict: healthy when {@code problems} is empty; each problem starts with its kind. */
  public record Assessment(List<String> problems) {
    public static final Assessment HEALTHY = new Assessment(List.of());

    public Assessment {
      problems = List.copyOf(problems);
    }

    public boolean healthy() {
      return problems.isEmpty();
    }
  }

  /** Assesses {@code report} given {@code restartsInWindow} restarts of the TILE within the window. */
  public static Assessment assess(TileReport report, int restartsInWindow, Settings settings) {
    List<String> problems = new ArrayList<>();
    for (OrinReport o : report.orins()) {
      if (o.health() == OrinReport.OrinHealth.SHUTDOWN) {
        problems.add(String.format(Locale.ROOT, "thermal-emergency: orin-%d at its shutdown temperature (junction %.1f C)",
            o.slot(), o.junctionTempCelsius()));
      }
    }
    if (report.plateTempCelsius() >= settings.emergencyPlateTempCelsius()) {
      problems.add(String.format(Locale.ROOT, "thermal-emergency: plate %.1f C >= %.1f C", report.plateTempCelsius(),
          settings.emergencyPlateTempCelsius()));
    }
    double floorWh = report.batteryReserveWh() + settings.powerEmergencyMarginWh();
    if (report.batteryEnergyWh() <= floorWh) {
      problems.add(String.format(Locale.ROOT, "power-emergency: battery %.1f Wh <= reserve floor %.1f Wh",
          report.batteryEnergyWh(), floorWh));
    }
    if (restartsInWindow >= settings.maxRestarts()) {
      problems.add("crash-loop: " + restartsInWindow + " restarts within " + settings.restartWindow().toSeconds() + " s");
    }
    return problems.isEmpty() ? Assessment.HEALTHY : new Assessment(problems);
  }

  /** Restart instants of one TILE, oldest first; keeps only what a window can still count. */
  public static final class Restarts {
    private final Deque<Instant> at = new ArrayDeque<>();
    private static final int MAX_KEPT = 64;

    /** Records a restart at {@code when}. */
    public void record(Instant when) {
      at.addLast(when);
      while (at.size() > MAX_KEPT) at.removeFirst();
    }

    /** Restarts in {@code (now - window, now]}; forgets older ones. */
    public int within(Instant now, Duration window) {
      Instant since = now.minus(window);
      while (!at.isEmpty() && !at.peekFirst().isAfter(since)) at.removeFirst();
      return at.size();
    }
  }
}
