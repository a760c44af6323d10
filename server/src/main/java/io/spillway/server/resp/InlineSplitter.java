package io.spillway.server.resp;

import java.util.Arrays;

/**
 * Splits an inline command line into arguments the way redis-server's {@code sdssplitargs} does. Stateless;
 * callable from any thread.
 */
final class InlineSplitter {

  /*
   * Design notes (for maintainers).
   *
   * A transcription of sdssplitargs (Redis 7.0 sds.c), quirks included, because clients and users type the same
   * lines at both servers:
   *  - blanks between arguments are C isspace() (space, \t, \n, \v, \f, \r), but an unquoted argument ends only at
   *    space, \t, \n, \r or NUL, so \v and \f inside a word are part of it;
   *  - a quote may open in the middle of a word and continues it: a"b c" is the single argument "ab c";
   *  - a closing quote must be followed by isspace() or the end of the line, otherwise the line is rejected;
   *  - in "double quotes": \xHH (two hex digits), \n \r \t \b \a, and backslash before any other byte gives that
   *    byte; in 'single quotes' only \' is an escape;
   *  - the C original reads a NUL byte as the end of the string, so peek() returns 0 past the end and a NUL in the
   *    line ends it (an unterminated quote before it is still an error).
   */

  private InlineSplitter() {}

  /**
   * The arguments of {@code line[0, length)}: empty for a blank line, {@code null} if a quote is unbalanced or a
   * closing quote is followed by something other than a blank.
   */
  static byte[][] split(byte[] line, int length) {
    byte[][] args = new byte[4][];
    int argc = 0;
    byte[] current = new byte[length];
    int p = 0;
    while (true) {
      while (isSpace(peek(line, length, p))) {
        p++;
      }
      if (peek(line, length, p) == 0) {
        return Arrays.copyOf(args, argc);
      }
      int n = 0;
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      while (!done) {
        byte c = peek(line, length, p);
        if (inDouble) {
          if (c == '\\'
              && peek(line, length, p + 1) == 'x'
              && hex(peek(line, length, p + 2)) >= 0
              && hex(peek(line, length, p + 3)) >= 0) {
            current[n++] = (byte) (hex(line[p + 2]) * 16 + hex(line[p + 3]));
            p += 3;
          } else if (c == '\\' && peek(line, length, p + 1) != 0) {
            p++;
            current[n++] = unescape(line[p]);
          } else if (c == '"') {
            if (!closesCleanly(line, length, p)) {
              return null;
            }
            done = true;
          } else if (c == 0) {
            return null;
          } else {
            current[n++] = c;
          }
        } else if (inSingle) {
          if (c == '\\' && peek(line, length, p + 1) == '\'') {
            p++;
            current[n++] = '\'';
          } else if (c == '\'') {
            if (!closesCleanly(line, length, p)) {
              return null;
            }
            done = true;
          } else if (c == 0) {
            return null;
          } else {
            current[n++] = c;
          }
        } else {
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDouble = true;
            case '\'' -> inSingle = true;
            default -> current[n++] = c;
          }
        }
        if (c != 0) {
          p++;
        }
      }
      if (argc == args.length) {
        args = Arrays.copyOf(args, argc * 2);
      }
      args[argc++] = Arrays.copyOf(current, n);
    }
  }

  private static byte peek(byte[] line, int length, int p) {
    return p < length ? line[p] : 0;
  }

  private static boolean closesCleanly(byte[] line, int length, int quote) {
    byte next = peek(line, length, quote + 1);
    return next == 0 || isSpace(next);
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static byte unescape(byte c) {
    return switch (c) {
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'a' -> 7;
      default -> c;
    };
  }
}
