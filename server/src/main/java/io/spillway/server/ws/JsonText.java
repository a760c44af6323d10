package io.spillway.server.ws;

import io.netty.buffer.ByteBuf;

/** JSON string bodies written straight from UTF-8 bytes, and the UTF-8 check that decides whether they can be. */
final class JsonText {

  /** Bytes each byte below 0x20, {@code "} or {@code \} takes escaped; 1 for any other byte. */
  private static final byte[] ESCAPED_LENGTH = new byte[256];

  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  static {
    for (int b = 0; b < 256; b++) {
      ESCAPED_LENGTH[b] = 1;
    }
    for (int b = 0; b < 0x20; b++) {
      ESCAPED_LENGTH[b] = 6;
    }
    for (char c : new char[] {'\b', '\t', '\n', '\f', '\r', '"', '\\'}) {
      ESCAPED_LENGTH[c] = 2;
    }
  }

  private JsonText() {}

  /** The length of {@code utf8} as the inside of a JSON string (without the quotes). */
  static long escapedLength(byte[] utf8) {
    long n = 0;
    for (byte b : utf8) {
      n += ESCAPED_LENGTH[b & 0xFF];
    }
    return n;
  }

  /**
   * Writes {@code utf8} (valid UTF-8) as the inside of a JSON string: quote, backslash and control characters
   * escaped, everything else, multi-byte sequences included, as is (RFC 8259 allows it).
   */
  static void writeEscaped(ByteBuf out, byte[] utf8) {
    for (byte b : utf8) {
      int c = b & 0xFF;
      switch (ESCAPED_LENGTH[c]) {
        case 1:
          out.writeByte(c);
          break;
        case 2:
          out.writeByte('\\').writeByte(shortEscape(c));
          break;
        default:
          out.writeByte('\\')
              .writeByte('u')
              .writeByte('0')
              .writeByte('0')
              .writeByte(HEX[c >> 4])
              .writeByte(HEX[c & 0xF]);
      }
    }
  }

  private static int shortEscape(int c) {
    switch (c) {
      case '\b':
        return 'b';
      case '\t':
        return 't';
      case '\n':
        return 'n';
      case '\f':
        return 'f';
      case '\r':
        return 'r';
      default:
        return c; // '"' and '\\'
    }
  }

  /** Whether {@code b} is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
  static boolean isValidUtf8(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more;
      int min = 0x80;
      int max = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        if (c == 0xE0) {
          min = 0xA0; // overlong
        } else if (c == 0xED) {
          max = 0x9F; // UTF-16 surrogates
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        if (c == 0xF0) {
          min = 0x90; // overlong
        } else if (c == 0xF4) {
          max = 0x8F; // above U+10FFFF
        }
      } else {
        return false;
      }
      if (i + more >= n) {
        return false;
      }
      int second = b[i + 1] & 0xFF;
      if (second < min || second > max) {
        return false;
      }
      for (int k = 2; k <= more; k++) {
        int cont = b[i + k] & 0xFF;
        if (cont < 0x80 || cont > 0xBF) {
          return false;
        }
      }
      i += more + 1;
    }
    return true;
  }
}
