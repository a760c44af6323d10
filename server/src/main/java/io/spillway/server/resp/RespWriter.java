package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * Encodes RESP replies at the writer index of a {@link ByteBuf}. Methods taking {@code proto} write RESP3 when it
 * is 3 and the RESP2 equivalent when it is 2, and throw {@link IllegalArgumentException} for any other value, as
 * the header methods do for a negative count. Strings are written as ISO-8859-1, one byte per char (a char above
 * U+00FF becomes {@code ?}); pass {@code byte[]} for anything else. Stateless and allocation-free (except when
 * {@code out} must grow); callable from any thread on distinct buffers.
 */
public final class RespWriter {

  /*
   * Design notes (for maintainers).
   *
   * Numbers are written digit by digit into the buffer (AsciiDecimal); the lines "<n>\r\n" for n below CACHED_LINES
   * are precomputed, since lengths and counts are mostly small. Methods that write several parts call
   * ensureWritable once with the exact size, so that a growing buffer is resized at most once per reply.
   *
   * Simple strings and errors cannot carry CR or LF; Redis's addReplyErrorFormat maps both to spaces, and we do the
   * same for simple strings too rather than emit a reply that desynchronises the client.
   *
   * ok() and pong() are duplicates of one read-only, unreleasable direct buffer: a duplicate has its own indices, so
   * any number of channels on any threads may write them, and the release the outbound path performs is a no-op.
   */

  private static final int CACHED_LINES = 1024;
  private static final byte[][] LINES = new byte[CACHED_LINES][];
  private static final short CRLF = ('\r' << 8) | '\n';
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(US_ASCII);
  private static final int RESP3_NULL = ('_' << 16) | CRLF;
  private static final int RESP3_TRUE = ('#' << 24) | ('t' << 16) | CRLF;
  private static final int RESP3_FALSE = ('#' << 24) | ('f' << 16) | CRLF;
  private static final int RESP2_ONE = (':' << 24) | ('1' << 16) | CRLF;
  private static final int RESP2_ZERO = (':' << 24) | ('0' << 16) | CRLF;
  private static final int VERBATIM_TXT = ('t' << 24) | ('x' << 16) | ('t' << 8) | ':';
  private static final ByteBuf OK = constant("+OK\r\n");
  private static final ByteBuf PONG = constant("+PONG\r\n");

  static {
    for (int i = 0; i < CACHED_LINES; i++) {
      LINES[i] = (i + "\r\n").getBytes(US_ASCII);
    }
  }

  private RespWriter() {}

  /** {@code +OK\r\n}: a fresh duplicate of a shared read-only buffer; releasing it is allowed and has no effect. */
  public static ByteBuf ok() {
    return OK.retainedDuplicate();
  }

  /** {@code +PONG\r\n}, shared like {@link #ok()}. */
  public static ByteBuf pong() {
    return PONG.retainedDuplicate();
  }

  /** {@code +<text>\r\n}, CR and LF in {@code text} replaced by spaces. */
  public static void simpleString(ByteBuf out, String text) {
    line(out, '+', text);
  }

  /**
   * {@code -<text>\r\n}, CR and LF in {@code text} replaced by spaces. {@code text} starts with the error code, as in
   * {@code ERR unknown command}.
   */
  public static void error(ByteBuf out, String text) {
    line(out, '-', text);
  }

  /** {@code :<value>\r\n}. */
  public static void integer(ByteBuf out, long value) {
    out.ensureWritable(integerLength(value));
    numberLine(out, ':', value);
  }

  /** {@code $<length>\r\n<payload>\r\n}. */
  public static void bulk(ByteBuf out, byte[] payload) {
    out.ensureWritable(bulkLength(payload.length));
    numberLine(out, '$', payload.length);
    out.writeBytes(payload);
    out.writeShort(CRLF);
  }

  /** A bulk string of {@code payload} encoded as ISO-8859-1. */
  public static void bulk(ByteBuf out, String payload) {
    out.ensureWritable(bulkLength(payload.length()));
    numberLine(out, '$', payload.length());
    out.writeCharSequence(payload, ISO_8859_1);
    out.writeShort(CRLF);
  }

  /** The null bulk string: {@code $-1\r\n} in RESP2, {@code _\r\n} in RESP3. */
  public static void nullBulk(ByteBuf out, int proto) {
    if (resp3(proto)) {
      out.writeMedium(RESP3_NULL);
    } else {
      out.writeBytes(NULL_BULK);
    }
  }

