/**
 * The {@code slow-consumers} scenario: slow or stalled readers beside fast subscribers, measuring when the server
 * cuts the slow ones, what the fast ones lose and how their latency moves, and the server's memory against its
 * printed worst case. The fast subscribers and the publisher are non-blocking, on the bench's event loops, so that
 * the scenario can flood (open loop at a high rate, or flat out within an in-flight window); the slow readers are
 * blocking sockets with a small receive buffer, one thread each: there are a handful of them.
 *
 * <p>With overflow strategies ({@code --channel-policy}), {@code StrategySweep} runs the
 * scenario once per strategy on its own channel; the slow readers then also read the server's notices and count
 * them against the sequence numbers they received ({@code SlowStreamAccount}).
 */
package io.spillway.bench.slow;
