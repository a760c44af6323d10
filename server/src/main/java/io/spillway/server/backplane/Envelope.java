package io.spillway.server.backplane;

import java.util.Arrays;

/**
 * The payload of a message on the backplane: a 4-byte mark, the id of the server that published it, that server's
 * sequence number for it, then the client's payload unchanged; or a gap marker (mark version 2, no payload): the
 * server could not send some messages of the channel (its outbound queue was full, or its link down). The id lets a server skip its own messages (it has
 * delivered them already); the sequence lets it skip the second copy Redis sends when the server holds both a channel
 * and a pattern that matches it. Stateless.
 */
final class Envelope {

  /** 0xF5 is never the first byte of UTF-8 text, so a plain-text payload published by someone else is not taken. */
  private static final byte[] MARK = {(byte) 0xF5, 'S', 'W', 1};
  /** The mark of a gap marker: same prefix, version 2. */
  private static final byte[] GAP_MARK = {(byte) 0xF5, 'S', 'W', 2};

  /** Bytes an envelope adds to a payload. */
  static final int HEADER_BYTES = MARK.length + 8 + 8;

  private Envelope() {}

  /** The envelope of {@code payload} from server {@code node}, its message number {@code seq}. */
  static byte[] wrap(long node, long seq, byte[] payload) {
    byte[] out = new byte[HEADER_BYTES + payload.length];
    System.arraycopy(MARK, 0, out, 0, MARK.length);
    putLong(out, MARK.length, node);
    putLong(out, MARK.length + 8, seq);
    System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
    return out;
  }

  /** A gap marker from server {@code node}, its message number {@code seq}. */
  static byte[] gap(long node, long seq) {
    byte[] out = wrap(node, seq, new byte[0]);
    out[MARK.length - 1] = GAP_MARK[MARK.length - 1];
    return out;
  }

  /** Whether {@code data} is an envelope or a gap marker (else someone published on Redis directly). */
  static boolean isEnvelope(byte[] data) {
    return data.length >= HEADER_BYTES
        && (Arrays.equals(data, 0, MARK.length, MARK, 0, MARK.length)
            || Arrays.equals(data, 0, GAP_MARK.length, GAP_MARK, 0, GAP_MARK.length));
  }

  /** Whether an envelope ({@link #isEnvelope}) is a gap marker. */
  static boolean isGap(byte[] envelope) {
    return envelope[MARK.length - 1] == GAP_MARK[MARK.length - 1];
  }

  static long node(byte[] envelope) {
    return getLong(envelope, MARK.length);
  }

  static long seq(byte[] envelope) {
    return getLong(envelope, MARK.length + 8);
  }

  /** The client's payload (a copy). */
  static byte[] payload(byte[] envelope) {
    return Arrays.copyOfRange(envelope, HEADER_BYTES, envelope.length);
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }
}
