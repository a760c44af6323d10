package io.spillway.server.metrics;

import io.spillway.server.client.ClientRegistry;
import io.spillway.server.client.ClientSession;
import java.util.Arrays;
import java.util.List;

/**
 * One walk over every connected client per scrape: queued output bytes (total and largest) and clients by protocol.
 * Not thread-safe: {@link SpillwayMetrics} refreshes and reads it under its scrape lock.
 */
final class ClientCensus {

  /** Every protocol label, each exported (at 0 when no client speaks it). */
  static final List<String> PROTOCOLS = List.of("resp2", "resp3", "websocket");

  private final ClientRegistry clients;
  private final long[] byProtocol = new long[PROTOCOLS.size()];
  private long queuedBytes;
  private long largestQueuedBytes;

  ClientCensus(ClientRegistry clients) {
    this.clients = clients;
  }

  /**
   * The protocol label of {@code client}, one of {@link #PROTOCOLS}: the one place to change when a new kind of
   * client appears.
   */
  static String protocolLabel(ClientSession client) {
    return client.protocolName();
  }

  /** Walks the clients now; the figures are weakly consistent (each client's read a moment stale). */
  void refresh() {
    long total = 0;
    long largest = 0;
    Arrays.fill(byProtocol, 0);
    for (ClientSession c : clients.all()) {
      long queued = c.outbox().state().queuedBytes();
      total += queued;
      largest = Math.max(largest, queued);
      byProtocol[PROTOCOLS.indexOf(protocolLabel(c))]++;
    }
    queuedBytes = total;
    largestQueuedBytes = largest;
  }

  long queuedBytes() {
    return queuedBytes;
  }

  long largestQueuedBytes() {
    return largestQueuedBytes;
  }

  /** Clients counted under {@code protocol}, one of {@link #PROTOCOLS}. */
  long clients(String protocol) {
    return byProtocol[PROTOCOLS.indexOf(protocol)];
  }
}
