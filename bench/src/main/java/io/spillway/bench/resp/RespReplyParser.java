package io.spillway.bench.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames a pub/sub client receives, one at a time, from a buffer that may hold any part of them: the
 * reply to PUBLISH ({@code :N}), errors, subscribe confirmations and messages, as RESP2 arrays or RESP3 pushes;
 * every other RESP2/RESP3 frame is skipped whole. Nothing is allocated per frame except the text of an error.
 *
 * <p>Not thread-safe: one instance per connection, used by that connection's event loop.
 */
public final class RespReplyParser {

  /** Longest bulk string accepted: 512 MiB, Redis' own proto-max-bulk-len. */
  static final long MAX_BULK_LENGTH = 512L * 1024 * 1024;
  /** Most elements accepted in one aggregate. */
  static final long MAX_AGGREGATE_LENGTH = 1L << 20;
  /** Deepest nesting accepted (a HELLO reply nests two levels). */
  static final int MAX_DEPTH = 16;
  /** Longest simple line (error text, +OK...) accepted. */
  static final int MAX_LINE_LENGTH = 64 * 1024;

  private static final long INCOMPLETE = Long.MIN_VALUE;
  private static final int CAPTURED = 4;
  private static final byte KIND_STRING = '$';
  private static final byte KIND_INTEGER = ':';
  private static final byte KIND_OTHER = '?';
  /** {@code *3\r\n$7\r\n} and {@code >3\r\n$7\r\n} as big-endian longs, then {@code message\r}: a message frame. */
  private static final long ARRAY3_BULK7 = word("*3\r\n$7\r\n");

  private static final long PUSH3_BULK7 = word(">3\r\n$7\r\n");
  private static final long MESSAGE_CR = word("message\r");
  private static final int MESSAGE_HEAD = 17;
  private static final short CRLF = ('\r' << 8) | '\n';
  private static final byte[] MESSAGE = ascii("message");
  private static final byte[] PMESSAGE = ascii("pmessage");
  private static final byte[] SUBSCRIBE = ascii("subscribe");
  private static final byte[] PSUBSCRIBE = ascii("psubscribe");

  /*
   * Design: parse() looks at the reader index without moving it until a whole frame is there, then moves it past
   * the frame and calls the listener once. A frame split across reads is simply parsed again from its start on the
   * next read; frames are short, and a bulk string's body is never scanned (its length is read and skipped), so the
   * re-parse costs a few header bytes. The first CAPTURED elements of an aggregate are remembered in the arrays
   * below (offsets, lengths, integers), so that the frame is classified after it is known to be complete and
   * without copying any of it. ByteBuf.getByte is used throughout rather than a ByteProcessor: the lines are a few
   * bytes long, but a number line is first read as one 8-byte word when there are 8 bytes to read, and a
   * message frame is recognised by comparing its first 17 bytes as two words and a byte: at millions of messages
   * a second, each checked ByteBuf access counts.
   */

  private final int[] index = new int[CAPTURED];
  private final int[] length = new int[CAPTURED];
  private final long[] integer = new long[CAPTURED];
  private final byte[] kind = new byte[CAPTURED];
  /** Where the last line read by {@link #readNumberLine} ended (after its CRLF). */
  private int pos;

