package io.spillway.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool behind the admission queue: each thread takes the next request the queue releases, runs its route
 * and answers it. Thread-safe.
 */
final class HttpWorkers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpWorkers.class);

  private final WorkQueue queue;
  private final ApiRoutes routes;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  HttpWorkers(int count, WorkQueue queue, ApiRoutes routes) {
    this.queue = queue;
    this.routes = routes;
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(this::work, "spillway-http-worker-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  private void work() {
    while (!closed) {
      WorkQueue.Job job;
      try {
        job = queue.take(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (job != null) {
        run(job);
      }
    }
  }

  private void run(WorkQueue.Job job) {
    Exchange e = job.exchange();
    if (e.abandoned()) {
      // Its client is gone: publishing a message nobody will hear confirmed would only make a retry
      // a duplicate.
      job.ignore();
      e.answer(
          ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "client_gone", "not run"),
          false);
      return;
    }
    ApiResponse response;
    boolean ok = false;
    try {
      response = routes.run(e);
      ok = response.shedReason == null && response.status.code() < 500;
    } catch (InterruptedException interrupted) {
      response = ApiResponse.error(
          HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting_down", "the server is stopping");
    } catch (RuntimeException failure) {
      log.warn("HTTP {} failed", e.route.template, failure);
      response = ApiResponse.error(
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "internal_error",
          failure.getClass().getSimpleName());
    }
    if (ok) {
      job.success();
    } else {
      job.dropped();
    }
    e.answer(response, true);
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
