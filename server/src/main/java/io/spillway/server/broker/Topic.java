package io.spillway.server.broker;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A channel or pattern with at least one subscriber: how many subscribers it has on each event loop, per protocol
 * version. Counts change only inside {@code ConcurrentHashMap.compute} on the broker's maps; publishers read them
 * from any thread.
 */
final class Topic {

  final String name;
  final byte[] nameBytes;
  /** Index {@code loop * 2 + (protocol == 3 ? 1 : 0)}. */
  private final AtomicIntegerArray counts;
  private volatile int total;

  Topic(String name, int loops) {
    this.name = name;
    this.nameBytes = Names.bytes(name);
    this.counts = new AtomicIntegerArray(loops * 2);
  }

  static int slot(int loop, int protocol) {
    return loop * 2 + (protocol == 3 ? 1 : 0);
  }

  /** Inside the map's compute only. */
  void add(int loop, int protocol, int delta) {
    counts.addAndGet(slot(loop, protocol), delta);
    total += delta;
  }

  int total() {
    return total;
  }

  int onLoop(int loop) {
    return counts.get(slot(loop, 2)) + counts.get(slot(loop, 3));
  }

  boolean anyWithProtocol(int protocol) {
    for (int loop = 0; loop < counts.length() / 2; loop++) {
      if (counts.get(slot(loop, protocol)) > 0) {
        return true;
      }
    }
    return false;
  }
}
