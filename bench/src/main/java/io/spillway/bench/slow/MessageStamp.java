package io.spillway.bench.slow;

import java.nio.ByteBuffer;

/** The first bytes of every payload: sequence number and intended send time (nanoClock), big-endian. */
final class MessageStamp {

  /** Header length: 8 bytes sequence, 8 bytes intended send time. */
  static final int LENGTH = 16;

  private MessageStamp() {}

  /** A payload of {@code size} bytes stamped with {@code sequence} and {@code sentNanos}, padded with 'x'. */
  static byte[] payload(int size, long sequence, long sentNanos) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, LENGTH, size, (byte) 'x');
    ByteBuffer.wrap(b).putLong(sequence).putLong(sentNanos);
    return b;
  }

  static long sequence(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(0);
  }

  static long sentNanos(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(8);
  }
}
