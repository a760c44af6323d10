package io.spillway.server.cli;

import io.spillway.server.config.ServerConfig;

/**
 * The heap the configured budgets need: every client's output up to its hard limit, the subscription state up to
 * max-subscription-memory, and a base for the rest. The launcher sizes {@code -Xmx} from it ({@code spillway serve
 * --print-heap}), and {@code spillway serve} refuses to start in a JVM whose heap is smaller. Stateless; any thread.
 */
final class HeapBudget {

  /*
   * Design note. Queued output lives in direct buffers, but each queued message also holds heap (its outbox entry,
   * and the published arrays until every loop has encoded them), so the output worst case is counted on the heap in
   * full: an over-estimate for large messages, about right for small ones. The base covers what no budget counts:
   * loaded classes and Netty, the metrics, sessions, the HTTP layer's queues, and room for the collector to work in
   * (G1 needs free regions to copy into). With the defaults: 1 000 x 64 KiB + 64 MiB + 128 MiB = 255 MiB, the
   * launcher's former fixed -Xmx256m.
   */

  /** Heap for everything no budget counts: 128 MiB. */
  static final long BASE_BYTES = 128L << 20;

  private static final long MIB = 1L << 20;

  private HeapBudget() {}

  /**
   * The most output all clients together may queue: max-clients x the larger hard limit, or max-output-memory if that
   * is less (the outboxes never hold more than it).
   */
  static long outputBytes(ServerConfig c) {
    long hard = Math.max(
        c.subscriberLimits().hardLimit().toBytes(), c.normalLimits().hardLimit().toBytes());
    return Math.min(c.maxClients() * hard, c.maxOutputMemory().toBytes());
  }

  /** The heap {@code c}'s budgets need: output + max-subscription-memory + {@link #BASE_BYTES}. */
  static long requiredBytes(ServerConfig c) {
    return outputBytes(c) + c.maxSubscriptionMemory().toBytes() + BASE_BYTES;
  }

  /** {@link #requiredBytes} rounded up to whole MiB, as an {@code -Xmx} value ({@code 255m}). */
  static String xmx(ServerConfig c) {
    return (requiredBytes(c) + MIB - 1) / MIB + "m";
  }

  /** How the requirement is made up, in MiB, for messages. */
  static String breakdown(ServerConfig c) {
    return "output min(" + c.maxClients() + " clients x "
        + Math.max(
            c.subscriberLimits().hardLimit().toBytes(),
            c.normalLimits().hardLimit().toBytes())
        + " bytes, max-output-memory) (" + mib(outputBytes(c)) + ") + max-subscription-memory "
        + mib(c.maxSubscriptionMemory().toBytes()) + " + a base of " + mib(BASE_BYTES) + " = "
        + mib(requiredBytes(c));
  }

  /**
   * Why a JVM whose heap can grow to {@code maxHeapBytes} ({@link Runtime#maxMemory()}) cannot hold {@code c}'s
   * budgets, or null when it can.
   */
  static String refusal(ServerConfig c, long maxHeapBytes) {
    if (maxHeapBytes >= requiredBytes(c)) {
      return null;
    }
    return "the heap (" + mib(maxHeapBytes) + ") cannot hold the configured budgets: "
        + breakdown(c)
        + "; run with -Xmx" + xmx(c)
        + " (./spillway sets it from the budgets unless SPILLWAY_JAVA_OPTS gives -Xmx), or lower max-output-memory,"
        + " max-clients, the hard limits or max-subscription-memory";
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
  }
}
