package org.soos.scheduler.sim;

import java.time.Duration;
import java.util.List;
import org.soos.scheduler.policy.PolicySettings;
import org.soos.scheduler.policy.ReactivePolicy;
import org.soos.scheduler.policy.SchedulingPolicy;
import org.soos.scheduler.policy.SoosPolicy;
import org.soos.scheduler.policy.StaticBinpackPolicy;
import org.soos.shared.tile.TileSpec;

/** The policies the simulator compares, by name, configured from the scenario. */
public final class SimPolicies {
  /** Name of the fluid upper bound ({@link FluidBound}); not a scheduling policy. */
  public static final String BOUND = "bound";
  /** Every name, in the order reports list them. */
  public static final List<String> ALL = List.of("static-binpack", "reactive", "soos", BOUND);

  private SimPolicies() {}

  /**
   * The policies' settings for a scenario: the defaults, with the TILE's throttle temperature, junction
   * resistance and battery efficiencies, the scenario's links, a forecast horizon of the scenario's forecast
   * length, a migration lead of the TILE's shed lead time, and a report age limit of two decision intervals.
   */
  public static PolicySettings settings(Scenario scenario, double periodSeconds) {
    PolicySettings d = PolicySettings.defaults();
    TileSpec tile = scenario.tile();
    Scenario.Links links = scenario.links();
    Duration horizon = Duration.ofSeconds(Math.round(scenario.simulation().forecastOrbits() * periodSeconds));
    return new PolicySettings(
        tile.thermal().throttleTempCelsius(),
        d.thermalMarginCelsius(),
        tile.thermal().junctionToPlateKelvinPerWatt(),
        d.batteryMarginWh(),
        tile.battery().chargeEfficiency(),
        tile.battery().dischargeEfficiency(),
        horizon,
        scenario.simulation().shedLeadTime(),
        d.minResidence(),
        d.maxMigrationsPerDecision(),
        links.inPlaneBitsPerSecond(),
        links.crossPlaneBitsPerSecond(),
        links.transmitWatts(),
        scenario.simulation().decisionInterval().multipliedBy(2));
  }

  /** Power a TILE declares allocatable to its Orins for the baselines: rated array output less housekeeping, W. */
  public static double staticPowerCapacityWatts(TileSpec tile) {
    return Math.max(1.0, tile.solar().ratedOutputWatts() - tile.housekeepingWatts());
  }

  /**
   * What runs on the TILEs under the policy named {@code name}: the SOOS tile-node under {@code soos}; under
   * the baselines, the power-unaware node agent of the cluster schedulers they stand for, so that, as
   * docs/SIMULATOR.md says, a job on a TILE that browns out or an Orin that hits its shutdown temperature is
   * killed and restarted from its last checkpoint elsewhere.
   */
  public static NodeAgent nodeAgent(String name) {
    return name.equals("soos") ? NodeAgent.SOOS : NodeAgent.PLAIN;
  }

  /**
   * The scheduling policy named {@code name} (not {@link #BOUND}).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static SchedulingPolicy create(String name, Scenario scenario, double periodSeconds) {
    PolicySettings settings = settings(scenario, periodSeconds);
    double capacity = staticPowerCapacityWatts(scenario.tile());
    return switch (name) {
      case "static-binpack" -> new StaticBinpackPolicy(settings, capacity);
      case "reactive" -> new ReactivePolicy(settings, capacity);
      case "soos" -> new SoosPolicy(settings);
      default -> throw new IllegalArgumentException("--policy: unknown policy '" + name + "' (known: "
          + String.join(", ", ALL) + ")");
    };
  }
}
