package io.spillway.server.http;

import io.netty.channel.EventLoop;
import io.spillway.core.admission.Priority;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One API request on its way through admission: created on the connection's event loop with everything a worker
 * needs copied out of Netty's buffers, queued, run by a worker (or shed), and answered exactly once — the answer
 * is handed back to the event loop, which writes responses in request order. Thread-safe where stated.
 */
final class Exchange {

  final Route route;
  final String clientKey;
  /** The channel name of a publish: the bytes its percent-escapes stand for; null for other routes. */
  final byte[] channel;
  /** The body of a publish; null for other routes. */
  final byte[] body;

  final Priority priority;
  final long arrivalNanos;
  final long deadlineNanos;
  final EventLoop loop;
  private final BiConsumer<Exchange, Answer> answerOnLoop;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile boolean abandoned;
  /** Event loop only: whether the client asked to keep the connection open after this response. */
  boolean keepAlive = true;
  /** Event loop only: headers every response to this request carries (the RateLimit-* ones). */
  java.util.List<String[]> extraHeaders = java.util.List.of();
  /** Event loop only: the CORS headers every response to this request carries. */
  java.util.List<String[]> cors = java.util.List.of();
  /** Event loop only: the answer, once given, waiting for the requests ahead of it to be answered. */
  Answer result;

  /** A request answered on the event loop as soon as it is read (health, errors): no route work, no admission. */
  static Exchange immediate(
      Route route, long arrivalNanos, EventLoop loop, BiConsumer<Exchange, Answer> answerOnLoop) {
    return new Exchange(
        route, null, null, null, null, arrivalNanos, arrivalNanos, loop, answerOnLoop);
  }

  /** A response and whether a worker ran the request to produce it. */
  static final class Answer {
    final ApiResponse response;
    final boolean admitted;

    Answer(ApiResponse response, boolean admitted) {
      this.response = response;
      this.admitted = admitted;
    }
  }

  Exchange(
      Route route,
      String clientKey,
      byte[] channel,
      byte[] body,
      Priority priority,
      long arrivalNanos,
      long deadlineNanos,
      EventLoop loop,
      BiConsumer<Exchange, Answer> answerOnLoop) {
    this.route = route;
    this.clientKey = clientKey;
    this.channel = channel;
    this.body = body;
    this.priority = priority;
    this.arrivalNanos = arrivalNanos;
    this.deadlineNanos = deadlineNanos;
    this.loop = loop;
    this.answerOnLoop = answerOnLoop;
  }

  /**
   * Answers this request, once; later calls are ignored and return false. Any thread: the response is written by the
   * connection's event loop.
   */
  boolean answer(ApiResponse response, boolean admitted) {
    if (!answered.compareAndSet(false, true)) {
      return false;
    }
    Answer a = new Answer(response, admitted);
    if (loop.inEventLoop()) {
      answerOnLoop.accept(this, a);
    } else {
      loop.execute(() -> answerOnLoop.accept(this, a));
    }
    return true;
  }

  /** The client's connection closed before the answer: a worker that has not started it skips it. Any thread. */
  void abandon() {
    abandoned = true;
  }

  boolean abandoned() {
    return abandoned;
  }
}
