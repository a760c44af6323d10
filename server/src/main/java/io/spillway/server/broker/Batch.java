package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.outbox.SharedBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Messages one loop published during one batch of its work, for the subscribers on one target loop: filled by the
 * source loop, then run by the target loop (a task of its own, or inline when they are the same loop), then handed
 * back to the source for reuse.
 */
final class Batch implements Runnable {

  /*
   * Design notes.
   *
   * The batch holds references to the published byte arrays (immutable once decoded), not encoded frames: the target
   * loop encodes each run of consecutive messages to one topic once per frame kind in use on it, straight into one
   * buffer of the exact size, and every subscriber of that kind gets a reference to each message's range of it (an
   * outbox entry: a plain holder increment, no allocation, no atomic). So a message is encoded once per kind per loop
   * and never copied again in user space; a subscriber's consecutive messages sit side by side in memory and leave
   * in one range of one writev.
   *
   * The arrays are kept between uses (the target hands the batch back through the source's spare slot), so a
   * steady flow of publishes allocates nothing per message here.
   */

  /** Most messages in one run (one encoded buffer per kind). */
  static final int MAX_RUN = 1024;

  private static final int INITIAL = 64;

  private final Broker broker;
  private final IoLoop target;
  private final boolean crossLoop;
  private final AtomicReference<Batch> spare;
  private Topic[] topics = new Topic[INITIAL];
  private boolean[] patterns = new boolean[INITIAL];
  private byte[][] channels = new byte[INITIAL][];
  private byte[][] payloads = new byte[INITIAL][];
  private Subscriber[] skips = new Subscriber[INITIAL];
  private int size;
  private long bytes;

  Batch(Broker broker, IoLoop target, boolean crossLoop, AtomicReference<Batch> spare) {
    this.broker = broker;
    this.target = target;
    this.crossLoop = crossLoop;
    this.spare = spare;
  }

  void add(Topic topic, boolean pattern, byte[] channel, byte[] payload, Subscriber skip) {
    if (size == topics.length) {
      grow();
    }
    topics[size] = topic;
    patterns[size] = pattern;
    channels[size] = channel;
    payloads[size] = payload;
    skips[size] = skip;
    size++;
    long n = (long) channel.length + payload.length;
    bytes += n;
    if (topic.hold != null) {
      topic.hold.sent(target.index(), n);
    }
  }

  private void grow() {
    int n = topics.length * 2;
    topics = java.util.Arrays.copyOf(topics, n);
    patterns = java.util.Arrays.copyOf(patterns, n);
    channels = java.util.Arrays.copyOf(channels, n);
    payloads = java.util.Arrays.copyOf(payloads, n);
    skips = java.util.Arrays.copyOf(skips, n);
  }

  /** Bytes of messages held, for the target's backlog. */
  long bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  /** Delivers every message, on the target loop. */
  @Override
  public void run() {
    try {
      Scratch scratch = broker.scratch(target.index());
      int chunkBytes = broker.chunkBytes();
      for (int i = 0; i < size; ) {
        int end = runEnd(i, chunkBytes);
        try {
          deliverRun(scratch, i, end);
        } finally {
          released(i, end);
        }
        i = end;
      }
    } finally {
      finish();
    }
  }

  /** Drops every message undelivered (the target loop is shutting down). */
  void discard() {
    for (int m = 0; m < size; m++) {
      released(m, m + 1);
    }
    finish();
  }

  /** Messages {@code [start, end)}, a run to one topic, are out of flight: a {@code block} channel's publishers may go on. */
  private void released(int start, int end) {
    ChannelHold hold = topics[start].hold;
    if (hold == null) {
      return;
    }
    long n = 0;
    for (int m = start; m < end; m++) {
      n += channels[m].length + payloads[m].length;
    }
    hold.delivered(target.index(), n);
  }

  private void finish() {
    if (crossLoop) {
      target.backlogDelivered(bytes);
    }
    java.util.Arrays.fill(topics, 0, size, null);
    java.util.Arrays.fill(channels, 0, size, null);
    java.util.Arrays.fill(payloads, 0, size, null);
    java.util.Arrays.fill(skips, 0, size, null);
    size = 0;
    bytes = 0;
    spare.lazySet(this);
  }

