package org.soos.tile.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.PowerMode;
import org.soos.tile.sensor.JetsonFixtures;

class NvpModelTest {

  @Test
  void parsesTheModeTableOfAnAgxOrin() throws IOException {
    NvpModelConf conf = NvpModelConf.parse(Files.readString(
        JetsonFixtures.root(JetsonFixtures.AGX_ORIN_JP6).resolve("etc/nvpmodel.conf")));
    assertEquals(List.of(new NvpModelConf.Mode(0, "MAXN"), new NvpModelConf.Mode(1, "MODE_15W"),
        new NvpModelConf.Mode(2, "MODE_30W"), new NvpModelConf.Mode(3, "MODE_50W")), conf.modes());
    assertEquals(OptionalInt.of(2), conf.defaultModeId());
    // Fastest first; budgets from the names, MAXN at the module's top budget; speeds of the module's table.
    assertEquals(List.of(new PowerMode(0, "MAXN", 60, 1.00), new PowerMode(3, "MODE_50W", 50, 0.64),
        new PowerMode(2, "MODE_30W", 30, 0.48), new PowerMode(1, "MODE_15W", 15, 0.32)),
        conf.toPowerModes(OrinModule.AGX_ORIN_64GB));
  }

  @Test
  void parsesTheModeTableOfAnOrinNx() throws IOException {
    NvpModelConf conf = NvpModelConf.parse(Files.readString(
        JetsonFixtures.root(JetsonFixtures.ORIN_NX_JP5).resolve("etc/nvpmodel.conf")));
    assertEquals(List.of("MAXN", "10W", "15W", "25W"), conf.modes().stream().map(NvpModelConf.Mode::name).toList());
    assertEquals(Optional.of(25.0), NvpModelConf.budgetWatts("25W"));
    assertEquals(Optional.empty(), NvpModelConf.budgetWatts("MAXN"));
  }

  @Test
  void badTables() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> NvpModelConf.parse("# empty\n"));
    assertEquals("nvpmodel.conf defines no < POWER_MODEL ID=.. NAME=.. > section", none.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> NvpModelConf.parse("< POWER_MODEL ID=0 NAME=MAXN >\nX\n< POWER_MODEL ID=0 NAME=OTHER >\n"));
    assertEquals("nvpmodel.conf line 3: power model ID=0 defined twice", twice.getMessage());
  }

  @Test
  void parsesQueryOutputAndStatusFile() {
    assertEquals(new NvpModelStatus(2, "MODE_30W"),
        NvpModelStatus.parseQuery("NVPM WARN: fan mode is not set!\nNV Power Mode: MODE_30W\n2\n"));
    assertEquals(new NvpModelStatus(0, "MAXN"), NvpModelStatus.parseQuery("NV Power Mode: MAXN\n0"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NvpModelStatus.parseQuery("oops"));
    assertEquals("nvpmodel -q: no 'NV Power Mode:' line in: oops", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NvpModelStatus.parseQuery("NV Power Mode: MAXN\nNVPM ERROR\n"));
    assertEquals(Optional.of(new NvpModelStatus(2, "")), NvpModelStatus.parseStatusFile("pmode:0002 fmode:cool\n"));
    assertEquals(Optional.empty(), NvpModelStatus.parseStatusFile("fmode:cool"));
  }

  @Test
  void queriesAndSetsThroughTheFakeOnThePath(@TempDir Path tmp) throws IOException {
    Path root = JetsonFixtures.root(JetsonFixtures.AGX_ORIN_JP6);
    FakeNvpModel fake = FakeNvpModel.install(tmp.resolve("bin"), root, 0);
    NvpModel nvp = new NvpModel(root, "nvpmodel", CommandRunner.onPath(fake.path()));
    assertEquals(new NvpModelStatus(0, "MAXN"), nvp.query());
    assertEquals(new NvpModelStatus(1, "MODE_15W"), nvp.set(1));
    assertEquals(1, fake.mode());
    assertEquals(List.of("-q", "-m 1", "-q"), fake.calls());
    // Not in the table: refused before nvpmodel is run.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nvp.set(7));
    assertTrue(e.getMessage().startsWith("mode 7 is not in "), e.getMessage());
    assertEquals(3, fake.calls().size());
    assertEquals(Optional.of(new NvpModelStatus(2, "MODE_30W")), nvp.statusFile());
  }

  @Test
  void nvpmodelFailuresAreIoErrors(@TempDir Path tmp) throws IOException {
    // A root without a table: the id is passed through and nvpmodel's own refusal surfaces.
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/nvpmodel.conf.missing"), "");
    FakeNvpModel fake = FakeNvpModel.install(tmp.resolve("bin"), JetsonFixtures.root(JetsonFixtures.AGX_ORIN_JP6), 2);
    NvpModel nvp = new NvpModel(root, "nvpmodel", CommandRunner.onPath(fake.path()));
    IOException e = assertThrows(IOException.class, () -> nvp.set(9));
    assertEquals("nvpmodel -m 9 exited with 1: NVPM ERROR: Invalid mode index: 9", e.getMessage());
    NvpModel missing = new NvpModel(root, "nvpmodel-not-installed", CommandRunner.onPath(tmp.toString()));
    IOException notFound = assertThrows(IOException.class, missing::query);
    assertEquals("nvpmodel-not-installed not found on the PATH (" + tmp + ")", notFound.getMessage());
    assertEquals(Optional.empty(), missing.current());
  }
}
