package io.spillway.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.spillway.core.admission.Admission;
import io.spillway.core.admission.AdmissionController;
import io.spillway.core.admission.Permit;
import io.spillway.core.admission.Priority;
import io.spillway.core.admission.ShedReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admission controller as the HTTP port's work queue: it decides, this answers. A shed is answered at once,
 * without waiting behind any work: 503 + Retry-After for a full queue, a class's share used up, the adaptive limit or
 * CoDel; 504 for a deadline that passed (or could not be met) while queued; and the rate limiter's 429 is counted
 * here too. Thread-safe.
 */
final class AdmissionWorkQueue implements WorkQueue {

  private final AdmissionController<Exchange> controller;

  AdmissionWorkQueue(
      java.util.function.Function<
              io.spillway.core.admission.ShedListener<Exchange>, AdmissionController<Exchange>>
          factory) {
    this.controller = factory.apply(AdmissionWorkQueue::answerShed);
  }

  AdmissionController<Exchange> controller() {
    return controller;
  }

  @Override
  public void submit(Exchange exchange) {
    Admission<Exchange> a = controller.offer(exchange, exchange.priority, exchange.deadlineNanos);
    if (!a.admitted()) {
      answerShed(exchange, a.reason(), a.retryAfterSeconds());
    }
  }

  @Override
  public void rateLimited() {
    controller.recordShed(ShedReason.RATE_LIMITED);
  }

  static void answerShed(Exchange e, ShedReason reason, long retryAfterSeconds) {
    e.answer(response(reason, retryAfterSeconds), false);
  }

  static ApiResponse response(ShedReason reason, long retryAfterSeconds) {
    switch (reason) {
      case DEADLINE:
        return ApiResponse.shed(
            HttpResponseStatus.GATEWAY_TIMEOUT,
            reason.label(),
            retryAfterSeconds,
            "the request's deadline passed, or could not be met, before a worker was free; it was not run");
      case RATE_LIMITED:
        return ApiResponse.shed(
            HttpResponseStatus.TOO_MANY_REQUESTS,
            reason.label(),
            retryAfterSeconds,
            "rate limit exceeded");
      case QUEUE_FULL:
        return ApiResponse.shed(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            reason.label(),
            retryAfterSeconds,
            "the request queue is full");
      case PRIORITY:
        return ApiResponse.shed(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            reason.label(),
            retryAfterSeconds,
            "the queue's share for this priority is used up; higher priorities go first");
      case CONCURRENCY_LIMIT:
        return ApiResponse.shed(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            reason.label(),
            retryAfterSeconds,
            "the adaptive concurrency limit is reached");
      case CODEL:
        return ApiResponse.shed(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            reason.label(),
            retryAfterSeconds,
            "the request waited longer than the congested queue allows (CoDel)");
      default:
        throw new IllegalStateException("unknown shed reason " + reason);
    }
  }

  @Override
  public Job take(long timeout, TimeUnit unit) throws InterruptedException {
    Permit<Exchange> p = controller.take(timeout, unit);
    if (p == null) {
      return null;
    }
    return new Job() {
      @Override
      public Exchange exchange() {
        return p.job();
      }

      @Override
      public void success() {
        p.success();
      }

      @Override
      public void dropped() {
        p.dropped();
      }

      @Override
      public void ignore() {
        p.ignore();
      }
    };
  }

  @Override
  public int depth() {
    return controller.queueDepth();
  }

  @Override
  public int capacity() {
    return controller.queueCapacity();
  }

  @Override
  public int inFlight() {
    return controller.inFlight();
  }

  @Override
  public int limit() {
    return controller.limit();
  }

  @Override
  public double drainRatePerSecond() {
    return controller.drainRatePerSecond();
  }

  @Override
  public long shed(String reasonLabel) {
    for (ShedReason r : ShedReason.values()) {
      if (r.label().equals(reasonLabel)) {
        return controller.shed(r);
      }
    }
    return 0;
  }

  @Override
  public void describe(Map<String, Object> into) {
    into.put("admission", "on");
    into.put("queue_depth", controller.queueDepth());
    into.put("queue_capacity", controller.queueCapacity());
    Map<String, Object> byPriority = new LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      byPriority.put(p.name().toLowerCase(java.util.Locale.ROOT), controller.queueDepth(p));
    }
    into.put("queue_depth_by_priority", byPriority);
    into.put("in_flight", controller.inFlight());
    into.put("concurrency_limit", controller.limit());
    into.put("drain_rate_per_second", Math.round(controller.drainRatePerSecond() * 10) / 10.0);
    into.put("service_time_ms", Math.round(controller.serviceTimeNanos() / 1e4) / 100.0);
    into.put(
        "expected_wait_ms",
        Math.round(controller.expectedWaitNanos(Priority.NORMAL) / 1e4) / 100.0);
    into.put("congested", controller.congested());
    into.put("shedding", controller.shedding());
    into.put("admitted", controller.admitted());
    into.put("completed", controller.completed());
    Map<String, Object> sheds = new LinkedHashMap<>();
    for (ShedReason r : ShedReason.values()) {
      sheds.put(r.label(), controller.shed(r));
    }
    into.put("shed", sheds);
  }
}
