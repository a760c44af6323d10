package io.spillway.server.backplane;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages on their way to the backplane, bounded in bytes: a message is counted from {@link #offer} until Redis has
 * answered its publish ({@link #done}), and one that would take the count past the bound is refused and counted as
 * dropped. Any number of event loops offer; one thread (the backplane's) polls. Thread-safe.
 */
final class OutboundQueue {

  /** One message: its channel, its payload, and the bytes it counts for. */
  static final class Entry {
    final byte[] channel;
    final byte[] payload;
    final long bytes;

    Entry(byte[] channel, byte[] payload, long bytes) {
      this.channel = channel;
      this.payload = payload;
      this.bytes = bytes;
    }
  }

  private final long boundBytes;
  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final LongAdder droppedFull = new LongAdder();

  OutboundQueue(long boundBytes) {
    this.boundBytes = boundBytes;
  }

  /** Bytes a message counts for: channel, payload and envelope (what Redis receives, near enough). */
  static long sizeOf(byte[] channel, byte[] payload) {
    return (long) channel.length + payload.length + Envelope.HEADER_BYTES;
  }

  /** Queues a message; false (and counted) if it would pass the bound. Any thread. */
  boolean offer(byte[] channel, byte[] payload) {
    long n = sizeOf(channel, payload);
    if (bytes.addAndGet(n) > boundBytes) {
      bytes.addAndGet(-n);
      droppedFull.increment();
      return false;
    }
    queue.offer(new Entry(channel, payload, n));
    return true;
  }

  /** The oldest message not yet sent, or null. The backplane's thread. */
  Entry poll() {
    return queue.poll();
  }

  /** Redis answered (or the publish failed) for a message of {@code n} bytes. Any thread. */
  void done(long n) {
    bytes.addAndGet(-n);
  }

  /** Bytes queued or in flight. Any thread. */
  long bytes() {
    return bytes.get();
  }

  /** Messages refused because the queue was full. Any thread. */
  long droppedFull() {
    return droppedFull.sum();
  }

  long boundBytes() {
    return boundBytes;
  }
}
