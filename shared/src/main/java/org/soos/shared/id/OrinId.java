package org.soos.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One Orin server: the TILE it sits in and its slot (0-based, a TILE has four). Serialized as
 * {@code "<tileId>/orin-<slot>"}, the same string as the child actor name suffix.
 */
public record OrinId(TileId tile, int slot) {
  public OrinId {
    if (tile == null) throw new IllegalArgumentException("OrinId.tile is required");
    if (slot < 0 || slot > 63) throw new IllegalArgumentException("OrinId.slot must be 0..63, got " + slot);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static OrinId parse(String text) {
    int i = text == null ? -1 : text.lastIndexOf("/orin-");
    if (i <= 0) throw new IllegalArgumentException("OrinId must look like <tileId>/orin-<slot>, got: " + text);
    try {
      return new OrinId(TileId.of(text.substring(0, i)), Integer.parseInt(text.substring(i + 6)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("OrinId slot is not a number: " + text, e);
    }
  }

  @JsonValue
  @Override
  public String toString() {
    return tile.value() + "/orin-" + slot;
  }
}
