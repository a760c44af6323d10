package io.spillway.bench.fanout;

/**
 * A connection the server closed (or broke) while the run still needed it. Immutable; JSON-serialisable.
 *
 * @param role {@code subscriber} or {@code publisher}
 * @param id the subscriber's or publisher's number, from 0
 * @param afterSeconds when, counted from the start of publishing (negative: during set-up)
 * @param reason the last error text the server sent on it, or how it broke ({@code closed by server})
 */
record Disconnect(String role, int id, double afterSeconds, String reason) {}
