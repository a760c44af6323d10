/**
 * The {@code fanout} scenario: P publishers PUBLISH to C channels with S subscribers spread over them, flat out
 * within an in-flight window or open loop at a fixed rate; subscribers check order and loss from sequence numbers
 * in the payload and record end-to-end latency from the intended send time.
 */
package io.spillway.bench.fanout;
