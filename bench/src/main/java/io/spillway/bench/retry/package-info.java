/**
 * The {@code retry-storm} scenario: many callers against a shedding server, naive immediate retries against the
 * Java client with its retry budget; amplification read from the server's own metrics.
 */
package io.spillway.bench.retry;
