/**
 * {@code spillway bench}: open-loop and flat-out load against any RESP server (Spillway or redis-server), measured
 * with HdrHistogram. {@link io.spillway.bench.BenchMain} is the command line; each scenario lives in its own
 * package ({@code fanout}) and implements {@link io.spillway.bench.run.Scenario}.
 */
package io.spillway.bench;
