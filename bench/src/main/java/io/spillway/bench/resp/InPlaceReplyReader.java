package io.spillway.bench.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads the frames of one connection's reads where they lie, copying only the frame a read cut in two.
 *
 * <p>Why not Netty's {@code ByteToMessageDecoder}: its cumulation copies every byte of a read into the previous
 * read's buffer whenever that one ended inside a frame, which at fan-out rates is nearly every read. The load
 * generator then copied each of the millions of messages a second it receives once more than it needs to, a
 * noticeable share of its one thread at 1000 subscribers (where it, not the server, set the pace). Here the bytes
 * left over from a read (the start of one frame) are kept aside, and the next read's bytes are added to them only
 * until that frame is whole; the rest is parsed in the read's own buffer.
 *
 * <p>Not thread-safe: one instance per connection, used by its event loop.
 */
public final class InPlaceReplyReader {

  /** Bytes of a new read added to the left-over ones at a time, doubled while the split frame stays incomplete. */
  static final int STEP = 4096;

  private final RespReplyParser parser;
  /** The start of a frame the last read ended in; its reader index stays at 0 between reads. */
  private ByteBuf carry;

  public InPlaceReplyReader(RespReplyParser parser) {
    this.parser = parser;
  }

  /** Parses every whole frame of {@code in}, with what earlier reads left over, calling {@code listener} per frame. */
  public void read(ByteBuf in, RespReplyListener listener) {
    if (carry != null && carry.isReadable() && !completeSplitFrame(in, listener)) {
      return;
    }
    while (parser.parse(in, listener)) {
      // each frame handled by a listener method
    }
    if (in.isReadable()) {
      int left = in.readableBytes();
      if (carry == null) {
        carry = Unpooled.buffer(Math.max(STEP, left));
      }
      carry.clear();
      carry.writeBytes(in, in.readerIndex(), left);
      in.skipBytes(left);
    }
  }

  /**
   * Adds {@code in}'s first bytes to the left-over ones until the frame they start is whole, parses it (and any whole
   * frames after it among the added bytes), and moves {@code in} past what was parsed. Returns false if all of
   * {@code in} was added and the frame is still not whole.
   */
  private boolean completeSplitFrame(ByteBuf in, RespReplyListener listener) {
    int leftover = carry.readableBytes();
    int available = in.readableBytes();
    int appended = 0;
    int step = STEP;
    while (true) {
      int take = Math.min(step, available - appended);
      carry.writeBytes(in, in.readerIndex() + appended, take);
      appended += take;
      while (parser.parse(carry, listener)) {
        // the split frame first, then whole frames among the added bytes
      }
      int consumed = carry.readerIndex();
      if (consumed > 0) {
        // The left-over frame was whole once the bytes were added (nothing is parsed before it is):
        // what was
        // parsed beyond it came from in.
        in.skipBytes(consumed - leftover);
        carry.clear();
        return true;
      }
      if (appended == available) {
        in.skipBytes(available);
        return false;
      }
      step *= 2;
    }
  }

  /** Lets go of the left-over bytes (the connection closed). */
  public void release() {
    if (carry != null) {
      carry.release();
      carry = null;
    }
  }
}
