package io.spillway.server.broker;

import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.OverflowStrategy;
import io.spillway.server.outbox.ChannelTag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A channel, pattern or shard channel with at least one subscriber: how many it has on each event loop, and each loop's own list of
 * them. Counts change only inside {@code ConcurrentHashMap.compute} on the broker's maps, and publishers read them
 * from any thread; the list of loop {@code i} is touched by loop {@code i} only.
 */
final class Topic {

  final String name;
  final byte[] nameBytes;
  /** The channel as its messages' outbox entries name it, with its overflow strategy. */
  final ChannelTag tag;
  /** Whether this is a pattern (matched through the broker's PatternIndex) rather than a channel. */
  final boolean isPattern;
  /** For a {@code block} channel or pattern: its publishers' pushback; null for every other strategy. */
  final ChannelHold hold;
  /** Whether this is a shard channel (SSUBSCRIBE/SPUBLISH): its messages are {@code smessage} frames. */
  final boolean shard;

  private final AtomicIntegerArray perLoop;
  private final ArrayList<Subscriber>[] locals;
  private volatile int total;

  @SuppressWarnings({"unchecked", "rawtypes"})
  Topic(
      String name,
      int loops,
      ChannelPolicy policy,
      boolean pattern,
      boolean shard,
      long blockWindowBytes) {
    this.shard = shard;
    this.name = name;
    this.nameBytes = Names.bytes(name);
    this.tag = new ChannelTag(nameBytes, policy.strategy());
    this.isPattern = pattern;
    this.hold = policy.strategy() == OverflowStrategy.BLOCK
        ? new ChannelHold(blockWindowBytes, policy.maxBlock().toNanos(), loops)
        : null;
    this.perLoop = new AtomicIntegerArray(loops);
    this.locals = new ArrayList[loops];
    for (int i = 0; i < loops; i++) {
      locals[i] = new ArrayList<>(2);
    }
  }

  /** Inside the map's compute only: one writer at a time (the bin's lock), so the volatile update is safe. */
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void add(int loop, int delta) {
    perLoop.addAndGet(loop, delta);
    total += delta;
  }

  int total() {
    return total;
  }

  int onLoop(int loop) {
    return perLoop.get(loop);
  }

  /** The subscribers on {@code loop}; on that loop only. */
  List<Subscriber> local(int loop) {
    return locals[loop];
  }

  /** Removes {@code s} from its loop's list (order does not matter); on that loop only. */
  void removeLocal(int loop, Subscriber s) {
    ArrayList<Subscriber> list = locals[loop];
    int i = list.indexOf(s);
    if (i >= 0) {
      int last = list.size() - 1;
      list.set(i, list.get(last));
      list.remove(last);
    }
  }
}
