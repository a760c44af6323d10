package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.server.client.ClientSession;
import io.spillway.server.client.IoLoop;
import java.util.ArrayList;

/**
 * One published message's delivery to the subscribers on one event loop: a task run by that loop. It holds one
 * reference to each frame and gives each subscriber a retained duplicate.
 */
final class Delivery implements Runnable {

  private final Broker.Local local;
  private final IoLoop loop;
  private final String key;
  private final byte[] channel;
  private final byte[] payload;
  private final ByteBuf resp2;
  private final ByteBuf resp3;
  private final PatternHit[] hits;

  Delivery(
      Broker.Local local,
      IoLoop loop,
      String key,
      byte[] channel,
      byte[] payload,
      ByteBuf resp2,
      ByteBuf resp3,
      PatternHit[] hits) {
    this.local = local;
    this.loop = loop;
    this.key = key;
    this.channel = channel;
    this.payload = payload;
    this.resp2 = resp2 == null ? null : resp2.retain();
    this.resp3 = resp3 == null ? null : resp3.retain();
    this.hits = hits;
    for (PatternHit hit : hits) {
      hit.retain();
    }
  }

  /** Bytes this delivery holds, for the target loop's backlog. */
  long bytes() {
    long n = (resp2 == null ? 0 : resp2.readableBytes()) + (resp3 == null ? 0 : resp3.readableBytes());
    for (PatternHit hit : hits) {
      n += (hit.resp2 == null ? 0 : hit.resp2.readableBytes()) + (hit.resp3 == null ? 0 : hit.resp3.readableBytes());
    }
    return n;
  }

  /** Delivers on the publisher's own loop, sharing the publisher's frames. */
  @Override
  public void run() {
    try {
      deliver(resp2, resp3, false);
    } finally {
      release();
    }
  }

  /** Delivers on another loop: copies each frame once into this loop's memory first. */
  void runRemote() {
    try {
      deliver(resp2, resp3, true);
    } finally {
      release();
    }
  }

  private void deliver(ByteBuf shared2, ByteBuf shared3, boolean copy) {
    long n = 0;
    ArrayList<ClientSession> subs = local.channels.get(key);
    if (subs != null && !subs.isEmpty()) {
      ByteBuf f2 = copy ? localCopy(shared2) : shared2;
      ByteBuf f3 = copy ? localCopy(shared3) : shared3;
      try {
        for (int i = 0; i < subs.size(); i++) {
          ClientSession s = subs.get(i);
          ByteBuf frame = s.protocol() == 3 ? f3 : f2;
          s.deliver(frame != null
              ? frame.retainedDuplicate()
              : MessageFrames.message(s.channel().alloc(), s.protocol(), channel, payload));
          n++;
        }
      } finally {
        if (copy) {
          Broker.release(f2);
          Broker.release(f3);
        }
      }
    }
    for (PatternHit hit : hits) {
      ArrayList<ClientSession> psubs = local.patterns.get(hit.topic.name);
      if (psubs == null || psubs.isEmpty()) {
        continue;
      }
      ByteBuf p2 = copy ? localCopy(hit.resp2) : hit.resp2;
      ByteBuf p3 = copy ? localCopy(hit.resp3) : hit.resp3;
      try {
        for (int i = 0; i < psubs.size(); i++) {
          ClientSession s = psubs.get(i);
          ByteBuf frame = s.protocol() == 3 ? p3 : p2;
          s.deliver(frame != null
              ? frame.retainedDuplicate()
              : MessageFrames.pmessage(
                  s.channel().alloc(), s.protocol(), hit.topic.nameBytes, channel, payload));
          n++;
        }
      } finally {
        if (copy) {
          Broker.release(p2);
          Broker.release(p3);
        }
      }
    }
    loop.addDelivered(n);
  }

  private ByteBuf localCopy(ByteBuf shared) {
    if (shared == null) {
      return null;
    }
    int n = shared.readableBytes();
    return ByteBufAllocator.DEFAULT.directBuffer(n, n).writeBytes(shared, shared.readerIndex(), n);
  }

  void release() {
    Broker.release(resp2);
    Broker.release(resp3);
    for (PatternHit hit : hits) {
      hit.release();
    }
  }
}
