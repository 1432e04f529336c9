package org.soos.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The TILE id, e.g. {@code p0-t3}. Serialized as a plain JSON string. */
public record TileId(String value) implements Comparable<TileId> {
  public TileId {
    Ids.require("TileId", value);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TileId of(String value) {
    return new TileId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public int compareTo(TileId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
