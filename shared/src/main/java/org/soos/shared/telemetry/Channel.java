package org.soos.shared.telemetry;

/**
 * Metadata of one telemetry channel.
 *
 * @param key dotted key, subsystem first, e.g. {@code pwr.solarIn}
 * @param description one line
 * @param unit SI-style unit symbol, or empty for enumerations and counts
 * @param min lowest plausible value (for display and sanity checks)
 * @param max highest plausible value
 */
public record Channel(String key, String description, String unit, double min, double max) {}
