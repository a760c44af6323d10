package io.spillway.server.http;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding of a request target into bytes (RFC 3986 §2.1), strictly: a {@code %} not followed by two hex
 * digits is an error, not a literal, and the result is the bytes themselves, never a charset's reading of them, so a
 * channel named by any bytes (as RESP allows) can be named over HTTP. The target's characters are taken as bytes
 * (ISO-8859-1, as Netty's decoder reads the request line). Stateless; any thread.
 */
final class PercentDecoding {

  private PercentDecoding() {}

  /**
   * The bytes {@code encoded} stands for; in a query ({@code plusIsSpace}) a {@code +} is a space.
   *
   * @throws IllegalArgumentException naming the bad escape and its position
   */
  static byte[] decode(String encoded, boolean plusIsSpace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int hi = i + 1 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int lo = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("invalid percent-escape '"
              + encoded.substring(i, Math.min(encoded.length(), i + 3)) + "' at position " + i
              + " (a '%' must be followed by two hex digits)");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        out.write(c & 0xFF);
      }
    }
    return out.toByteArray();
  }

  /**
   * The parameters of a raw query string ({@code a=1&b=2}, without the {@code ?}), names as ISO-8859-1 strings,
   * values as bytes, in order.
   *
   * @throws IllegalArgumentException on a bad escape
   */
  static Map<String, List<byte[]>> query(String rawQuery) {
    Map<String, List<byte[]>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = new String(
          decode(eq < 0 ? pair : pair.substring(0, eq), true),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      byte[] value = eq < 0 ? new byte[0] : decode(pair.substring(eq + 1), true);
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }
}