  /** The end of the run of messages to the same topic that starts at {@code start}, at most a chunk's bytes. */
  private int runEnd(int start, int chunkBytes) {
    Topic topic = topics[start];
    boolean pattern = patterns[start];
    long runBytes = (long) channels[start].length + payloads[start].length;
    int end = start + 1;
    while (end < size
        && end - start < MAX_RUN
        && topics[end] == topic
        && patterns[end] == pattern) {
      runBytes += channels[end].length + payloads[end].length;
      if (runBytes > chunkBytes) {
        break;
      }
      end++;
    }
    return end;
  }

  private void deliverRun(Scratch scratch, int start, int end) {
    Topic topic = topics[start];
    boolean pattern = patterns[start];
    List<Subscriber> subs = topic.local(target.index());
    if (subs.isEmpty()) {
      return;
    }
    FrameEncoder[] encoders = broker.encoders();
    int kinds = 0;
    for (int s = 0; s < subs.size(); s++) {
      kinds |= 1 << subs.get(s).frameKind();
    }
    SharedBuffer[] frames = scratch.frames;
    try {
      for (int k = 0; k < encoders.length; k++) {
        if ((kinds & (1 << k)) != 0
            && (!pattern || encoders[k].patterns())
            && (!topic.shard || encoders[k].shardChannels())) {
          frames[k] = encode(
              encoders[k], topic, pattern, start, end, scratch.offsets[k], scratch.lengths[k]);
        }
      }
      boolean anySkip = false;
      for (int m = start; m < end; m++) {
        anySkip |= skips[m] != null;
      }
      int messages = end - start;
      long delivered = 0;
      for (int s = 0; s < subs.size(); s++) {
        Subscriber sub = subs.get(s);
        int k = sub.frameKind();
        SharedBuffer f = frames[k];
        if (f == null) {
          continue;
        }
        int[] offsets = scratch.offsets[k];
        int[] lengths = scratch.lengths[k];
        OutboxHandler outbox = sub.outbox();
        if (!anySkip) {
          // The whole run, side by side in one buffer: one entry, accepted or refused whole.
          int last = messages - 1;
          if (outbox.deliver(f, offsets[0], offsets[last] + lengths[last] - offsets[0], messages)) {
            delivered += messages;
          }
        } else {
          for (int m = start; m < end; m++) {
            if (skips[m] == sub) {
              continue;
            }
            if (!outbox.deliver(f, offsets[m - start], lengths[m - start])) {
              break;
            }
            delivered++;
          }
        }
        target.markForFlush(outbox);
      }
      target.addDelivered(delivered);
    } finally {
      for (int k = 0; k < frames.length; k++) {
        if (frames[k] != null) {
          frames[k].release();
          frames[k] = null;
        }
      }
    }
  }

  /** Encodes messages {@code [start, end)} into one buffer of the exact size; offsets and lengths go to the arrays. */
  private SharedBuffer encode(
      FrameEncoder e,
      Topic topic,
      boolean pattern,
      int start,
      int end,
      int[] offsets,
      int[] lengths) {
    int total = 0;
    for (int m = start; m < end; m++) {
      int n = pattern
          ? e.pmessageSize(topic.nameBytes, channels[m], payloads[m])
          : topic.shard
              ? e.smessageSize(channels[m], payloads[m])
              : e.messageSize(channels[m], payloads[m]);
      offsets[m - start] = total;
      lengths[m - start] = n;
      total += n;
    }
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(total, total);
    for (int m = start; m < end; m++) {
      if (pattern) {
        e.pmessage(buf, topic.nameBytes, channels[m], payloads[m]);
      } else if (topic.shard) {
        e.smessage(buf, channels[m], payloads[m]);
      } else {
        e.message(buf, channels[m], payloads[m]);
      }
    }
    int n = end - start;
    // Message boundaries are needed only to drop single messages out of a run (the lossy
    // strategies).
    boolean bounds = n > 1 && topic.tag.strategy().lossy();
    return new SharedBuffer(buf, topic.tag, bounds ? java.util.Arrays.copyOf(offsets, n) : null);
  }

  /** One loop's reusable arrays for {@link #deliverRun}; confined to that loop. */
  static final class Scratch {
    final SharedBuffer[] frames;
    final int[][] offsets;
    final int[][] lengths;

    Scratch(int kinds) {
      frames = new SharedBuffer[kinds];
      offsets = new int[kinds][MAX_RUN];
      lengths = new int[kinds][MAX_RUN];
    }
  }
}
