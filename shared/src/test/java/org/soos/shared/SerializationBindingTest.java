package org.soos.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.SerializerWithStringManifest;
import akka.serialization.jackson.JacksonCborSerializer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.io.Serializable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The serialization every role runs ({@code serialization.conf}, included by both role files): only
 * classes implementing {@link CborSerializable} are (de)serialized, by Jackson CBOR; nothing else, and
 * no Java serialization.
 */
class SerializationBindingTest {
  /** A message of the project. */
  public record Allowed(String text, int count) implements CborSerializable {}

  /** A class outside the marker, with the same shape. */
  public record NotMarked(String text, int count) {}

  /** A class outside the marker that Java serialization would take. */
  public record JavaSerializable(String text, int count) implements Serializable {}

  private static ActorSystem system;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    Config config = ConfigFactory.load(ConfigFactory.parseResources("serialization.conf")
        .withFallback(ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING")));
    system = ActorSystem.create("serialization-test", config);
    serialization = SerializationExtension.get(system);
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void javaSerializationIsOff() {
    assertFalse(system.settings().config().getBoolean("akka.actor.allow-java-serialization"));
  }

  @Test
  void aMarkedClassRoundTripsThroughJacksonCbor() throws Exception {
    Allowed message = new Allowed("hello", 3);
    Serializer serializer = serialization.findSerializerFor(message);
    assertTrue(serializer instanceof JacksonCborSerializer, serializer.getClass().getName());
    byte[] bytes = serialization.serialize(message).get();
    String manifest = ((SerializerWithStringManifest) serializer).manifest(message);
    assertEquals(message, serialization.deserialize(bytes, serializer.identifier(), manifest).get());
  }

  @Test
  void classesOutsideTheMarkerAreRefusedOnTheWayOut() {
    assertTrue(serialization.serialize(new NotMarked("x", 1)).isFailure(), "a class without the marker was serialized");
    Throwable javaSer = serialization.serialize(new JavaSerializable("x", 1)).failed().get();
    assertTrue(javaSer.getMessage().toLowerCase().contains("java serialization")
        || javaSer instanceof NotSerializableException, javaSer.toString());
  }

  @Test
  void manifestsOfClassesOutsideTheMarkerAreRefusedOnTheWayIn() {
    Allowed message = new Allowed("x", 1);
    Serializer cbor = serialization.findSerializerFor(message);
    byte[] bytes = serialization.serialize(message).get();
    // Same bytes, but a peer names a class outside the marker, or a known deserialization gadget.
    for (String manifest : new String[] {NotMarked.class.getName(), "java.util.HashMap",
        "com.sun.rowset.JdbcRowSetImpl", "org.springframework.context.support.FileSystemXmlApplicationContext"}) {
      scala.util.Try<Object> result = serialization.deserialize(bytes, cbor.identifier(), manifest);
      assertTrue(result.isFailure(), manifest + " was deserialized: " + (result.isSuccess() ? result.get() : ""));
    }
  }

}
