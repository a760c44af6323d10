package io.spillway.bench.probe;

/**
 * One reading of a process' resources. Immutable.
 *
 * @param rssBytes resident set size now ({@code VmRSS})
 * @param cpuNanos user plus system CPU time used since the process started
 */
public record ProcessSample(long rssBytes, long cpuNanos) {}
