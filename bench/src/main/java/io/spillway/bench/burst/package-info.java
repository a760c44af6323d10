/**
 * The {@code burst} scenario: N keep-alive connections opened first, then, after an idle spell, one publish on each
 * at once; statuses and answer times (connecting excluded), admission on and off, repeated.
 */
package io.spillway.bench.burst;
