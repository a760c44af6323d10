package io.spillway.bench.fanout;

/**
 * One subscriber's counts at a snapshot. Immutable.
 *
 * @param delivered messages of this run received over the whole run (warm-up and drain included)
 * @param deliveredInWindow those received inside the measured window
 * @param payloadBytesInWindow their payload bytes
 * @param outOfOrder messages whose sequence was below the next expected on their stream
 * @param skipped sequence numbers jumped over
 * @param missing sequence numbers of its channel never received, tail included; -1 while publishing is not final
 * @param foreign messages on its channel that were not this run's
 * @param errors error replies received
 * @param latencyClamped latencies above the histogram's range
 * @param disconnect how the server closed it, or null
 */
record SubscriberStats(
    int id,
    int channel,
    long delivered,
    long deliveredInWindow,
    long payloadBytesInWindow,
    long outOfOrder,
    long skipped,
    long missing,
    long foreign,
    long errors,
    long latencyClamped,
    Disconnect disconnect) {}
