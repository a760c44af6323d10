package io.spillway.bench.fanout;

import java.util.List;

/**
 * One publisher's counts at a snapshot. Immutable.
 *
 * @param published PUBLISHes sent per channel (the next sequence number of each stream)
 * @param sent PUBLISHes sent
 * @param sentInWindow those sent inside the measured window
 * @param acked integer replies received
 * @param inflight PUBLISHes sent and not yet replied to
 * @param receivers sum of the replies' receiver counts: the deliveries the server promised
 * @param mismatches replies whose receiver count differed from the channel's subscribers
 * @param mismatchSamples the first of those
 * @param errors error replies to PUBLISH
 * @param lastError the last error text, or null
 * @param late open loop: sends more than {@link io.spillway.bench.pubsub.PipelinedPublisher#LATE_AFTER_NANOS} after their intended time
 * @param unsent open loop: messages whose intended time fell inside the run but that were never sent, the window
 *     being full until the end
 * @param unexpectedReplies replies with no PUBLISH waiting for them, or of an unexpected type
 * @param stopped true once the publisher has stopped sending (window over, or connection closed)
 * @param disconnect how the server closed it, or null
 */
@SuppressWarnings("ArrayRecordComponent") // a snapshot that is read, never compared or hashed
record PublisherStats(
    int id,
    long[] published,
    long sent,
    long sentInWindow,
    long acked,
    int inflight,
    long receivers,
    long mismatches,
    List<ReceiverMismatch> mismatchSamples,
    long errors,
    String lastError,
    long late,
    long unsent,
    long unexpectedReplies,
    boolean stopped,
    Disconnect disconnect) {}
