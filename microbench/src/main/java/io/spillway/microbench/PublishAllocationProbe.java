package io.spillway.microbench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated per delivered message per subscriber on the publish-to-outbox path, read from the JVM's per-thread
 * allocation counter around {@link PublishBenchmark#publishBurstToOutboxes} after a long warm-up: a check of JMH's
 * {@code -prof gc} figure that leaves out every harness allocation. Run with the same system properties as the
 * benchmark: {@code java -Dio.netty.leakDetection.level=disabled
 * -cp 'microbench/target/spillway-microbench.jar:microbench/target/lib/*'
 * io.spillway.microbench.PublishAllocationProbe}.
 */
public final class PublishAllocationProbe {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 20_000;

  private PublishAllocationProbe() {}

  public static void main(String[] args) throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    System.out.println("subscribers crossLoop bytes/message bytes/message/subscriber");
    for (boolean crossLoop : new boolean[] {false, true}) {
      for (int subscribers : new int[] {1, 100, 1000}) {
        PublishBenchmark b = new PublishBenchmark();
        b.subscribers = subscribers;
        b.crossLoop = crossLoop;
        b.payload = 128;
        b.setUp(true);
        for (int i = 0; i < WARM_UP; i++) {
          b.publishBurstToOutboxes();
        }
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED; i++) {
          b.publishBurstToOutboxes();
        }
        long bytes = mx.getThreadAllocatedBytes(thread) - before;
        double perMessage = bytes / (double) ((long) MEASURED * PublishBenchmark.BURST);
        System.out.printf(
            "%11d %9s %13.3f %24.4f%n",
            subscribers, crossLoop, perMessage, perMessage / subscribers);
        b.tearDown();
      }
    }
  }
}
