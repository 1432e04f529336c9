package org.soos.shared;

/**
 * Marker for every message that crosses a JVM boundary and every persisted event or state.
 *
 * <p>Bound once to Akka's {@code jackson-cbor} serializer in {@code serialization.conf}. Only types
 * implementing this marker are serialized by Jackson; polymorphism uses {@code @JsonTypeInfo(use = NAME)}
 * with explicit {@code @JsonSubTypes}, never class names.
 */
public interface CborSerializable {}
