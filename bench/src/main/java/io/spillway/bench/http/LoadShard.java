package io.spillway.bench.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The share of the load one event loop generates: its connections, its part of the rate, its client backlog and
 * its tallies. Only that loop touches them; the generator's thread acts through {@link #call}, which runs a task
 * on the loop and waits for it (the task's completion is the happens-before edge), so counters are plain fields.
 */
final class LoadShard {

  /** How often due requests are moved into the backlog and sent: every 1 ms. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How long an answered request may stay unanswered beyond its deadline before it is abandoned: 5 s. */
  static final long RESPONSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** Pause before a closed connection is replaced: 50 ms. */
  static final long RECONNECT_DELAY_MILLIS = 50;
  /** Longest wait for the loop to run a task: 5 s (it answers in microseconds unless wedged). */
  static final long CALL_TIMEOUT_SECONDS = 5;

  /*
   * Design: a 1 ms tick turns the schedule into due requests. A due request goes into the bounded client backlog
   * (dropped and counted when it is full), and the backlog is drained, oldest first, onto idle connections, at
   * each tick and at each response. A request's latency is counted from its intended time, so time spent waiting
   * for a connection counts (no coordinated omission). A request whose deadline passed while it waited is not sent:
   * a client with a deadline gives up, and the request is counted as expired. The header carries what is left of
   * the deadline, as a client propagating its deadline would send it.
   *
   * Closed loop (calibration) skips the schedule: each idle connection, up to the concurrency, sends at once, its
   * intended time being its send time.
   */

  private enum Phase {
    IDLE,
    OPEN_LOOP,
    CLOSED_LOOP,
    DRAINING
  }

  private final EventLoop loop;
  private final LongSupplier clock;
  private final long deadlineNanos;
  private final ArrayDeque<HttpConnectionHandler> idle = new ArrayDeque<>();
  private final List<HttpConnectionHandler> connected = new ArrayList<>();
  private final ClientBacklog backlog;
  private Bootstrap bootstrap;
  private InetSocketAddress address;
  private ConnectionFactory factory;
  private boolean closing;
  private Phase phase = Phase.IDLE;
  private LoadWindow window;
  private OpenLoopSchedule schedule;
  private long nextRequest;
  private int concurrency;
  private int outstanding;
  private ScheduledFuture<?> ticker;
  private RequestTally measured = new RequestTally();
  private RequestTally interval = new RequestTally();
  private long reconnects;
  private long connectFailures;
  private String lastError;

  /** Makes the handler for a new connection of this shard. */
  interface ConnectionFactory {
    HttpConnectionHandler create(LoadShard shard);
  }

  LoadShard(EventLoop loop, LongSupplier clock, long deadlineNanos, int backlogCapacity) {
    this.loop = loop;
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
    this.backlog = new ClientBacklog(backlogCapacity);
  }

  EventLoop loop() {
    return loop;
  }

  /** Opens {@code count} connections; any thread. The futures complete when each is connected or failed. */
  List<ChannelFuture> connect(
      Bootstrap bootstrap, InetSocketAddress address, int count, ConnectionFactory f) {
    this.bootstrap = bootstrap;
    this.address = address;
    this.factory = f;
    List<ChannelFuture> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(open());
    }
    return futures;
  }

  private ChannelFuture open() {
    ChannelFuture f = bootstrap
        .clone()
        .handler(new HttpClientInitializer(factory.create(this)))
        .connect(address);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        connectFailures++;
        onError(done.cause());
      }
    });
    return f;
  }

  /** Starts an open-loop phase at {@code ratePerSecond}; on the loop. */
  void startOpenLoop(LoadWindow w, double ratePerSecond) {
    start(w, Phase.OPEN_LOOP);
    schedule = new OpenLoopSchedule(w.start(), ratePerSecond);
  }

  /** Starts a closed-loop phase keeping {@code concurrency} requests outstanding; on the loop. */
  void startClosedLoop(LoadWindow w, int concurrency) {
    start(w, Phase.CLOSED_LOOP);
    this.concurrency = concurrency;
  }

  private void start(LoadWindow w, Phase p) {
    window = w;
    phase = p;
    nextRequest = 0;
    measured = new RequestTally();
    interval = new RequestTally();
    ticker = loop.scheduleAtFixedRate(
        this::tick, Math.max(0, w.start() - clock.getAsLong()), TICK_NANOS, TimeUnit.NANOSECONDS);
  }

  void tick() {
    long now = clock.getAsLong();
    if (phase == Phase.OPEN_LOOP) {
      long due = schedule.dueBy(window.over(now) ? window.end() - 1 : now);
      for (; nextRequest < due; nextRequest++) {
        long intended = schedule.intendedNanos(nextRequest);
        RequestTally m = window.measures(intended) ? measured : null;
        count(m, t -> t.scheduled++);
        if (!backlog.offer(intended)) {
          count(m, t -> t.backlogDropped++);
        } else if (!idle.isEmpty()) {
          dispatch(
              now); // a free connection takes it now, before later due requests fill the backlog
        }
      }
    }
    if ((phase == Phase.OPEN_LOOP || phase == Phase.CLOSED_LOOP) && window.over(now)) {
      phase = Phase.DRAINING;
    }
    dispatch(now);
    abandonOverdue(now);
  }

  private void dispatch(long now) {
    if (phase == Phase.CLOSED_LOOP) {
      while (outstanding < concurrency && !idle.isEmpty()) {
        RequestTally m = window.measures(now) ? measured : null;
        count(m, t -> t.scheduled++);
        send(idle.poll(), now, now, m);
      }
      return;
    }
    while (!backlog.isEmpty() && !idle.isEmpty()) {
      long intended = backlog.poll();
      RequestTally m = window.measures(intended) ? measured : null;
      if (now - intended >= deadlineNanos) {
        count(m, t -> t.expired++);
        continue;
      }
      send(idle.poll(), intended, now, m);
    }
  }

  private void send(HttpConnectionHandler c, long intended, long now, RequestTally m) {
    outstanding++;
    count(m, t -> t.sent++);
    c.send(intended, now, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - (now - intended)));
  }

  private void abandonOverdue(long now) {
    for (HttpConnectionHandler c : List.copyOf(connected)) {
      if (c.outstanding() && now - c.intendedNanos() > deadlineNanos + RESPONSE_GRACE_NANOS) {
        abandon(c);
      }
    }
  }

  private void abandon(HttpConnectionHandler c) {
    outstanding--;
    count(window.measures(c.intendedNanos()) ? measured : null, t -> t.timeouts++);
    c.abandon();
  }

  void onConnected(HttpConnectionHandler c) {
    if (closing) {
      c.close();
      return;
    }
    connected.add(c);
    idle.add(c);
    if (window != null) {
      dispatch(clock.getAsLong());
    }
  }

  void onResponse(HttpConnectionHandler c, int status, String shedHeader, long receivers) {
    long now = clock.getAsLong();
    outstanding--;
    long latency = now - c.intendedNanos();
    if (window.measures(c.intendedNanos())) {
      measured.response(status, shedHeader, latency, deadlineNanos, receivers);
    }
    interval.response(status, shedHeader, latency, deadlineNanos, receivers);
    idle.add(c);
    dispatch(now);
  }

  void onClosed(HttpConnectionHandler c, boolean lostRequest) {
    connected.remove(c);
    idle.remove(c);
    if (lostRequest) {
      outstanding--;
      count(
          window != null && window.measures(c.intendedNanos()) ? measured : null, t -> t.errors++);
    }
    if (!closing) {
      reconnects++;
      loop.schedule(
          () -> {
            if (!closing) {
              open();
            }
          },
          RECONNECT_DELAY_MILLIS,
          TimeUnit.MILLISECONDS);
    }
  }

  void onError(Throwable cause) {
    lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** Applies {@code f} to the interval tally and, when not null, the measured one. */
  private void count(RequestTally m, java.util.function.Consumer<RequestTally> f) {
    f.accept(interval);
    if (m != null) {
      f.accept(m);
    }
  }

  /** The interval's tally since the last call, and the current queue state; resets the interval. On the loop. */
  IntervalSnapshot takeInterval() {
    IntervalSnapshot s =
        new IntervalSnapshot(interval, backlog.size(), outstanding, connected.size());
    interval = new RequestTally();
    return s;
  }

  /** True when the phase ended, nothing waits in the backlog and no request is outstanding. On the loop. */
  boolean drained() {
    return phase == Phase.DRAINING && backlog.isEmpty() && outstanding == 0;
  }

  /**
   * Ends the phase: what still waits in the backlog counts as expired, what is outstanding as timed out (its
   * connection is closed and replaced). Returns the measured tally. On the loop.
   */
  RequestTally finish() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    while (!backlog.isEmpty()) {
      long intended = backlog.poll();
      count(window.measures(intended) ? measured : null, t -> t.expired++);
    }
    for (HttpConnectionHandler c : List.copyOf(connected)) {
      if (c.outstanding()) {
        abandon(c);
      }
    }
    phase = Phase.IDLE;
    return measured;
  }

  long reconnects() {
    return reconnects;
  }

  /** Connections (first or replacement) that could not be opened; the pool is that much smaller. */
  long connectFailures() {
    return connectFailures;
  }

  String lastError() {
    return lastError;
  }

  int connectedCount() {
    return connected.size();
  }

  /** Closes every connection for good. On the loop. */
  void closeAll() {
    closing = true;
    if (ticker != null) {
      ticker.cancel(false);
    }
    List.copyOf(connected).forEach(HttpConnectionHandler::close);
  }

  /** Runs {@code task} on the loop and returns its result. */
  <T> T call(Callable<T> task) throws InterruptedException {
    try {
      return loop.submit(task).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("load shard task failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "event loop did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** One interval of one shard: what became of requests, and what waits. */
  record IntervalSnapshot(RequestTally tally, int backlog, int outstanding, int connections) {}
}
