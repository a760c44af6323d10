package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
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

  @Override
  public void run() {
    try {
      long n = 0;
      ArrayList<ClientSession> subs = local.channels.get(key);
      if (subs != null) {
        for (int i = 0; i < subs.size(); i++) {
          ClientSession s = subs.get(i);
          ByteBuf frame = s.protocol() == 3 ? resp3 : resp2;
          s.deliver(frame != null
              ? frame.retainedDuplicate()
              : MessageFrames.message(s.channel().alloc(), s.protocol(), channel, payload));
          n++;
        }
      }
      for (PatternHit hit : hits) {
        ArrayList<ClientSession> psubs = local.patterns.get(hit.topic.name);
        if (psubs == null) {
          continue;
        }
        for (int i = 0; i < psubs.size(); i++) {
          ClientSession s = psubs.get(i);
          ByteBuf frame = s.protocol() == 3 ? hit.resp3 : hit.resp2;
          s.deliver(frame != null
              ? frame.retainedDuplicate()
              : MessageFrames.pmessage(
                  s.channel().alloc(), s.protocol(), hit.topic.nameBytes, channel, payload));
          n++;
        }
      }
      loop.addDelivered(n);
    } finally {
      release();
    }
  }

  void release() {
    Broker.release(resp2);
    Broker.release(resp3);
    for (PatternHit hit : hits) {
      hit.release();
    }
  }
}
