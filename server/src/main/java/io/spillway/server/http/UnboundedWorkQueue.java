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
    return new Job() {
      @Override
      public Exchange exchange() {
        return e;
      }

      @Override
      public void success() {}

      @Override
      public void dropped() {}
    };
  }

  @Override
  public void describe(java.util.Map<String, Object> into) {
    into.put("admission", "off");
    into.put("queue_depth", queue.size());
  }
}