  /** The null array: {@code *-1\r\n} in RESP2, {@code _\r\n} in RESP3. */
  public static void nullArray(ByteBuf out, int proto) {
    if (resp3(proto)) {
      out.writeMedium(RESP3_NULL);
    } else {
      out.writeBytes(NULL_ARRAY);
    }
  }

  /** {@code *<n>\r\n}; the caller then writes the {@code n} elements. */
  public static void arrayHeader(ByteBuf out, int n) {
    header(out, '*', n);
  }

  /** An out-of-band push of {@code n} elements: {@code ><n>\r\n} in RESP3, an array header in RESP2. */
  public static void pushHeader(ByteBuf out, int n, int proto) {
    header(out, resp3(proto) ? '>' : '*', n);
  }

  /** A map of {@code pairs} key/value pairs: {@code %<pairs>\r\n} in RESP3, an array of twice as many in RESP2. */
  public static void mapHeader(ByteBuf out, int pairs, int proto) {
    if (resp3(proto)) {
      header(out, '%', pairs);
    } else {
      header(out, '*', 2L * pairs);
    }
  }

  /** A set of {@code n} elements: {@code ~<n>\r\n} in RESP3, an array header in RESP2. */
  public static void setHeader(ByteBuf out, int n, int proto) {
    header(out, resp3(proto) ? '~' : '*', n);
  }

  /**
   * Human-readable text: in RESP3 the verbatim string {@code =<length + 4>\r\ntxt:<text>\r\n}, in RESP2 a bulk
   * string of {@code text}; ISO-8859-1 either way.
   */
  public static void verbatim(ByteBuf out, String text, int proto) {
    if (!resp3(proto)) {
      bulk(out, text);
      return;
    }
    int length = text.length() + 4;
    out.ensureWritable(bulkLength(length));
    numberLine(out, '=', length);
    out.writeInt(VERBATIM_TXT);
    out.writeCharSequence(text, ISO_8859_1);
    out.writeShort(CRLF);
  }

  /** {@code #t\r\n} or {@code #f\r\n} in RESP3, the integer 1 or 0 in RESP2. */
  public static void bool(ByteBuf out, boolean value, int proto) {
    if (resp3(proto)) {
      out.writeInt(value ? RESP3_TRUE : RESP3_FALSE);
    } else {
      out.writeInt(value ? RESP2_ONE : RESP2_ZERO);
    }
  }

  /** The exact size {@link #bulk} writes for a payload of {@code payloadLength} bytes. */
  public static int bulkLength(int payloadLength) {
    return 1 + AsciiDecimal.length(payloadLength) + 2 + payloadLength + 2;
  }

  /** The exact size {@link #integer} writes for {@code value}. */
  public static int integerLength(long value) {
    return 1 + AsciiDecimal.length(value) + 2;
  }

  private static boolean resp3(int proto) {
    if (proto == 3) {
      return true;
    }
    if (proto == 2) {
      return false;
    }
    throw new IllegalArgumentException("proto must be 2 or 3, was " + proto);
  }

  private static void header(ByteBuf out, char type, long n) {
    if (n < 0) {
      throw new IllegalArgumentException("element count must not be negative, was " + n);
    }
    out.ensureWritable(integerLength(n));
    numberLine(out, type, n);
  }

  private static void numberLine(ByteBuf out, char type, long n) {
    out.writeByte(type);
    if (n >= 0 && n < CACHED_LINES) {
      out.writeBytes(LINES[(int) n]);
    } else {
      AsciiDecimal.write(out, n);
      out.writeShort(CRLF);
    }
  }

  private static void line(ByteBuf out, char type, String text) {
    int length = text.length();
    out.ensureWritable(length + 3);
    out.writeByte(type);
    if (text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
      out.writeCharSequence(text, ISO_8859_1);
    } else {
      for (int i = 0; i < length; i++) {
        char c = text.charAt(i);
        out.writeByte(c == '\r' || c == '\n' ? ' ' : c > 0xFF ? '?' : c);
      }
    }
    out.writeShort(CRLF);
  }

  private static ByteBuf constant(String reply) {
    byte[] bytes = reply.getBytes(US_ASCII);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct.asReadOnlyBuffer()));
  }
}
