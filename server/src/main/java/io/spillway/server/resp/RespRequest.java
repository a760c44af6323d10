package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * One command as a client sent it: its arguments, exactly as bytes, and whether it came in inline form. Immutable
 * as far as this class is concerned; {@link #arg(int)} hands out the stored array itself, which callers must not
 * modify. Safe to pass between threads once published.
 */
public final class RespRequest {

  /*
   * Design notes (for maintainers).
   *
   * Arguments stay byte[] because channel names and payloads are binary; only the command name is turned into a
   * String, lazily and once, since every dispatch needs it. ISO-8859-1 maps each byte to the char of the same value,
   * so argString() loses nothing and the bytes can be recovered with getBytes(ISO_8859_1).
   *
   * The lazy name cache is a benign race: two threads computing it at once produce equal Strings.
   */

  /** Longest argument {@link #toString()} shows in full, so that logging a large PUBLISH stays cheap. */
  private static final int TO_STRING_ARG_LIMIT = 64;

  private final byte[][] args;
  private final boolean inline;
  private String name;

  RespRequest(byte[][] args, boolean inline) {
    this.args = args;
    this.inline = inline;
  }

  /**
   * A request with the given arguments, each encoded as ISO-8859-1, as if it had arrived in multibulk form. For
   * tests and for commands the server issues to itself.
   *
   * @throws IllegalArgumentException if there is no argument
   */
  public static RespRequest of(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("a request needs at least the command name");
    }
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(ISO_8859_1);
    }
    return new RespRequest(bytes, false);
  }

  /** The number of arguments, the command name included; at least 1. */
  public int size() {
    return args.length;
  }

  /**
   * Argument {@code i} (0 is the command name) as sent. The array is shared, not copied: do not modify it.
   *
   * @throws ArrayIndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public byte[] arg(int i) {
    return args[i];
  }

  /** Argument {@code i} decoded as ISO-8859-1: one char per byte, so binary-safe. */
  public String argString(int i) {
    return new String(args[i], ISO_8859_1);
  }

  /** The command name (argument 0) with ASCII letters lowercased and every other byte kept as ISO-8859-1. */
  public String name() {
    String n = name;
    if (n == null) {
      name = n = lowerAscii(args[0]);
    }
    return n;
  }

  /** Whether the command came as an inline line (telnet style) rather than as a multibulk array. */
  public boolean inline() {
    return inline;
  }

  private static String lowerAscii(byte[] b) {
    byte[] lower = null;
    for (int i = 0; i < b.length; i++) {
      if (b[i] >= 'A' && b[i] <= 'Z') {
        if (lower == null) {
          lower = b.clone();
        }
        lower[i] = (byte) (b[i] + ('a' - 'A'));
      }
    }
    return new String(lower == null ? b : lower, ISO_8859_1);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(inline ? "RespRequest(inline)[" : "RespRequest[");
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (args[i].length > TO_STRING_ARG_LIMIT) {
        sb.append(new String(args[i], 0, TO_STRING_ARG_LIMIT, ISO_8859_1))
            .append("...(")
            .append(args[i].length)
            .append(" bytes)");
      } else {
        sb.append(argString(i));
      }
    }
    return sb.append(']').toString();
  }
}
