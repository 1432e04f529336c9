package org.soos.scheduler.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;

/**
 * Reads the body of {@code POST /v1/jobs} into a {@link JobSpec}, strictly, before anything is
 * persisted. The first problem found ends the read with a 400 {@link ProblemException} whose
 * {@code field} names the offending input as a dotted path ({@code checkpoint.sizeBytes},
 * {@code placement.tiles[2]}, {@code body} for the document as a whole).
 *
 * <p>Two passes: a streaming pass checks the syntax, nesting depth (counted before any tree is
 * built: Jackson 2.13 has no stream constraints), duplicate fields and trailing content; then the
 * tree is checked field by field. No data binding: nothing in the body can name a type, and every
 * field is read as exactly the JSON type it must be (no "12" for 12, no 1.5 for an integer, no NaN
 * or Infinity, no unknown fields such as {@code @class}).
 *
 * <p>Limits (beyond type and presence): {@code workGpuSeconds} in (0, 1e9]; {@code powerWatts} in
 * (0, 200]; {@code memoryGb} in (0, memory of the largest Orin module]; {@code priority} 0..9;
 * {@code deadline} after the scheduler's (simulated) now and at most 10 years later;
 * {@code checkpoint.intervalSeconds} in (0, 30 days]; {@code checkpoint.sizeBytes} 1..1 TiB.
 * Pure: the scheduler's current time is a parameter.
 */
public final class JobSpecReader {
  public static final double MAX_WORK_GPU_SECONDS = 1e9;
  public static final double MAX_POWER_WATTS = 200.0;
  public static final double MAX_MEMORY_GB =
      Arrays.stream(OrinModule.values()).mapToDouble(OrinModule::memoryGb).max().orElseThrow();
  public static final int MAX_PRIORITY = 9;
  public static final double MAX_CHECKPOINT_INTERVAL_SECONDS = Duration.ofDays(30).toSeconds();
  public static final long MAX_CHECKPOINT_BYTES = 1L << 40;
  public static final Duration MAX_DEADLINE_AHEAD = Duration.ofDays(3650);
  public static final int MAX_NAME_LENGTH = 128;
  public static final int MAX_TEXT_LENGTH = 4096;
  public static final int MAX_LIST_ENTRIES = 1000;
  public static final int MAX_ENV_ENTRIES = 256;

  /** The {@code field} of problems about the body as a whole (empty, not JSON, not an object). */
  public static final String BODY = "body";

  private static final Set<String> SPEC_FIELDS = orderedSet("name", "kind", "workGpuSeconds", "powerWatts",
      "memoryGb", "priority", "deadline", "checkpoint", "placement", "process");
  private static final Set<String> CHECKPOINT_FIELDS = orderedSet("intervalSeconds", "sizeBytes", "migratable");
  private static final Set<String> PLACEMENT_FIELDS = orderedSet("planes", "tiles", "orinModules");
  private static final Set<String> PROCESS_FIELDS = orderedSet("command", "args", "env", "workingDirectory", "resources");
  private static final Set<String> RESOURCE_FIELDS = orderedSet("cpuCores", "nice", "maxOutputBytes");
  /** Most CPU cores a job may ask for (an AGX Orin has 12). */
  private static final double MAX_CPU_CORES = 64;
  /** Most captured output a job may ask to keep, bytes. */
  private static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final JsonFactory factory;
  private final ObjectMapper mapper;
  private final int maxDepth;

  /**
   * @param maxDepth deepest nesting of objects and arrays accepted (a spec needs 3)
   */
  public JobSpecReader(int maxDepth) {
    if (maxDepth < 3) throw new IllegalArgumentException("maxDepth must be >= 3 (a job spec nests 3 deep), got: " + maxDepth);
    this.maxDepth = maxDepth;
    this.factory = JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper();
  }

