package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** A pattern that matched one published channel, with its pmessage frames. Used by one publish only. */
final class PatternHit {

  static final PatternHit[] NONE = new PatternHit[0];

  final Topic topic;
  ByteBuf resp2;
  ByteBuf resp3;

  PatternHit(Topic topic) {
    this.topic = topic;
  }

  void encode(ByteBufAllocator alloc, byte[] channel, byte[] payload) {
    if (topic.anyWithProtocol(2)) {
      resp2 = MessageFrames.pmessage(alloc, 2, topic.nameBytes, channel, payload);
    }
    if (topic.anyWithProtocol(3)) {
      resp3 = MessageFrames.pmessage(alloc, 3, topic.nameBytes, channel, payload);
    }
  }

  void retain() {
    if (resp2 != null) {
      resp2.retain();
    }
    if (resp3 != null) {
      resp3.retain();
    }
  }

  void release() {
    Broker.release(resp2);
    Broker.release(resp3);
  }

  static boolean anyOnLoop(PatternHit[] hits, int loop) {
    for (PatternHit hit : hits) {
      if (hit.topic.onLoop(loop) > 0) {
        return true;
      }
    }
    return false;
  }
}
