/**
 * The {@code slow-consumers} scenario: slow or stalled readers beside fast subscribers, measuring when the server
 * cuts the slow ones, what the fast ones lose and how their latency moves, and the server's memory against its
 * printed worst case. The fast subscribers and the publisher are non-blocking, on the bench's event loops, so that
 * the scenario can flood (open loop at a high rate, or flat out within an in-flight window); the slow readers are
 * blocking sockets with a small receive buffer, one thread each: there are a handful of them.
 */
package io.spillway.bench.slow;
