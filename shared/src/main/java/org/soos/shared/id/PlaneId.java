package org.soos.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The orbital plane id, e.g. {@code p0}. Serialized as a plain JSON string. */
public record PlaneId(String value) implements Comparable<PlaneId> {
  public PlaneId {
    Ids.require("PlaneId", value);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static PlaneId of(String value) {
    return new PlaneId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public int compareTo(PlaneId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
