package io.spillway.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A non-negative number of bytes, parsed the way Redis parses memory settings: {@code 65536}, {@code 64kb}
 * (1024-based), {@code 64k} (1000-based), and likewise {@code m/mb}, {@code g/gb}; {@code KiB}, {@code MiB} and
 * {@code GiB} are accepted as 1024-based too. Immutable.
 */
public final class ByteSize implements Comparable<ByteSize> {

  private static final Pattern SYNTAX = Pattern.compile(
      "\\s*(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*", Pattern.CASE_INSENSITIVE);

  private final long bytes;

  private ByteSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a byte size cannot be negative: " + bytes);
    }
    this.bytes = bytes;
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  public static ByteSize ofKibibytes(long kib) {
    return new ByteSize(Math.multiplyExact(kib, 1024L));
  }

  public static ByteSize ofMebibytes(long mib) {
    return new ByteSize(Math.multiplyExact(mib, 1024L * 1024L));
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text, when it is not a size or overflows a long
   */
  public static ByteSize parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a byte size (examples: 65536, 64kb, 1mb, 512KiB)");
    }
    long multiplier = multiplier(m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT));
    try {
      return new ByteSize(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a byte size", e);
    }
  }

  private static long multiplier(String unit) {
    switch (unit) {
      case "k":
        return 1000L;
      case "kb":
      case "kib":
        return 1024L;
      case "m":
        return 1000L * 1000L;
      case "mb":
      case "mib":
        return 1024L * 1024L;
      case "g":
        return 1000L * 1000L * 1000L;
      case "gb":
      case "gib":
        return 1024L * 1024L * 1024L;
      default:
        return 1L;
    }
  }

  public long toBytes() {
    return bytes;
  }

  /** Returns the size as an int, for APIs that take one; sizes over 2 GiB are rejected. */
  public int toIntBytes() {
    return Math.toIntExact(bytes);
  }

  @Override
  public int compareTo(ByteSize other) {
    return Long.compare(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteSize other && other.bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes);
  }

  /** The exact count with the largest binary unit that divides it: {@code 64KiB}, {@code 52428B}. */
  @Override
  public String toString() {
    if (bytes != 0 && bytes % (1024L * 1024L * 1024L) == 0) {
      return bytes / (1024L * 1024L * 1024L) + "GiB";
    }
    if (bytes != 0 && bytes % (1024L * 1024L) == 0) {
      return bytes / (1024L * 1024L) + "MiB";
    }
    if (bytes != 0 && bytes % 1024L == 0) {
      return bytes / 1024L + "KiB";
    }
    return bytes + "B";
  }
}