  /**
   * The spec in {@code body} (UTF-8 JSON).
   *
   * @param now the scheduler's current (simulated) time: deadlines must lie after it
   * @throws ProblemException 400 naming the first offending field
   */
  public JobSpec read(byte[] body, Instant now) {
    if (body == null || body.length == 0 || isBlank(body)) {
      throw ProblemException.badInput(BODY, "the request body is empty; send a JSON job spec");
    }
    checkStructure(body);
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      // The streaming pass accepted it: only an I/O failure of a byte array could end here.
      throw ProblemException.badInput(BODY, "the request body is not valid JSON");
    }
    return spec(root, now);
  }

  // ---------------------------------------------------------------- pass 1: structure

  private void checkStructure(byte[] body) {
    try (JsonParser p = factory.createParser(body)) {
      int depth = 0;
      JsonToken t = p.nextToken();
      if (t == null) throw ProblemException.badInput(BODY, "the request body is empty; send a JSON job spec");
      if (t != JsonToken.START_OBJECT) {
        throw ProblemException.badInput(BODY, "the request body must be a JSON object (a job spec), got " + describe(t));
      }
      while (t != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
          if (depth > maxDepth) {
            throw ProblemException.badInput(pathOf(p.getParsingContext().getParent()),
                "JSON nested deeper than " + maxDepth + " levels");
          }
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
          if (depth == 0) break;
        }
        t = p.nextToken();
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw ProblemException.badInput(BODY, "unexpected content after the JSON object: " + describe(trailing));
      }
    } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
      throw ProblemException.badInput(BODY, "the request body ends before its JSON is complete");
    } catch (JsonParseException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      if (String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
        throw ProblemException.badInput(BODY, "the request body ends before its JSON is complete");
      }
      JsonStreamContext ctx = e.getProcessor() == null ? null : e.getProcessor().getParsingContext();
      String field = ctx == null ? BODY : pathOf(ctx);
      throw ProblemException.badInput(field, "malformed JSON" + where + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw ProblemException.badInput(BODY, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ProblemException.badInput(BODY, "unreadable request body: " + e.getMessage());
    }
  }

  /** Dotted path of a parser position: {@code a.b[2].c}; {@link #BODY} at the root. */
  static String pathOf(JsonStreamContext ctx) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        if (c.getCurrentName() != null) parts.add("." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    Collections.reverse(parts);
    String path = String.join("", parts);
    if (path.startsWith(".")) path = path.substring(1);
    return path.isEmpty() ? BODY : path;
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY, END_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- pass 2: fields

  private JobSpec spec(JsonNode root, Instant now) {
    onlyFields(root, "", SPEC_FIELDS);
    String name = text(root, "", "name", true, MAX_NAME_LENGTH);
    if (name.isBlank()) throw ProblemException.badInput("name", "name must not be blank");
    JobKind kind = kind(root);
    double work = positive(root, "", "workGpuSeconds", MAX_WORK_GPU_SECONDS, "GPU-seconds");
    double power = positive(root, "", "powerWatts", MAX_POWER_WATTS, "W");
    double memory = positive(root, "", "memoryGb", MAX_MEMORY_GB, "GiB (the largest Orin module)");
    int priority = present(root, "priority") ? (int) integer(root, "", "priority", 0, MAX_PRIORITY) : 0;
    Instant deadline = present(root, "deadline") ? deadline(root, now) : null;
    JobSpec.CheckpointSpec checkpoint = present(root, "checkpoint") ? checkpoint(object(root, "", "checkpoint")) : null;
    JobSpec.PlacementConstraints placement =
        present(root, "placement") ? placement(object(root, "", "placement")) : null;
    JobSpec.ProcessSpec process = null;
    if (kind == JobKind.PROCESS) {
      if (!present(root, "process")) {
        throw ProblemException.badInput("process", "process (command, args, env, workingDirectory, resources) is required for kind process");
      }
      process = process(object(root, "", "process"));
    } else if (present(root, "process")) {
      throw ProblemException.badInput("process", "process is only allowed for kind process");
    }
    return new JobSpec(name, kind, work, power, memory, priority, deadline, checkpoint, placement, process);
  }

  private static JobKind kind(JsonNode root) {
    String text = text(root, "", "kind", true, 32);
    for (JobKind k : JobKind.values()) {
      if (k.name().equalsIgnoreCase(text.strip())) return k;
    }
    throw ProblemException.badInput("kind", "kind must be one of simulated, process; got: " + text);
  }

  private static Instant deadline(JsonNode root, Instant now) {
    String text = text(root, "", "deadline", true, 64);
    Instant deadline;
    try {
      deadline = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.badInput("deadline",
          "deadline must be an ISO-8601 date-time with offset, e.g. 2030-01-01T12:00:00Z; got: " + text);
    }
    if (!deadline.isAfter(now)) {
      throw ProblemException.badInput("deadline",
          "deadline " + deadline + " is not after the scheduler's current (simulated) time " + now);
    }
    if (deadline.isAfter(now.plus(MAX_DEADLINE_AHEAD))) {
      throw ProblemException.badInput("deadline",
          "deadline " + deadline + " is more than " + MAX_DEADLINE_AHEAD.toDays() + " days after the scheduler's time " + now);
    }
    return deadline;
  }

  private static JobSpec.CheckpointSpec checkpoint(JsonNode node) {
    String path = "checkpoint";
    onlyFields(node, path, CHECKPOINT_FIELDS);
    double interval = positive(node, path, "intervalSeconds", MAX_CHECKPOINT_INTERVAL_SECONDS, "s (30 days)");
    long size = integer(node, path, "sizeBytes", 1, MAX_CHECKPOINT_BYTES);
    boolean migratable = !present(node, "migratable") || bool(node, path, "migratable");
    return new JobSpec.CheckpointSpec(interval, size, migratable);
  }

  private static JobSpec.PlacementConstraints placement(JsonNode node) {
    String path = "placement";
    onlyFields(node, path, PLACEMENT_FIELDS);
    List<String> planes = list(node, path, "planes", MAX_LIST_ENTRIES, v -> PlaneId.of(v).value());
    List<String> tiles = list(node, path, "tiles", MAX_LIST_ENTRIES, v -> TileId.of(v).value());
    List<String> modules = list(node, path, "orinModules", OrinModule.values().length, JobSpecReader::orinModule);
    return new JobSpec.PlacementConstraints(planes, tiles, modules);
  }

  private static String orinModule(String text) {
    for (OrinModule m : OrinModule.values()) {
      if (m.name().equalsIgnoreCase(text.strip())) return m.name();
    }
    throw new IllegalArgumentException("unknown Orin module " + text + "; one of " + Arrays.toString(OrinModule.values()));
  }

  private static JobSpec.ProcessSpec process(JsonNode node) {
    String path = "process";
    onlyFields(node, path, PROCESS_FIELDS);
    String command = text(node, path, "command", true, MAX_TEXT_LENGTH);
    if (command.isBlank()) throw ProblemException.badInput("process.command", "process.command must not be blank");
    List<String> args = list(node, path, "args", MAX_LIST_ENTRIES, v -> v);
    Map<String, String> env = env(node, path);
    String workingDirectory =
        present(node, "workingDirectory") ? text(node, path, "workingDirectory", true, MAX_TEXT_LENGTH) : null;
    if (workingDirectory != null && workingDirectory.isBlank()) {
      throw ProblemException.badInput("process.workingDirectory", "process.workingDirectory must not be blank when given");
    }
    JobSpec.ResourceHints resources = present(node, "resources") ? resources(object(node, path, "resources")) : null;
    return new JobSpec.ProcessSpec(command, args, env, workingDirectory, resources);
  }

  private static JobSpec.ResourceHints resources(JsonNode node) {
    String path = "process.resources";
    onlyFields(node, path, RESOURCE_FIELDS);
    double cpu = present(node, "cpuCores") ? positive(node, path, "cpuCores", MAX_CPU_CORES, "cores") : 0.0;
    int nice = present(node, "nice") ? (int) integer(node, path, "nice", 0, 19) : 0;
    long output = present(node, "maxOutputBytes") ? integer(node, path, "maxOutputBytes", 1024, MAX_OUTPUT_BYTES) : 0L;
    return new JobSpec.ResourceHints(cpu, nice, output);
  }

  private static Map<String, String> env(JsonNode parent, String parentPath) {
    if (!present(parent, "env")) return Map.of();
    JsonNode node = object(parent, parentPath, "env");
    String path = join(parentPath, "env");
    if (node.size() > MAX_ENV_ENTRIES) {
      throw ProblemException.badInput(path, path + " has " + node.size() + " entries; at most " + MAX_ENV_ENTRIES);
    }
    Map<String, String> env = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = join(path, e.getKey());
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw ProblemException.badInput(key, "environment variable names are [A-Za-z_][A-Za-z0-9_]*, at most 128 characters");
      }
      if (!e.getValue().isTextual()) throw ProblemException.badInput(key, key + " must be a string, got " + type(e.getValue()));
      String value = e.getValue().textValue();
      if (value.length() > MAX_TEXT_LENGTH) {
        throw ProblemException.badInput(key, key + " is longer than " + MAX_TEXT_LENGTH + " characters");
      }
      env.put(e.getKey(), value);
    }
    return Collections.unmodifiableMap(env);
  }

  // ---------------------------------------------------------------- helpers

  private static void onlyFields(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw ProblemException.badInput(join(path, name), "unknown field " + join(path, name) + "; "
            + (path.isEmpty() ? "a job spec" : path) + " has only " + String.join(", ", allowed));
      }
    }
  }

  private static boolean present(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  private static JsonNode required(JsonNode node, String path, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw ProblemException.badInput(join(path, name), join(path, name) + " is required");
    }
    return v;
  }

  private static String text(JsonNode node, String path, String name, boolean required, int maxLength) {
    String field = join(path, name);
    JsonNode v = required(node, path, name);
    if (!v.isTextual()) throw ProblemException.badInput(field, field + " must be a string, got " + type(v));
    String text = v.textValue();
    if (text.length() > maxLength) {
      throw ProblemException.badInput(field, field + " is longer than " + maxLength + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw ProblemException.badInput(field, field + " contains a control character at position " + i);
      }
    }
    return text;
  }

  /** A number in (0, max]: finite, positive, within the limit. */
  private static double positive(JsonNode node, String path, String name, double max, String unit) {
    String field = join(path, name);
    JsonNode v = required(node, path, name);
    if (!v.isNumber()) throw ProblemException.badInput(field, field + " must be a number, got " + type(v));
    double d = v.doubleValue();
    if (!Double.isFinite(d)) throw ProblemException.badInput(field, field + " must be a finite number");
    if (!(d > 0.0)) throw ProblemException.badInput(field, field + " must be > 0, got: " + v.asText());
    if (d > max) throw ProblemException.badInput(field, field + " must be at most " + fmt(max) + " " + unit + ", got: " + v.asText());
    return d;
  }

  private static long integer(JsonNode node, String path, String name, long min, long max) {
    String field = join(path, name);
    JsonNode v = required(node, path, name);
    if (!v.isIntegralNumber()) {
      throw ProblemException.badInput(field, field + " must be an integer, got " + type(v) + (v.isNumber() ? " " + v.asText() : ""));
    }
    if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw ProblemException.badInput(field, field + " must be " + min + ".." + max + ", got: " + v.asText());
    }
    return v.longValue();
  }

  private static boolean bool(JsonNode node, String path, String name) {
    String field = join(path, name);
    JsonNode v = required(node, path, name);
    if (!v.isBoolean()) throw ProblemException.badInput(field, field + " must be true or false, got " + type(v));
    return v.booleanValue();
  }

  private static JsonNode object(JsonNode node, String path, String name) {
    String field = join(path, name);
    JsonNode v = required(node, path, name);
    if (!v.isObject()) throw ProblemException.badInput(field, field + " must be an object, got " + type(v));
    return v;
  }

  /** An optional array of strings, each checked (and canonicalised) by {@code check}. */
  private static List<String> list(JsonNode node, String path, String name, int maxEntries, Function<String, String> check) {
    String field = join(path, name);
    if (!present(node, name)) return List.of();
    JsonNode v = node.get(name);
    if (!v.isArray()) throw ProblemException.badInput(field, field + " must be an array of strings, got " + type(v));
    if (v.size() > maxEntries) {
      throw ProblemException.badInput(field, field + " has " + v.size() + " entries; at most " + maxEntries);
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      String item = field + "[" + i + "]";
      JsonNode e = v.get(i);
      if (!e.isTextual()) throw ProblemException.badInput(item, item + " must be a string, got " + type(e));
      if (e.textValue().length() > MAX_TEXT_LENGTH) {
        throw ProblemException.badInput(item, item + " is longer than " + MAX_TEXT_LENGTH + " characters");
      }
      try {
        out.add(check.apply(e.textValue()));
      } catch (IllegalArgumentException bad) {
        throw ProblemException.badInput(item, item + ": " + bad.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static String type(JsonNode v) {
    if (v.isTextual()) return "a string";
    if (v.isNumber()) return "a number";
    if (v.isBoolean()) return "a boolean";
    if (v.isArray()) return "an array";
    if (v.isObject()) return "an object";
    if (v.isNull()) return "null";
    return v.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static Set<String> orderedSet(String... names) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
  }
}
