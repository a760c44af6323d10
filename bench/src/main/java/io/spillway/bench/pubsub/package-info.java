/**
 * What the RESP pub/sub scenarios ({@code fanout}, {@code slow-consumers}) share on the wire: the header every
 * benchmark payload starts with ({@link io.spillway.bench.pubsub.PayloadHeader}), the per-stream order and loss
 * check a subscriber runs on it ({@link io.spillway.bench.pubsub.SequenceTracker}) and an open-loop publisher's
 * intended send times ({@link io.spillway.bench.pubsub.PublishSchedule}).
 */
package io.spillway.bench.pubsub;
