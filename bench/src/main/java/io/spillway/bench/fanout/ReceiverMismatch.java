package io.spillway.bench.fanout;

/**
 * A PUBLISH whose reply named another number of receivers than the channel has subscribers. Immutable;
 * JSON-serialisable.
 *
 * @param publisher the publisher's number
 * @param channel the channel's index
 * @param expected subscribers placed on the channel
 * @param actual receivers the server reported
 * @param afterSeconds when, from the start of publishing
 */
record ReceiverMismatch(
    int publisher, int channel, int expected, long actual, double afterSeconds) {}
