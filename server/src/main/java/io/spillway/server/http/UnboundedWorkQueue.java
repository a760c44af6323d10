package io.spillway.server.http;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Admission off ({@code http-admission: off}): an unbounded FIFO in front of the workers, nothing shed, no deadline
 * enforced while queued — what Tomcat and most thread-pool servers ship. It exists so that a comparison run can show
 * what the admission controller buys; it is the one unbounded queue in Spillway and is never the default.
 */
final class UnboundedWorkQueue implements WorkQueue {

  private final LinkedBlockingQueue<Exchange> queue = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final int workers;

  UnboundedWorkQueue(int workers) {
    this.workers = workers;
  }

  @Override
  public void submit(Exchange exchange) {
    queue.add(exchange);
  }

  @Override
  public void rateLimited() {}

  @Override
  public Job take(long timeout, TimeUnit unit) throws InterruptedException {
    Exchange e = queue.poll(timeout, unit);
    if (e == null) {
      return null;
    }
    inFlight.incrementAndGet();
    return new Job() {
      @Override
      public Exchange exchange() {
        return e;
      }

      @Override
      public void success() {
        inFlight.decrementAndGet();
      }

      @Override
      public void dropped() {
        inFlight.decrementAndGet();
      }

      @Override
      public void ignore() {
        inFlight.decrementAndGet();
      }
    };
  }

  @Override
  public int depth() {
    return queue.size();
  }

  @Override
  public int capacity() {
    return Integer.MAX_VALUE;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public int limit() {
    return workers;
  }

  /** Not measured: nothing here uses it. */
  @Override
  public double drainRatePerSecond() {
    return 0;
  }

  @Override
  public long shed(String reasonLabel) {
    return 0;
  }

  @Override
  public void describe(java.util.Map<String, Object> into) {
    into.put("admission", "off");
    into.put("queue_depth", queue.size());
  }
}
