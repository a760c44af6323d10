package io.spillway.bench.slow;

import org.HdrHistogram.Histogram;

/**
 * What the fast subscribers saw, summed over them. Immutable once built by the run.
 *
 * @param published PUBLISHes written
 * @param delivered messages received, over all fast subscribers
 * @param lost messages a fast subscriber never received (each subscriber should get every one)
 * @param outOfOrder messages that arrived after a later one
 * @param disconnects fast subscribers the server closed
 * @param baseline latency (ns) of messages sent before the slow readers subscribed
 * @param withSlow latency (ns) of messages sent after
 */
record FastOutcome(
    long published,
    long delivered,
    long lost,
    long outOfOrder,
    int disconnects,
    Histogram baseline,
    Histogram withSlow) {}
