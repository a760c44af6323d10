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
final class Delivery {

  private final Broker.Local local;
  private final IoLoop loop;
  private final String key;
  private final byte[] channel;
  private final byte[] payload;
  private final ByteBuf resp2;
  private final ByteBuf resp3;
  private final ByteBuf ws;
  private final PatternHit[] hits;
  private final boolean fromOtherLoop;

  Delivery(
      Broker.Local local,
      IoLoop loop,
      String key,
      byte[] channel,
      byte[] payload,
      ByteBuf resp2,
      ByteBuf resp3,
      ByteBuf ws,
      PatternHit[] hits,
      boolean fromOtherLoop) {
    this.fromOtherLoop = fromOtherLoop;
    this.local = local;
    this.loop = loop;
    this.key = key;
    this.channel = channel;
    this.payload = payload;
    this.resp2 = resp2 == null ? null : resp2.retain();
    this.resp3 = resp3 == null ? null : resp3.retain();
    this.ws = ws == null ? null : ws.retain();
    this.hits = hits;
    for (PatternHit hit : hits) {
      hit.retain();
    }
  }


  /**
   * Delivers, on the target loop, the run of deliveries starting at {@code start}: consecutive messages to the same
   * channel (and no pattern) are concatenated once into chunks of at most {@code chunkBytes}, and each subscriber
   * gets one reference per chunk instead of one per message. Returns the index after the run.
   */
  static int deliverRun(ArrayList<Delivery> deliveries, int start, int chunkBytes) {
    Delivery first = deliveries.get(start);
    int end = start + 1;
    long bytes2 = size(first.resp2);
    long bytes3 = size(first.resp3);
    long bytesWs = size(first.ws);
    if (first.hits.length == 0) {
      while (end < deliveries.size()) {
        Delivery d = deliveries.get(end);
        if (d.hits.length > 0 || !d.key.equals(first.key)
            || (d.resp2 == null) != (first.resp2 == null) || (d.resp3 == null) != (first.resp3 == null)
            || (d.ws == null) != (first.ws == null)
            || bytes2 + size(d.resp2) > chunkBytes || bytes3 + size(d.resp3) > chunkBytes
            || bytesWs + size(d.ws) > chunkBytes) {
          break;
        }
        bytes2 += size(d.resp2);
        bytes3 += size(d.resp3);
        bytesWs += size(d.ws);
        end++;
      }
    }
    if (end - start == 1) {
      first.runRemote();
      return end;
    }
    try {
      ArrayList<ClientSession> subs = first.local.channels.get(first.key);
      if (subs != null && !subs.isEmpty()) {
        ByteBuf chunk2 = bytes2 > 0 ? concat(deliveries, start, end, bytes2, 2) : null;
        ByteBuf chunk3 = bytes3 > 0 ? concat(deliveries, start, end, bytes3, 3) : null;
        ByteBuf chunkWs = bytesWs > 0 ? concat(deliveries, start, end, bytesWs, ClientSession.WEBSOCKET) : null;
        try {
          for (int i = 0; i < subs.size(); i++) {
            ClientSession s = subs.get(i);
            ByteBuf chunk = pick(s.protocol(), chunk2, chunk3, chunkWs);
            if (chunk != null) {
              s.deliver(chunk.retainedDuplicate());
            } else {
              for (int j = start; j < end; j++) {
                Delivery d = deliveries.get(j);
                s.deliver(MessageFrames.message(s.channel().alloc(), s.protocol(), d.channel, d.payload));
              }
            }
          }
          first.loop.addDelivered((long) (end - start) * subs.size());
        } finally {
          Broker.release(chunk2);
          Broker.release(chunk3);
          Broker.release(chunkWs);
        }
      }
    } finally {
      for (int j = start; j < end; j++) {
        deliveries.get(j).release();
      }
    }
    return end;
  }

  private static long size(ByteBuf b) {
    return b == null ? 0 : b.readableBytes();
  }

  /**
   * The frame for a subscriber of {@code protocol}: a plain comparison per subscriber, so a RESP-only delivery costs
   * what it did before WebSocket subscribers existed.
   */
  private static ByteBuf pick(int protocol, ByteBuf resp2, ByteBuf resp3, ByteBuf ws) {
    return protocol == 3 ? resp3 : protocol == 2 ? resp2 : ws;
  }

  private static ByteBuf concat(ArrayList<Delivery> deliveries, int start, int end, long bytes, int protocol) {
    int n = (int) bytes;
    ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(n, n);
    for (int j = start; j < end; j++) {
      Delivery d = deliveries.get(j);
      ByteBuf f = pick(protocol, d.resp2, d.resp3, d.ws);
      out.writeBytes(f, f.readerIndex(), f.readableBytes());
    }
    return out;
  }

  /** Bytes this delivery holds, for the target loop's backlog. */
  long bytes() {
    long n = size(resp2) + size(resp3) + size(ws);
    for (PatternHit hit : hits) {
      n += (hit.resp2 == null ? 0 : hit.resp2.readableBytes()) + (hit.resp3 == null ? 0 : hit.resp3.readableBytes());
    }
    return n;
  }

  /** Delivers this message alone; a frame from another loop is first copied once into this loop's memory. */
  void runRemote() {
    try {
      deliver(resp2, resp3, ws, fromOtherLoop);
    } finally {
      release();
    }
  }

  private void deliver(ByteBuf shared2, ByteBuf shared3, ByteBuf sharedWs, boolean copy) {
    long n = 0;
    ArrayList<ClientSession> subs = local.channels.get(key);
    if (subs != null && !subs.isEmpty()) {
      ByteBuf f2 = copy ? localCopy(shared2) : shared2;
      ByteBuf f3 = copy ? localCopy(shared3) : shared3;
      ByteBuf fWs = copy ? localCopy(sharedWs) : sharedWs;
      try {
        for (int i = 0; i < subs.size(); i++) {
          ClientSession s = subs.get(i);
          ByteBuf frame = pick(s.protocol(), f2, f3, fWs);
          s.deliver(frame != null
              ? frame.retainedDuplicate()
              : MessageFrames.message(s.channel().alloc(), s.protocol(), channel, payload));
          n++;
        }
      } finally {
        if (copy) {
          Broker.release(f2);
          Broker.release(f3);
          Broker.release(fWs);
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
    Broker.release(ws);
    for (PatternHit hit : hits) {
      hit.release();
    }
  }
}
