package org.soos.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.soos.tile.power.CommandRunner;
import org.soos.tile.power.NvpModel;
import org.soos.tile.power.NvpModelStatus;
import org.soos.tile.sensor.JetsonReading;
import org.soos.tile.sensor.JetsonSysfs;
import org.soos.tile.sensor.PowerRail;
import org.soos.tile.sensor.ThermalZone;
import org.soos.tile.sensor.TripPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soos jetson-probe}: one reading of the Jetson board this runs on (or of a fixture tree with the
 * same layout): board, power rails, thermal zones, power mode, as one JSON document.
 */
@Command(
    name = "jetson-probe",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Print one reading of this Jetson board (power rails, thermal zones, power mode) as JSON.",
    description = {
      "Reads the INA3221 power monitors (hwmon on JetPack 5/6, iio on JetPack 4), the thermal zones of "
          + "/sys/class/thermal with their trip points, the board model from /proc/device-tree/compatible and "
          + "the power mode (nvpmodel -q when the root is /, else var/lib/nvpmodel/status under the root, named "
          + "from etc/nvpmodel.conf).",
      "Fields: board {model, compatible, module, jetson}, layout, rails [{name, volts, amps, watts}], "
          + "moduleInputWatts, thermalZones [{name, zone, celsius, trips}], junctionCelsius, skippedZones, "
          + "powerMode {id, name} or null. Zones that cannot be read are listed in skippedZones, not fatal."
    },
    footer = {
      "",
      "Examples:",
      "  soos jetson-probe                       on a board",
      "  soos jetson-probe --root tile-node/src/test/resources/jetson/agx-orin-jp6 --json"
    })
final class JetsonProbeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
      description = "Root of the sysfs/procfs tree to read (default: ${DEFAULT-VALUE}).")
  Path root;

  @Option(names = "--json", description = "One line of compact JSON (default: indented JSON).")
  boolean compact;

  @Option(names = "--nvpmodel", paramLabel = "CMD", defaultValue = "nvpmodel",
      description = "The nvpmodel command, asked with -q when the root is / (default: ${DEFAULT-VALUE}).")
  String nvpmodel;

  @Override
  public Integer call() throws JsonProcessingException {
    if (!Files.isDirectory(root)) {
      throw new ParameterException(spec.commandLine(), "--root: " + root + " is not a directory");
    }
    JetsonReading r = new JetsonSysfs(root).read();
    NvpModel modes = new NvpModel(root, nvpmodel, CommandRunner.system());
    boolean realRoot = root.toAbsolutePath().normalize().equals(Path.of("/"));
    Optional<NvpModelStatus> mode = realRoot ? modes.current() : modes.statusFile();
    ObjectNode o = toJson(r, mode);
    String text = compact ? JSON.writeValueAsString(o) : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    spec.commandLine().getOut().println(text);
    spec.commandLine().getOut().flush();
    return 0;
  }

  static ObjectNode toJson(JetsonReading r, Optional<NvpModelStatus> mode) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode board = o.putObject("board");
    board.put("model", r.board().model());
    ArrayNode compatible = board.putArray("compatible");
    r.board().compatible().forEach(compatible::add);
    if (r.board().module().isPresent()) board.put("module", r.board().module().get().name());
    else board.putNull("module");
    board.put("jetson", r.board().jetson());
    o.put("layout", r.layout());
    ArrayNode rails = o.putArray("rails");
    for (PowerRail p : r.rails()) {
      ObjectNode x = rails.addObject();
      x.put("name", p.name());
      x.put("volts", p.volts());
      x.put("amps", p.amps());
      x.put("watts", p.watts());
    }
    if (r.moduleInputWatts().isPresent()) o.put("moduleInputWatts", r.moduleInputWatts().get());
    else o.putNull("moduleInputWatts");
    ArrayNode zones = o.putArray("thermalZones");
    for (ThermalZone z : r.zones()) {
      ObjectNode x = zones.addObject();
      x.put("name", z.name());
      x.put("zone", z.index());
      x.put("celsius", z.tempCelsius());
      ArrayNode trips = x.putArray("trips");
      for (TripPoint t : z.tripPoints()) {
        trips.addObject().put("type", t.type()).put("celsius", t.tempCelsius());
      }
    }
    if (r.junctionTempCelsius().isPresent()) o.put("junctionCelsius", r.junctionTempCelsius().get());
    else o.putNull("junctionCelsius");
    ArrayNode skipped = o.putArray("skippedZones");
    r.skippedZones().forEach(skipped::add);
    if (mode.isPresent()) o.putObject("powerMode").put("id", mode.get().id()).put("name", mode.get().name());
    else o.putNull("powerMode");
    return o;
  }
}