  /**
   * Parses the frame at {@code in}'s reader index, if it is all there.
   *
   * @return true if a frame was read: the reader index is past it and {@code listener} was called once; false if
   *     {@code in} holds only part of a frame (or nothing): nothing was read and nobody was called
   * @throws RespProtocolException if the bytes are not RESP
   */
  public boolean parse(ByteBuf in, RespReplyListener listener) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    if (start >= end) {
      return false;
    }
    byte type = in.getByte(start);
    switch (type) {
      case ':': {
        long value = readNumberLine(in, start + 1, end);
        if (value == INCOMPLETE) {
          return false;
        }
        in.readerIndex(pos);
        listener.onInteger(value);
        return true;
      }
      case '-': {
        int cr = findLineEnd(in, start + 1, end);
        if (cr < 0) {
          return false;
        }
        String text = in.toString(start + 1, cr - start - 1, StandardCharsets.UTF_8);
        in.readerIndex(cr + 2);
        listener.onError(text);
        return true;
      }
      case '*':
      case '>': {
        int fast = parseMessageFast(in, start, end, listener);
        return fast == FAST_NOT_A_MESSAGE
            ? parseAggregate(in, start, end, listener)
            : fast == FAST_DONE;
      }
      default: {
        int next = skipValue(in, start, end, 0);
        if (next < 0) {
          return false;
        }
        in.readerIndex(next);
        listener.onOther();
        return true;
      }
    }
  }

  private static final int FAST_DONE = 1;
  private static final int FAST_INCOMPLETE = 0;
  private static final int FAST_NOT_A_MESSAGE = -1;

  /** Parses a {@code message} frame of two non-null bulk strings, or says it is not one (or not all there). */
  private int parseMessageFast(ByteBuf in, int start, int end, RespReplyListener listener) {
    if (end - start < MESSAGE_HEAD) {
      return FAST_NOT_A_MESSAGE;
    }
    long head = in.getLong(start);
    if ((head != ARRAY3_BULK7 && head != PUSH3_BULK7)
        || in.getLong(start + 8) != MESSAGE_CR
        || in.getByte(start + 16) != '\n') {
      return FAST_NOT_A_MESSAGE;
    }
    int p = start + MESSAGE_HEAD;
    if (p >= end) {
      return FAST_INCOMPLETE;
    }
    if (in.getByte(p) != '$') {
      return FAST_NOT_A_MESSAGE;
    }
    long channelLength = readNumberLine(in, p + 1, end);
    if (channelLength == INCOMPLETE) {
      return FAST_INCOMPLETE;
    }
    if (channelLength < 0) {
      return FAST_NOT_A_MESSAGE;
    }
    int channelIndex = pos;
    p = skipBulkBody(in, channelIndex, channelLength, end);
    if (p < 0 || p >= end) {
      return FAST_INCOMPLETE;
    }
    if (in.getByte(p) != '$') {
      return FAST_NOT_A_MESSAGE;
    }
    long payloadLength = readNumberLine(in, p + 1, end);
    if (payloadLength == INCOMPLETE) {
      return FAST_INCOMPLETE;
    }
    if (payloadLength < 0) {
      return FAST_NOT_A_MESSAGE;
    }
    int payloadIndex = pos;
    p = skipBulkBody(in, payloadIndex, payloadLength, end);
    if (p < 0) {
      return FAST_INCOMPLETE;
    }
    in.readerIndex(p);
    listener.onMessage(in, channelIndex, (int) channelLength, payloadIndex, (int) payloadLength);
    return FAST_DONE;
  }

  private boolean parseAggregate(ByteBuf in, int start, int end, RespReplyListener listener) {
    long count = readNumberLine(in, start + 1, end);
    if (count == INCOMPLETE) {
      return false;
    }
    if (count > MAX_AGGREGATE_LENGTH) {
      throw new RespProtocolException(
          "aggregate of " + count + " elements exceeds " + MAX_AGGREGATE_LENGTH);
    }
    int p = pos;
    for (int i = 0; i < count; i++) {
      if (p >= end) {
        return false;
      }
      byte type = in.getByte(p);
      if (i >= CAPTURED) {
        p = skipValue(in, p, end, 1);
      } else if (type == '$') {
        long len = readNumberLine(in, p + 1, end);
        if (len == INCOMPLETE) {
          return false;
        }
        if (len < 0) {
          kind[i] = KIND_OTHER;
          p = pos;
        } else {
          p = skipBulkBody(in, pos, len, end);
          kind[i] = KIND_STRING;
          index[i] = pos;
          length[i] = (int) len;
        }
      } else if (type == ':') {
        long value = readNumberLine(in, p + 1, end);
        if (value == INCOMPLETE) {
          return false;
        }
        kind[i] = KIND_INTEGER;
        integer[i] = value;
        p = pos;
      } else {
        kind[i] = KIND_OTHER;
        p = skipValue(in, p, end, 1);
      }
      if (p < 0) {
        return false;
      }
    }
    in.readerIndex(p);
    dispatch(in, count, listener);
    return true;
  }

  private void dispatch(ByteBuf in, long count, RespReplyListener listener) {
    if (count >= 3 && kind[0] == KIND_STRING) {
      if (count == 3
          && kind[1] == KIND_STRING
          && kind[2] == KIND_STRING
          && matches(in, 0, MESSAGE)) {
        listener.onMessage(in, index[1], length[1], index[2], length[2]);
        return;
      }
      if (count == 4
          && kind[2] == KIND_STRING
          && kind[3] == KIND_STRING
          && matches(in, 0, PMESSAGE)) {
        listener.onMessage(in, index[2], length[2], index[3], length[3]);
        return;
      }
      if (count == 3
          && kind[1] == KIND_STRING
          && kind[2] == KIND_INTEGER
          && (matches(in, 0, SUBSCRIBE) || matches(in, 0, PSUBSCRIBE))) {
        listener.onSubscribed(in, index[1], length[1], integer[2]);
        return;
      }
    }
    listener.onOther();
  }

  private boolean matches(ByteBuf in, int element, byte[] literal) {
    if (length[element] != literal.length) {
      return false;
    }
    int at = index[element];
    for (int i = 0; i < literal.length; i++) {
      if (in.getByte(at + i) != literal[i]) {
        return false;
      }
    }
    return true;
  }

  /** Returns the index just past the value at {@code p}, or -1 if it is not all in {@code in}. */
  private int skipValue(ByteBuf in, int p, int end, int depth) {
    if (p >= end) {
      return -1;
    }
    if (depth > MAX_DEPTH) {
      throw new RespProtocolException("frame nested deeper than " + MAX_DEPTH);
    }
    byte type = in.getByte(p);
    switch (type) {
      case '+':
      case '-':
      case ':':
      case '_':
      case '#':
      case ',':
      case '(': {
        int cr = findLineEnd(in, p + 1, end);
        return cr < 0 ? -1 : cr + 2;
      }
      case '$':
      case '=':
      case '!': {
        long len = readNumberLine(in, p + 1, end);
        if (len == INCOMPLETE) {
          return -1;
        }
        return len < 0 ? pos : skipBulkBody(in, pos, len, end);
      }
      case '*':
      case '>':
      case '~':
      case '%':
      case '|': {
        long count = readNumberLine(in, p + 1, end);
        if (count == INCOMPLETE) {
          return -1;
        }
        if (count > MAX_AGGREGATE_LENGTH) {
          throw new RespProtocolException(
              "aggregate of " + count + " elements exceeds " + MAX_AGGREGATE_LENGTH);
        }
        long elements = type == '%' || type == '|' ? 2 * count : count;
        int q = pos;
        for (long i = 0; i < elements && q >= 0; i++) {
          q = skipValue(in, q, end, depth + 1);
        }
        return q;
      }
      default:
        throw new RespProtocolException("unexpected byte 0x" + Integer.toHexString(type & 0xff)
            + " where a RESP type was expected");
    }
  }

  /** Returns the index past a bulk body of {@code len} bytes starting at {@code at} and its CRLF, or -1. */
  private static int skipBulkBody(ByteBuf in, int at, long len, int end) {
    if (len > MAX_BULK_LENGTH) {
      throw new RespProtocolException(
          "bulk string of " + len + " bytes exceeds " + MAX_BULK_LENGTH);
    }
    long next = at + len + 2;
    if (next > end) {
      return -1;
    }
    if (in.getShort((int) next - 2) != CRLF) {
      throw new RespProtocolException("bulk string of " + len + " bytes not followed by CRLF");
    }
    return (int) next;
  }

  /**
   * Reads an optionally negative decimal number ending in CRLF, from {@code p}; sets {@link #pos} past the CRLF.
   * Returns {@link #INCOMPLETE} if the CRLF is not there yet.
   */
  private long readNumberLine(ByteBuf in, int p, int end) {
    if (end - p >= Long.BYTES) {
      long w = in.getLong(p);
      byte first = (byte) (w >>> 56);
      if (first >= '0' && first <= '9') {
        long value = first - (long) '0';
        for (int shift = 48, i = 1; shift >= 8; shift -= 8, i++) {
          byte b = (byte) (w >>> shift);
          if (b == '\r') {
            if ((byte) (w >>> (shift - 8)) != '\n') {
              throw new RespProtocolException("malformed number line");
            }
            pos = p + i + 2;
            return value;
          }
          if (b < '0' || b > '9') {
            break;
          }
          value = value * 10 + (b - '0');
        }
      }
    }
    return readNumberLineSlowly(in, p, end);
  }

  /** {@link #readNumberLine} a byte at a time: negative numbers, long numbers, fewer than 8 bytes left. */
  private long readNumberLineSlowly(ByteBuf in, int p, int end) {
    boolean negative = false;
    if (p < end && in.getByte(p) == '-') {
      negative = true;
      p++;
    }
    long value = 0;
    int digits = 0;
    for (; ; p++) {
      if (p >= end) {
        return INCOMPLETE;
      }
      byte b = in.getByte(p);
      if (b == '\r') {
        break;
      }
      if (b < '0' || b > '9' || ++digits > 18) {
        throw new RespProtocolException(
            "expected a number of at most 18 digits, got byte 0x" + Integer.toHexString(b & 0xff));
      }
      value = value * 10 + (b - '0');
    }
    if (p + 1 >= end) {
      return INCOMPLETE;
    }
    if (digits == 0 || in.getByte(p + 1) != '\n') {
      throw new RespProtocolException("malformed number line");
    }
    pos = p + 2;
    return negative ? -value : value;
  }

  /** Returns the index of the CR of the CRLF ending the line that starts at {@code p}, or -1 if not there yet. */
  private static int findLineEnd(ByteBuf in, int p, int end) {
    int limit = Math.min(end, p + MAX_LINE_LENGTH);
    int cr = in.indexOf(p, limit, (byte) '\r');
    if (cr < 0) {
      if (limit < end) {
        throw new RespProtocolException("line longer than " + MAX_LINE_LENGTH + " bytes");
      }
      return -1;
    }
    if (cr + 1 >= end) {
      return -1;
    }
    if (in.getByte(cr + 1) != '\n') {
      throw new RespProtocolException("CR not followed by LF");
    }
    return cr;
  }

  private static long word(String eightAsciiChars) {
    byte[] b = ascii(eightAsciiChars);
    long w = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      w = (w << 8) | (b[i] & 0xff);
    }
    return w;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
