package io.spillway.server.resp;

import io.netty.buffer.ByteBuf;

/**
 * Decimal integers as RESP writes them, read and written in place in a {@link ByteBuf}, without Strings. Stateless;
 * callable from any thread.
 */
final class AsciiDecimal {

  /** What {@link #parse} returns for bytes that are not an integer. */
  static final long INVALID = Long.MIN_VALUE;

  private AsciiDecimal() {}

  /**
   * Reads {@code in[from, to)} with the rules of Redis's {@code string2ll}: an optional {@code -}, no leading zero,
   * no {@code +}, no blank, at most 20 characters, within the range of a long. Returns {@link #INVALID} for bytes
   * that break them, -1 for every negative integer (callers treat all negatives alike, and {@code Long.MIN_VALUE}
   * itself is the sentinel), the value otherwise.
   */
  static long parse(ByteBuf in, int from, int to) {
    int length = to - from;
    if (length == 0 || length > 20) {
      return INVALID;
    }
    if (length == 1 && in.getByte(from) == '0') {
      return 0;
    }
    int i = from;
    boolean negative = in.getByte(i) == '-';
    if (negative && ++i == to) {
      return INVALID;
    }
    byte digit = in.getByte(i++);
    if (digit < '1' || digit > '9') {
      return INVALID;
    }
    long accumulated = '0' - (long) digit;
    for (; i < to; i++) {
      digit = in.getByte(i);
      if (digit < '0' || digit > '9' || accumulated < Long.MIN_VALUE / 10) {
        return INVALID;
      }
      accumulated *= 10;
      if (accumulated < Long.MIN_VALUE + (digit - '0')) {
        return INVALID;
      }
      accumulated -= digit - '0';
    }
    if (negative) {
      return -1;
    }
    return accumulated == Long.MIN_VALUE ? INVALID : -accumulated;
  }

  /** The number of characters {@link #write} produces for {@code v}, its sign included. */
  static int length(long v) {
    if (v < 0) {
      return v == Long.MIN_VALUE ? 20 : 1 + length(-v);
    }
    int digits = 1;
    for (long bound = 10; digits < 19 && v >= bound; bound *= 10) {
      digits++;
    }
    return digits;
  }

  /** Appends {@code v} in decimal at the writer index. */
  static void write(ByteBuf out, long v) {
    int length = length(v);
    out.ensureWritable(length);
    int start = out.writerIndex();
    int p = start + length;
    long negated = v < 0 ? v : -v;
    do {
      out.setByte(--p, (int) ('0' - negated % 10));
      negated /= 10;
    } while (negated != 0);
    if (v < 0) {
      out.setByte(start, '-');
    }
    out.writerIndex(start + length);
  }
}
