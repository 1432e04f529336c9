package org.soos.scheduler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;

/** Every class of bad job spec is refused naming its field; good specs read back exactly. */
class JobSpecReaderTest {
  private static final Instant NOW = Instant.parse("2026-03-20T00:00:00Z");
  private static final JobSpecReader READER = new JobSpecReader(8);

  /** A valid simulated spec with {@code extra} fields (JSON members) spliced in. */
  static String simulated(String extra) {
    return "{\"name\":\"train\",\"kind\":\"simulated\",\"workGpuSeconds\":3600,\"powerWatts\":30,\"memoryGb\":8"
        + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  /** A valid process spec with {@code extra} members spliced into its {@code process} object. */
  static String process(String extra) {
    return "{\"name\":\"p\",\"kind\":\"process\",\"workGpuSeconds\":1,\"powerWatts\":1,\"memoryGb\":1,"
        + "\"process\":{\"command\":\"true\"" + (extra.isEmpty() ? "" : "," + extra) + "}}";
  }

  private static JobSpec read(String json) {
    return READER.read(json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void readsAFullSimulatedSpec() {
    JobSpec spec = read(simulated("\"priority\":7,\"deadline\":\"2026-03-21T12:00:00+02:00\","
        + "\"checkpoint\":{\"intervalSeconds\":120.5,\"sizeBytes\":536870912},"
        + "\"placement\":{\"planes\":[\"p0\"],\"tiles\":[\"p0-t1\",\"p0-t2\"],\"orinModules\":[\"agx_orin_64gb\"]}"));
    assertEquals("train", spec.name());
    assertEquals(JobKind.SIMULATED, spec.kind());
    assertEquals(3600, spec.workGpuSeconds());
    assertEquals(30, spec.powerWatts());
    assertEquals(8, spec.memoryGb());
    assertEquals(7, spec.priority());
    assertEquals(Instant.parse("2026-03-21T10:00:00Z"), spec.deadline());
    assertEquals(new JobSpec.CheckpointSpec(120.5, 536870912L, true), spec.checkpoint());
    assertTrue(spec.migratable());
    assertEquals(List.of("p0"), spec.placement().planes());
    assertEquals(List.of("p0-t1", "p0-t2"), spec.placement().tiles());
    assertEquals(List.of("AGX_ORIN_64GB"), spec.placement().orinModules());
    assertNull(spec.process());
  }

  @Test
  void defaultsOptionalFields() {
    JobSpec spec = read(simulated("\"deadline\":null,\"checkpoint\":null"));
    assertEquals(0, spec.priority());
    assertNull(spec.deadline());
    assertNull(spec.checkpoint());
    assertNull(spec.placement());
    assertEquals(false, spec.migratable());
    assertEquals(false, read(simulated("\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":1,\"migratable\":false}"))
        .migratable());
  }

  @Test
  void readsAProcessSpecInAnyCaseOfKind() {
    JobSpec spec = read("{\"name\":\"p\",\"kind\":\"PROCESS\",\"workGpuSeconds\":1,\"powerWatts\":1,\"memoryGb\":1,"
        + "\"process\":{\"command\":\"/usr/bin/python3\",\"args\":[\"train.py\",\"--epochs\",\"3\"],"
        + "\"env\":{\"B\":\"2\",\"A_1\":\"x\"},\"workingDirectory\":\"/tmp/job\"}}");
    assertEquals(JobKind.PROCESS, spec.kind());
    assertEquals("/usr/bin/python3", spec.process().command());
    assertEquals(List.of("train.py", "--epochs", "3"), spec.process().args());
    assertEquals(Map.of("A_1", "x", "B", "2"), spec.process().env());
    assertEquals("/tmp/job", spec.process().workingDirectory());
    assertNull(spec.process().resources());
    JobSpec hinted = read("{\"name\":\"p\",\"kind\":\"process\",\"workGpuSeconds\":1,\"powerWatts\":1,\"memoryGb\":1,"
        + "\"process\":{\"command\":\"true\",\"resources\":{\"cpuCores\":2.5,\"nice\":10,\"maxOutputBytes\":65536}}}");
    assertEquals(new JobSpec.ResourceHints(2.5, 10, 65536), hinted.process().resources());
    assertEquals(JobKind.PROCESS, read("{\"name\":\"p\",\"kind\":\"Process\",\"workGpuSeconds\":1,\"powerWatts\":1,"
        + "\"memoryGb\":1,\"process\":{\"command\":\"true\"}}").kind());
  }

  static Stream<Arguments> badSpecs() {
    String deep = "[".repeat(9) + "]".repeat(9);
    return Stream.of(
        Arguments.of("empty body", "", "body"),
        Arguments.of("blank body", "  \n ", "body"),
        Arguments.of("not an object", "[1,2]", "body"),
        Arguments.of("a bare string", "\"job\"", "body"),
        Arguments.of("truncated", "{\"name\":\"x\",", "body"),
        Arguments.of("trailing content", simulated("") + " {}", "body"),
        Arguments.of("unknown field", simulated("\"gpus\":4"), "gpus"),
        Arguments.of("nice out of range", process("\"resources\":{\"nice\":20}"), "process.resources.nice"),
        Arguments.of("negative cpu cores", process("\"resources\":{\"cpuCores\":-1}"), "process.resources.cpuCores"),
        Arguments.of("tiny output cap", process("\"resources\":{\"maxOutputBytes\":10}"),
            "process.resources.maxOutputBytes"),
        Arguments.of("unknown resource hint", process("\"resources\":{\"gpus\":1}"), "process.resources.gpus"),
        Arguments.of("class-name gadget", simulated("\"@class\":\"java.net.URL\""), "@class"),
        Arguments.of("type-id gadget", "{\"@type\":\"x\"," + simulated("").substring(1), "@type"),
        Arguments.of("unknown nested field", simulated("\"checkpoint\":{\"intervalSeconds\":1,\"sizeBytes\":1,\"x\":1}"),
            "checkpoint.x"),
        Arguments.of("duplicate field", simulated("\"name\":\"again\""), "name"),
        Arguments.of("missing name", "{\"kind\":\"simulated\",\"workGpuSeconds\":1,\"powerWatts\":1,\"memoryGb\":1}", "name"),
        Arguments.of("null name", simulated("").replace("\"train\"", "null"), "name"),
        Arguments.of("blank name", simulated("").replace("\"train\"", "\"  \""), "name"),
        Arguments.of("control character in name", simulated("").replace("train", "tr\\u0000ain"), "name"),
        Arguments.of("name too long", simulated("").replace("train", "n".repeat(129)), "name"),
        Arguments.of("missing kind", "{\"name\":\"x\",\"workGpuSeconds\":1,\"powerWatts\":1,\"memoryGb\":1}", "kind"),
        Arguments.of("bad kind", simulated("").replace("simulated", "quantum"), "kind"),
        Arguments.of("kind as number", simulated("").replace("\"simulated\"", "1"), "kind"),
        Arguments.of("missing work", "{\"name\":\"x\",\"kind\":\"simulated\",\"powerWatts\":1,\"memoryGb\":1}", "workGpuSeconds"),
        Arguments.of("work as string", simulated("").replace("3600", "\"3600\""), "workGpuSeconds"),
        Arguments.of("zero work", simulated("").replace("3600", "0"), "workGpuSeconds"),
        Arguments.of("negative work", simulated("").replace("3600", "-5"), "workGpuSeconds"),
        Arguments.of("absurd work", simulated("").replace("3600", "1e10"), "workGpuSeconds"),
        Arguments.of("infinite work", simulated("").replace("3600", "1e999"), "workGpuSeconds"),
        Arguments.of("NaN token", simulated("").replace("30,", "NaN,"), "powerWatts"),
        Arguments.of("NaN string", simulated("").replace("30,", "\"NaN\","), "powerWatts"),
        Arguments.of("Infinity token", simulated("").replace("30,", "Infinity,"), "powerWatts"),
        Arguments.of("negative watts", simulated("").replace("30,", "-30,"), "powerWatts"),
        Arguments.of("absurd watts", simulated("").replace("30,", "250,"), "powerWatts"),
        Arguments.of("memory larger than any Orin", simulated("").replace("\"memoryGb\":8", "\"memoryGb\":65"), "memoryGb"),
        Arguments.of("memory as boolean", simulated("").replace("\"memoryGb\":8", "\"memoryGb\":true"), "memoryGb"),
        Arguments.of("priority above 9", simulated("\"priority\":10"), "priority"),
        Arguments.of("negative priority", simulated("\"priority\":-1"), "priority"),
        Arguments.of("fractional priority", simulated("\"priority\":1.5"), "priority"),
        Arguments.of("priority as string", simulated("\"priority\":\"5\""), "priority"),
        Arguments.of("deadline not a date", simulated("\"deadline\":\"tomorrow\""), "deadline"),
        Arguments.of("deadline without offset", simulated("\"deadline\":\"2026-03-21T00:00:00\""), "deadline"),
        Arguments.of("deadline in the past", simulated("\"deadline\":\"2026-03-19T00:00:00Z\""), "deadline"),
        Arguments.of("deadline absurdly far", simulated("\"deadline\":\"2999-01-01T00:00:00Z\""), "deadline"),
        Arguments.of("checkpoint as array", simulated("\"checkpoint\":[]"), "checkpoint"),
        Arguments.of("checkpoint without size", simulated("\"checkpoint\":{\"intervalSeconds\":60}"), "checkpoint.sizeBytes"),
        Arguments.of("negative checkpoint size", simulated("\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":-1}"),
            "checkpoint.sizeBytes"),
        Arguments.of("fractional checkpoint size", simulated("\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":1.5}"),
            "checkpoint.sizeBytes"),
        Arguments.of("checkpoint size beyond long", simulated(
            "\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":123456789012345678901234567890}"), "checkpoint.sizeBytes"),
        Arguments.of("absurd checkpoint interval", simulated("\"checkpoint\":{\"intervalSeconds\":2592001,\"sizeBytes\":1}"),
            "checkpoint.intervalSeconds"),
        Arguments.of("zero checkpoint interval", simulated("\"checkpoint\":{\"intervalSeconds\":0,\"sizeBytes\":1}"),
            "checkpoint.intervalSeconds"),
        Arguments.of("migratable as string", simulated(
            "\"checkpoint\":{\"intervalSeconds\":60,\"sizeBytes\":1,\"migratable\":\"yes\"}"), "checkpoint.migratable"),
        Arguments.of("bad tile id", simulated("\"placement\":{\"tiles\":[\"p0-t1\",\"bad id!\"]}"), "placement.tiles[1]"),
        Arguments.of("tile id as number", simulated("\"placement\":{\"tiles\":[7]}"), "placement.tiles[0]"),
        Arguments.of("planes not an array", simulated("\"placement\":{\"planes\":\"p0\"}"), "placement.planes"),
        Arguments.of("unknown Orin module", simulated("\"placement\":{\"orinModules\":[\"XAVIER\"]}"),
            "placement.orinModules[0]"),
        Arguments.of("process missing for kind process", simulated("").replace("simulated", "process"), "process"),
        Arguments.of("process given for kind simulated", simulated("\"process\":{\"command\":\"true\"}"), "process"),
        Arguments.of("process without command", simulated("").replace("simulated", "process")
            .replace("}", ",\"process\":{\"args\":[]}}"), "process.command"),
        Arguments.of("bad environment name", simulated("").replace("simulated", "process")
            .replace("}", ",\"process\":{\"command\":\"x\",\"env\":{\"A-B\":\"1\"}}}"), "process.env.A-B"),
        Arguments.of("environment value not a string", simulated("").replace("simulated", "process")
            .replace("}", ",\"process\":{\"command\":\"x\",\"env\":{\"A\":1}}}"), "process.env.A"),
        Arguments.of("nesting deeper than the cap", simulated("\"placement\":{\"tiles\":" + deep + "}"), "placement.tiles[0][0][0][0][0][0]"),
        Arguments.of("deep nesting in an unknown field", "{\"x\":" + "[".repeat(30000) + "]".repeat(30000) + "}",
            "x[0][0][0][0][0][0][0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void refusesBadSpecNamingTheField(String description, String json, String field) {
    ProblemException e = assertThrows(ProblemException.class, () -> read(json));
    assertEquals(400, e.status().intValue(), description);
    assertEquals(field, e.field(), description + ": " + e.getMessage());
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), description);
  }

  @Test
  void pathOfTheRootIsBody() {
    ProblemException e = assertThrows(ProblemException.class, () -> read("{"));
    assertEquals("body", e.field());
  }
}
