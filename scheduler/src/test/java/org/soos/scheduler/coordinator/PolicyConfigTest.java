package org.soos.scheduler.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.scheduler.TestConfigs;
import org.soos.scheduler.policy.PolicySettings;

class PolicyConfigTest {
  @TempDir Path runDir;

  @Test
  void theShippedBlockEqualsThePolicyDefaults() {
    assertEquals(PolicySettings.defaults(), PolicyConfig.fromConfig(TestConfigs.scheduler(runDir, Map.of())));
  }

  @Test
  void readsOverridesAndKeepsDefaultsForMissingKeys() {
    PolicySettings s = PolicyConfig.fromConfig(ConfigFactory.parseMap(Map.of(
        "soos.scheduler.policy.min-residence", "2m",
        "soos.scheduler.policy.max-migrations-per-decision", 3)));
    assertEquals(Duration.ofMinutes(2), s.minResidence());
    assertEquals(3, s.maxMigrationsPerDecision());
    assertEquals(PolicySettings.defaults().migrationLead(), s.migrationLead());
  }

  @Test
  void aBadValueIsRejectedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromConfig(
        ConfigFactory.parseMap(Map.of("soos.scheduler.policy.charge-efficiency", 1.5))));
    assertTrue(e.getMessage().contains("chargeEfficiency"), e.getMessage());
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromConfig(
        ConfigFactory.parseMap(Map.of("soos.scheduler.policy.migration-lead", "soon"))));
    assertTrue(typo.getMessage().contains("migration-lead"), typo.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromConfig(
        ConfigFactory.parseMap(Map.of("soos.scheduler.policy.min-residense", "5m"))));
    assertTrue(unknown.getMessage().contains("soos.scheduler.policy.min-residense"), unknown.getMessage());
  }
}
