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
  private int holders = 1;

  /**
   * Wraps {@code buf}, taking over one reference to it; the caller is the first holder and gives its hold back with
   * {@link #release()}.
   */
  public SharedBuffer(ByteBuf buf) {
    this.buf = buf;
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
