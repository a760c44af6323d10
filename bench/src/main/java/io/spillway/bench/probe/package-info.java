/**
 * Resource use of a process, read from Linux's {@code /proc}: {@link io.spillway.bench.probe.ProcessProbe} reads
 * one sample; {@link io.spillway.bench.probe.ResourceMonitor} follows the server, the load generator and the
 * machine's CPU through a run (peak RSS, CPU seconds in the measured window, CPU used by anything else).
 */
package io.spillway.bench.probe;
