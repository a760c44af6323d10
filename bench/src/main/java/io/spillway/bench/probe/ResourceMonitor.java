package io.spillway.bench.probe;

import io.spillway.bench.report.Metric;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the resources of a run: the server's process (with {@code --server-pid}), the load generator's, and the
 * whole machine's CPU, so that CPU used by anything else during the measured window shows up as
 * {@code other_cpu_cores}. Not thread-safe: the run's main thread drives it, calling {@link #sample} about every
 * {@link #SAMPLE_INTERVAL_NANOS}.
 */
public final class ResourceMonitor {

  /** How often a run should sample: 100 ms, frequent enough to see the RSS peak of a 10 s run. */
  public static final long SAMPLE_INTERVAL_NANOS = 100_000_000L;
  /** CPU used by other processes, in cores, above which the figures are flagged as disturbed: 0.2. */
  static final double DISTURBED_OTHER_CORES = 0.2;

  private final ProcessUsageRecorder server;
  private final ProcessUsageRecorder loadgen;
  private final boolean machine;
  private long machineAtStart = -1;
  private long machineAtEnd = -1;
  private long windowNanos;

  /** @param server and {@code loadgen}: the processes to follow, or null; {@code machine}: follow /proc/stat */
  public ResourceMonitor(ProcessProbe server, ProcessProbe loadgen, boolean machine) {
    this.server = server == null ? null : new ProcessUsageRecorder(server, "server");
    this.loadgen = loadgen == null ? null : new ProcessUsageRecorder(loadgen, "loadgen");
    this.machine = machine && MachineCpuProbe.available();
  }

  public void sample() {
    if (server != null) {
      server.sample();
    }
    if (loadgen != null) {
      loadgen.sample();
    }
  }

  public void markWindowStart() {
    if (server != null) {
      server.markWindowStart();
    }
    if (loadgen != null) {
      loadgen.markWindowStart();
    }
    machineAtStart = machineBusy();
  }

  /** Ends a measured window that lasted {@code windowNanos}. */
  public void markWindowEnd(long windowNanos) {
    if (server != null) {
      server.markWindowEnd(windowNanos);
    }
    if (loadgen != null) {
      loadgen.markWindowEnd(windowNanos);
    }
    machineAtEnd = machineBusy();
    this.windowNanos = windowNanos;
  }

  private long machineBusy() {
    if (!machine) {
      return -1;
    }
    try {
      return MachineCpuProbe.busyNanos();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The processes' metrics, then {@code machine_cpu_cores} and {@code other_cpu_cores} where known. */
  public List<Metric> metrics() {
    List<Metric> out = new ArrayList<>();
    double own = 0;
    if (server != null) {
      out.addAll(server.metrics());
      own += cores(server.metrics(), "server_cpu_cores");
    }
    if (loadgen != null) {
      out.addAll(loadgen.metrics());
      own += cores(loadgen.metrics(), "loadgen_cpu_cores");
    }
    if (machineAtStart >= 0 && machineAtEnd >= 0 && windowNanos > 0) {
      double busy = (machineAtEnd - machineAtStart) / (double) windowNanos;
      out.add(Metric.neither("machine_cpu_cores", "cores", busy));
      if (loadgen != null) {
        out.add(Metric.lower("other_cpu_cores", "cores", Math.max(0, busy - own)));
      }
    }
    return out;
  }

  /** Sentences about what may have disturbed the figures: a process that exited, CPU used by others. */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    if (server != null && server.lostAt() != null) {
      out.add("server " + server.lostAt());
    }
    metrics().stream()
        .filter(m -> m.name().equals("other_cpu_cores") && m.value() > DISTURBED_OTHER_CORES)
        .findFirst()
        .ifPresent(m -> out.add(String.format(
            "other processes used %.2f cores during the measured window%s: the figures are disturbed",
            m.value(), server == null ? " (or the server, not watched: pass --server-pid)" : "")));
    return out;
  }

  private static double cores(List<Metric> metrics, String name) {
    return metrics.stream()
        .filter(m -> m.name().equals(name))
        .mapToDouble(Metric::value)
        .findFirst()
        .orElse(0);
  }
}
