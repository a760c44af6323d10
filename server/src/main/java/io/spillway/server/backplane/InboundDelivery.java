package io.spillway.server.backplane;

import io.spillway.server.broker.Broker;
import io.spillway.server.broker.DetachedPublisher;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Names;
import io.spillway.server.broker.Publisher;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands what Redis delivers to the broker's publish path: each message to the event loop its channel hashes to (so
 * one channel's messages stay in order), as a task that publishes it there with that loop's {@link Publisher} (which
 * the backplane's relay recognises, by {@link #isInbound}, and does not send back). Bytes handed over and not yet
 * published are bounded ({@link #BOUND_BYTES}); beyond it a message is dropped and the channel's subscribers get a
 * gap notice (once per channel until the backlog has halved). {@link #deliver} is called on the thread that reads
 * the backplane; the rest from any thread.
 */
final class InboundDelivery {

  /** Most bytes received from Redis and not yet handed to the broker; beyond it messages are dropped. */
  static final long BOUND_BYTES = 16L << 20;

  private final Broker broker;
  private final InboundPublisher[] publishers;
  private final LongAdder gapNotices;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final LongAdder received = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  /** Channels given a gap notice in the current episode of drops. */
  private final Set<String> gaps = ConcurrentHashMap.newKeySet();

  InboundDelivery(Broker broker, IoLoop[] loops, LongAdder gapNotices) {
    this.broker = broker;
    this.gapNotices = gapNotices;
    this.publishers = new InboundPublisher[loops.length];
    for (int i = 0; i < loops.length; i++) {
      publishers[i] = new InboundPublisher(loops[i]);
    }
  }

  /** Whether {@code p} is one of the publishers this class publishes with. */
  static boolean isInbound(Publisher p) {
    return p instanceof InboundPublisher;
  }

  /** Hands {@code payload}, received on {@code channel}, to the loop of the channel. */
  void deliver(byte[] channel, byte[] payload) {
    long size = (long) channel.length + payload.length + Envelope.HEADER_BYTES;
    received.increment();
    bytes.add(size);
    if (pendingBytes.addAndGet(size) > BOUND_BYTES) {
      pendingBytes.addAndGet(-size);
      dropped.increment();
      String name = Names.of(channel);
      if (gaps.add(name)) {
        // The channel's subscribers and those of the patterns that match it.
        gapNotices.increment();
        broker.noticeGap(name, false, Backplane.GAP_CAUSE);
      }
      return;
    }
    InboundPublisher p = publishers[Math.floorMod(Arrays.hashCode(channel), publishers.length)];
    p.loop().eventLoop().execute(() -> {
      try {
        broker.publish(channel, payload, p);
      } finally {
        if (pendingBytes.addAndGet(-size) < BOUND_BYTES / 2 && !gaps.isEmpty()) {
          gaps.clear();
        }
      }
    });
  }

  /** Messages received and handed over (or dropped). */
  long received() {
    return received.sum();
  }

  /** Bytes of those messages (channel, envelope, payload). */
  long bytes() {
    return bytes.sum();
  }

  /** Bytes handed to the loops and not yet published: the inbound lag. */
  long pendingBytes() {
    return pendingBytes.get();
  }

  /** Messages dropped at the bound. */
  long dropped() {
    return dropped.sum();
  }

  /**
   * Publishes what Redis delivered, on one event loop; a class of its own so that the relay can tell these
   * publishes from local ones. Redis cannot be paused per message: the bound here (and Redis's own output limit for
   * subscribers) bounds what waits. Nor per channel: a block channel's local subscribers are held to their limits as
   * they are for any publisher that cannot be paused (max-block, then the hard limit); the publishing node's own
   * subscribers pace its publishers.
   */
  private static final class InboundPublisher extends DetachedPublisher {
    InboundPublisher(IoLoop loop) {
      super(loop);
    }
  }
}
