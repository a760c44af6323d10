package io.spillway.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.spillway.core.time.NanoClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The dashboard's live data: once a second, one snapshot of the server (the figures {@code /v1/stats} and {@code
 * /v1/clients} give, read by the same code, plus the output budget, the admission p99 and the slowest clients),
 * encoded once as a Server-Sent Event and written to every viewer that is keeping up. Thread-safe: the tick runs on
 * one event loop; viewers register from their own.
 */
final class DashboardFeed implements AutoCloseable {

  /*
   * Design note: bounded per viewer and in total. At most MAX_VIEWERS streams at once (a viewer over that is answered
   * 503), each counted against http-max-connections like any connection. Each stream's channel has a small write
   * buffer water mark; a viewer whose channel is not writable at a tick is skipped (it gets the next snapshot it has
   * room for: snapshots are cumulative, so a skipped one loses nothing but resolution), and one that has not been
   * writable for STALLED_NANOS is closed. So a viewer that stops reading holds at most the high water mark plus one
   * event, and for a bounded time. The slow-client table lists at most TABLE_ROWS clients, those with the most
   * queued bytes (a client with nothing queued is not slow), so an event stays a few kilobytes whatever the number
   * of clients.
   *
   * The admission p99 is over the last P99_WINDOW_SECONDS of admitted API requests, queueing included: an
   * HdrHistogram Recorder fed by requestCompleted (wait-free for the recording event loops), folded once a second.
   */

  /** Concurrent dashboard streams; more are answered 503. */
  static final int MAX_VIEWERS = 8;
  /** Rows of the slow-client table: the clients with the most queued output bytes. */
  static final int TABLE_ROWS = 20;
  /** How often a snapshot is sent. */
  static final long PERIOD_MILLIS = 1000;
  /** A viewer whose stream has not been writable this long is closed. */
  static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(15);
  /** Seconds of requests the admission p99 covers. */
  static final int P99_WINDOW_SECONDS = 10;

  private final ApiRoutes routes;
  private final NanoClock clock;
  private final long budgetBytes;
  private final Map<Channel, Long> viewers = new ConcurrentHashMap<>();
  private final AtomicInteger viewerSlots = new AtomicInteger();
  private final Recorder latency = new Recorder(3);
  private final Histogram[] seconds = new Histogram[P99_WINDOW_SECONDS];
  private int second;
  private final ScheduledFuture<?> ticker;
  private volatile byte[] lastEvent;

  /** A feed that ticks on one of {@code group}'s loops; with a null group, only when {@link #tick()} is called. */
  DashboardFeed(ApiRoutes routes, NanoClock clock, long budgetBytes, EventLoopGroup group) {
    this.routes = routes;
    this.clock = clock;
    this.budgetBytes = budgetBytes;
    this.ticker = group == null
        ? null
        : group
            .next()
            .scheduleAtFixedRate(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** {@code next}, also feeding the admission p99 from every completed request. */
  HttpObserver observing(HttpObserver next) {
    return new HttpObserver() {
      @Override
      public void requestCompleted(String route, int status, long latencyNanos, boolean admitted) {
        DashboardFeed.this.requestCompleted(latencyNanos, admitted);
        next.requestCompleted(route, status, latencyNanos, admitted);
      }

      @Override
      public void connectionOpened() {
        next.connectionOpened();
      }

      @Override
      public void connectionClosed() {
        next.connectionClosed();
      }

      @Override
      public void connectionRejected() {
        next.connectionRejected();
      }
    };
  }

  /** Records an admitted API request's duration, queueing included. Any thread. */
  void requestCompleted(long nanos, boolean admitted) {
    if (admitted) {
      latency.recordValue(Math.max(1, nanos));
    }
  }

  /** Reserves a viewer slot; false when {@link #MAX_VIEWERS} are watching. Any thread. */
  boolean tryReserve() {
    for (; ; ) {
      int n = viewerSlots.get();
      if (n >= MAX_VIEWERS) {
        return false;
      }
      if (viewerSlots.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot reserved by {@link #tryReserve()} and not used. */
  void release() {
    viewerSlots.decrementAndGet();
  }

  /** Starts streaming to {@code ch} (its slot reserved): it gets a snapshot at once, then one a second. */
  void add(Channel ch) {
    viewers.put(ch, clock.nanoTime());
    ch.closeFuture().addListener(f -> {
      if (viewers.remove(ch) != null) {
        viewerSlots.decrementAndGet();
      }
    });
    byte[] event = lastEvent;
    send(ch, event != null ? event : event(snapshot()));
  }

  /** Viewers streaming now. */
  int viewers() {
    return viewers.size();
  }

  /** Sends one snapshot to every viewer keeping up and closes stalled ones; the ticker's task, and tests'. */
  void tick() {
    Histogram interval = latency.getIntervalHistogram();
    seconds[second] = interval;
    second = (second + 1) % seconds.length;
    if (viewers.isEmpty()) {
      lastEvent = null;
      return;
    }
    byte[] event = event(snapshot());
    lastEvent = event;
    long now = clock.nanoTime();
    for (Map.Entry<Channel, Long> v : viewers.entrySet()) {
      Channel ch = v.getKey();
      if (ch.isWritable()) {
        v.setValue(now);
        send(ch, event);
      } else if (now - v.getValue() > STALLED_NANOS) {
        ch.close();
      }
    }
  }

  private static void send(Channel ch, byte[] event) {
    ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)), ch.voidPromise());
  }

  private static byte[] event(Map<String, Object> snapshot) {
    byte[] json = Json.bytes(snapshot);
    byte[] head = "event: snapshot\ndata: ".getBytes(StandardCharsets.US_ASCII);
    byte[] event = new byte[head.length + json.length + 2];
    System.arraycopy(head, 0, event, 0, head.length);
    System.arraycopy(json, 0, event, head.length, json.length);
    event[event.length - 2] = '\n';
    event[event.length - 1] = '\n';
    return event;
  }

  /** The snapshot a viewer is sent: /v1/stats's figures plus the budget, the p99 and the slow-client table. */
  Map<String, Object> snapshot() {
    Map<String, Object> stats = routes.stats();
    stats.put("time_ms", System.currentTimeMillis());
    stats.put("output_budget_bytes", budgetBytes);
    stats.put("admission_p99_ms", p99Millis());
    stats.put("slow_clients", slowest());
    return stats;
  }

  private double p99Millis() {
    Histogram sum = new Histogram(3);
    for (Histogram h : seconds) {
      if (h != null) {
        sum.add(h);
      }
    }
    return sum.getTotalCount() == 0 ? 0 : Math.round(sum.getValueAtPercentile(99) / 1e4) / 100.0;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> slowest() {
    List<Map<String, Object>> all = (List<Map<String, Object>>) routes.clients().get("clients");
    List<Map<String, Object>> sorted = new ArrayList<>();
    for (Map<String, Object> c : all) {
      if (((Number) c.get("queued_bytes")).longValue() > 0) {
        sorted.add(c);
      }
    }
    sorted.sort(Comparator.comparingLong(
            (Map<String, Object> c) -> ((Number) c.get("queued_bytes")).longValue())
        .reversed()
        .thenComparingLong(c -> ((Number) c.get("id")).longValue()));
    List<Map<String, Object>> top =
        new ArrayList<>(sorted.subList(0, Math.min(TABLE_ROWS, sorted.size())));
    for (Map<String, Object> c : top) {
      c.put("strategy", "disconnect");
    }
    return top;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    for (Channel ch : viewers.keySet()) {
      ch.close();
    }
  }
}
