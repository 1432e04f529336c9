package org.soos.tile.sensor;

/**
 * A trip point of a thermal zone ({@code trip_point_N_type}, {@code trip_point_N_temp}).
 *
 * @param index N
 * @param type {@code passive}, {@code active}, {@code hot} or {@code critical}
 * @param tempCelsius trip temperature, degrees C
 */
public record TripPoint(int index, String type, double tempCelsius) {}
