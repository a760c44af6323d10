package io.spillway.server.broker;

import java.nio.charset.StandardCharsets;

/**
 * Channel names and patterns are binary-safe byte strings. They are held as ISO-8859-1 {@link String}s, which map
 * each byte to one char and which the JVM stores compactly (one byte per char), so they hash and compare as strings
 * and convert back to the same bytes.
 */
public final class Names {

  private Names() {}

  public static String of(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  public static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.ISO_8859_1);
  }
}
