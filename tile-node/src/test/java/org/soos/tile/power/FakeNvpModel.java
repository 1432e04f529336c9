package org.soos.tile.power;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A fake {@code nvpmodel} for tests: a shell script in {@code dir} that records every call in
 * {@code calls.log}, keeps the mode in {@code mode} and answers {@code -q} the way nvpmodel does, naming the
 * mode from the {@code etc/nvpmodel.conf} of {@code root}. {@code -m} to an id not in the table fails
 * like nvpmodel does.
 */
public final class FakeNvpModel {
  public final Path dir;

  private FakeNvpModel(Path dir) {
    this.dir = dir;
  }

  /** Writes the script into {@code dir} with mode {@code initialMode} in force. */
  public static FakeNvpModel install(Path dir, Path root, int initialMode) throws IOException {
    Files.createDirectories(dir);
    String script = String.join("\n",
        "#!/usr/bin/env bash",
        "here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"",
        "conf='" + root.resolve("etc/nvpmodel.conf") + "'",
        "echo \"$*\" >> \"$here/calls.log\"",
        "name_of() { sed -n -E \"s/^< *POWER_MODEL +ID=$1 +NAME=([^ >]+) *>.*/\\1/p\" \"$conf\"; }",
        "case \"$1\" in",
        "  -q)",
        "    id=$(cat \"$here/mode\")",
        "    echo \"NVPM WARN: fan mode is not set!\"",
        "    echo \"NV Power Mode: $(name_of \"$id\")\"",
        "    echo \"$id\"",
        "    ;;",
        "  -m)",
        "    if [[ -z \"$(name_of \"$2\")\" ]]; then echo \"NVPM ERROR: Invalid mode index: $2\" >&2; exit 1; fi",
        "    echo \"$2\" > \"$here/mode\"",
        "    ;;",
        "  *) echo \"usage: nvpmodel [-q] [-m mode]\" >&2; exit 2 ;;",
        "esac",
        "");
    Path exe = dir.resolve("nvpmodel");
    Files.writeString(exe, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("mode"), initialMode + "\n");
    return new FakeNvpModel(dir);
  }

  /** A PATH with the fake first. */
  public String path() {
    return dir + ":" + System.getenv("PATH");
  }

  /** The calls so far, one line each ("-q", "-m 3"). */
  public List<String> calls() throws IOException {
    Path log = dir.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** The mode the fake has in force. */
  public int mode() throws IOException {
    return Integer.parseInt(Files.readString(dir.resolve("mode")).strip());
  }
}
