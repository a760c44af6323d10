package io.spillway.server.broker;

import io.spillway.server.client.ClientSession;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A channel or pattern with at least one subscriber: how many subscribers it has on each event loop, per protocol
 * (RESP2, RESP3, WebSocket). Counts change only inside {@code ConcurrentHashMap.compute} on the broker's maps;
 * publishers read them from any thread.
 */
final class Topic {

  /** Count slots per loop: RESP2, RESP3, WebSocket. */
  private static final int KINDS = 3;

  final String name;
  final byte[] nameBytes;
  /** Index {@code loop * KINDS + kind(protocol)}. */
  private final AtomicIntegerArray counts;
  private volatile int total;
  private volatile int webSockets;

  Topic(String name, int loops) {
    this.name = name;
    this.nameBytes = Names.bytes(name);
    this.counts = new AtomicIntegerArray(loops * KINDS);
  }

  static int slot(int loop, int protocol) {
    return loop * KINDS + (protocol == 3 ? 1 : protocol == ClientSession.WEBSOCKET ? 2 : 0);
  }

  /** Inside the map's compute only. */
  void add(int loop, int protocol, int delta) {
    counts.addAndGet(slot(loop, protocol), delta);
    total += delta;
    if (protocol == ClientSession.WEBSOCKET) {
      webSockets += delta;
    }
  }

  int total() {
    return total;
  }

  /** WebSocket subscribers on every loop together: one volatile read, so RESP-only publishes pay nothing more. */
  boolean anyWebSocket() {
    return webSockets > 0;
  }

  int onLoop(int loop) {
    int base = loop * KINDS;
    return counts.get(base) + counts.get(base + 1) + counts.get(base + 2);
  }

  boolean anyWithProtocol(int protocol) {
    for (int loop = 0; loop < counts.length() / KINDS; loop++) {
      if (counts.get(slot(loop, protocol)) > 0) {
        return true;
      }
    }
    return false;
  }
}
