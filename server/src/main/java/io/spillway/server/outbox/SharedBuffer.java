package io.spillway.server.outbox;

import io.netty.buffer.ByteBuf;

/**
 * Encoded frames that several clients of one event loop hold at once: one reference to a {@link ByteBuf} and a plain
 * count of the outbox entries (and the one producer) that still need its bytes. Confined to one event loop: no
 * method may be called from any other thread.
 *
 * <p>Several loops may hold the same bytes, each through a {@code SharedBuffer} of its own that owns one reference
 * to the buffer: the buffer's atomic reference count then changes once per loop, and the per-client holds, which
 * happen once per message per subscriber, stay plain integer arithmetic on the owning loop.
 */
public final class SharedBuffer {

  private final ByteBuf buf;
  private final ChannelTag tag;
  private final int[] starts;
  private int holders = 1;

  /**
   * Wraps {@code buf}, taking over one reference to it; the caller is the first holder and gives its hold back with
   * {@link #release()}.
   */
  public SharedBuffer(ByteBuf buf) {
    this(buf, ChannelTag.NONE, null);
  }

  /**
   * Wraps {@code buf}, which holds messages of the channel {@code tag} side by side, the k-th starting at offset
   * {@code starts[k]} (null for a single message), taking over one reference to it.
   */
  public SharedBuffer(ByteBuf buf, ChannelTag tag, int[] starts) {
    this.buf = buf;
    this.tag = tag;
    this.starts = starts;
  }

  /** The channel of the messages. */
  public ChannelTag tag() {
    return tag;
  }

  /**
   * The offset where the message after the one at {@code offset} starts, or {@code end} when that is the last in
   * the range ending at {@code end}.
   */
  int nextMessage(int offset, int end) {
    if (starts == null) {
      return end;
    }
    int i = java.util.Arrays.binarySearch(starts, offset);
    int next = i >= 0 ? i + 1 : -i - 1;
    return next < starts.length && starts[next] < end ? starts[next] : end;
  }

  /** The offset where the last message of the range {@code [offset, end)} starts. */
  int lastMessage(int offset, int end) {
    if (starts == null) {
      return offset;
    }
    int i = java.util.Arrays.binarySearch(starts, end);
    int last = (i >= 0 ? i : -i - 1) - 1;
    return Math.max(offset, starts[Math.max(0, last)]);
  }

  /** The bytes; valid while this is held. */
  public ByteBuf buf() {
    return buf;
  }

  /** One more holder. */
  public void hold() {
    holders++;
  }

  /** One holder fewer; the last one releases the buffer's reference. */
  public void release() {
    if (--holders == 0) {
      buf.release();
    }
  }

  /** Holders now (tests). */
  int holders() {
    return holders;
  }
}
