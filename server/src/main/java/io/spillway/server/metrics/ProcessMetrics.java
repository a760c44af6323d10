package io.spillway.server.metrics;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The process and JVM basics that cost nothing to read: the standard {@code process_*} names Prometheus's own
 * clients use, heap and non-heap in use, threads, and the direct memory Netty's allocator holds (where outboxes live).
 * Not the client library's JvmMetrics module; if that is ever added, drop the duplicates here.
 */
final class ProcessMetrics {

  private ProcessMetrics() {}

  static void register(PrometheusRegistry registry, long startedAtMillis) {
    GaugeWithCallback.builder()
        .name("process_start_time_seconds")
        .unit(Unit.SECONDS)
        .help("When the server started, in seconds since the Unix epoch")
        .callback(cb -> cb.call(Unit.millisToSeconds(startedAtMillis)))
        .register(registry);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      CounterWithCallback.builder()
          .name("process_cpu_seconds_total")
          .unit(Unit.SECONDS)
          .help("CPU time the process has used, user and system")
          .callback(cb -> cb.call(Unit.nanosToSeconds(Math.max(0, sun.getProcessCpuTime()))))
          .register(registry);
    }
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      GaugeWithCallback.builder()
          .name("process_open_fds")
          .help("Open file descriptors (each client connection holds one)")
          .callback(cb -> cb.call(unix.getOpenFileDescriptorCount()))
          .register(registry);
      GaugeWithCallback.builder()
          .name("process_max_fds")
          .help("The process's file-descriptor limit")
          .callback(cb -> cb.call(unix.getMaxFileDescriptorCount()))
          .register(registry);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    GaugeWithCallback.builder()
        .name("jvm_memory_used_bytes")
        .unit(Unit.BYTES)
        .help("JVM memory in use, by area")
        .labelNames("area")
        .callback(cb -> {
          cb.call(memory.getHeapMemoryUsage().getUsed(), "heap");
          cb.call(memory.getNonHeapMemoryUsage().getUsed(), "nonheap");
        })
        .register(registry);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    GaugeWithCallback.builder()
        .name("jvm_threads_current")
        .help("Live JVM threads")
        .callback(cb -> cb.call(threads.getThreadCount()))
        .register(registry);
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider netty) {
      GaugeWithCallback.builder()
          .name("spillway_netty_direct_memory_used_bytes")
          .unit(Unit.BYTES)
          .help("Direct memory held by Netty's default allocator, which holds queued output")
          .callback(cb -> cb.call(netty.metric().usedDirectMemory()))
          .register(registry);
    }
  }
}
