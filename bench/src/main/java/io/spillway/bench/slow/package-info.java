/**
 * The {@code slow-consumers} scenario: slow or stalled readers beside fast subscribers, measuring when the server
 * cuts the slow ones, what the fast ones lose and how their latency moves, and the server's memory against its
 * printed worst case. Blocking sockets, one thread per connection: the scenario is about a handful of readers.
 */
package io.spillway.bench.slow;
