package io.spillway.bench.pubsub;

import io.netty.buffer.ByteBuf;

/**
 * The first {@link #LENGTH} bytes of every payload the bench publishes, big-endian:
 *
 * <pre>
 *   0  int   magic 'SWB1'
 *   4  int   publisher id
 *   8  int   channel index
 *  12  long  sequence number, per publisher per channel, from 0
 *  20  long  send time: System.nanoTime() of the intended send (flat out: the actual send)
 * </pre>
 *
 * The rest of the payload is padding. Publishers and subscribers are in one process, so send times compare with
 * receive times directly. Stateless; any thread.
 */
public final class PayloadHeader {

  /** 'SWB1': marks a payload as this bench's, version 1. */
  public static final int MAGIC = 0x53574231;
  /** Header bytes: the smallest payload. */
  public static final int LENGTH = 28;

  private static final int PUBLISHER = 4;
  private static final int CHANNEL = 8;
  private static final int SEQUENCE = 12;
  private static final int SENT_NANOS = 20;

  private PayloadHeader() {}

  /** Writes a header at {@code out}'s writer index. */
  public static void write(ByteBuf out, int publisher, int channel, long sequence, long sentNanos) {
    out.writeInt(MAGIC);
    out.writeInt(publisher);
    out.writeInt(channel);
    out.writeLong(sequence);
    out.writeLong(sentNanos);
  }

  /** True if the payload at {@code index} is long enough and carries the magic. */
  public static boolean isBench(ByteBuf buf, int index, int length) {
    return length >= LENGTH && buf.getInt(index) == MAGIC;
  }

  public static int publisher(ByteBuf buf, int index) {
    return buf.getInt(index + PUBLISHER);
  }

  public static int channel(ByteBuf buf, int index) {
    return buf.getInt(index + CHANNEL);
  }

  public static long sequence(ByteBuf buf, int index) {
    return buf.getLong(index + SEQUENCE);
  }

  public static long sentNanos(ByteBuf buf, int index) {
    return buf.getLong(index + SENT_NANOS);
  }
}
