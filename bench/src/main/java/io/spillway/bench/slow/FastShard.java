package io.spillway.bench.slow;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * What one event loop owns of a run: its fast subscribers and the latency histograms they share (baseline, with
 * slow readers, and the current one-second interval). Only that loop writes them; the run's thread reads them
 * through {@link #snapshot}, which runs on the loop. Handlers are added by the run's thread before their channels
 * are registered; {@link #slowPhaseFrom} and {@link #startClosing} may be called from any thread.
 */
final class FastShard {

  /** Highest latency recorded: 60 s in ns; longer ones are recorded as 60 s. */
  static final long HIGHEST_LATENCY_NANOS = 60_000_000_000L;
  /** Longest wait for a loop to answer a snapshot: 5 s (it answers in microseconds unless wedged). */
  static final long SNAPSHOT_TIMEOUT_SECONDS = 5;

  private final EventLoop loop;
  private final List<FastSubscriberHandler> subscribers = new ArrayList<>();
  private final Histogram baseline = new Histogram(HIGHEST_LATENCY_NANOS, 3);
  private final Histogram withSlow = new Histogram(HIGHEST_LATENCY_NANOS, 3);
  private final Histogram interval = new Histogram(HIGHEST_LATENCY_NANOS, 3);
  private volatile long slowPhaseStart = Long.MAX_VALUE;
  private volatile boolean closing;

  FastShard(EventLoop loop) {
    this.loop = loop;
  }

  EventLoop loop() {
    return loop;
  }

  void add(FastSubscriberHandler h) {
    subscribers.add(h);
  }

  /** Messages stamped at or after {@code nanos} count as sent with the slow readers present. Any thread. */
  void slowPhaseFrom(long nanos) {
    slowPhaseStart = nanos;
  }

  /** Called before the run closes its connections, so that those closes are not counted as disconnects. */
  void startClosing() {
    closing = true;
  }

  boolean closing() {
    return closing;
  }

  /** Records one message's latency; on the loop. */
  void record(long sentNanos, long receivedNanos) {
    long latency = Math.min(Math.max(0, receivedNanos - sentNanos), HIGHEST_LATENCY_NANOS);
    (sentNanos < slowPhaseStart ? baseline : withSlow).recordValue(latency);
    interval.recordValue(latency);
  }

  /**
   * This loop's counts, read on the loop; the interval histogram is handed over and restarted.
   *
   * @param published the final number of messages published, for the missing figure, or -1 while running
   * @param withPhases whether to copy the baseline and with-slow histograms (a few hundred KB)
   */
  Snapshot snapshot(long published, boolean withPhases) throws InterruptedException {
    return call(() -> {
      long received = 0;
      long skipped = 0;
      long outOfOrder = 0;
      long missing = 0;
      List<String> disconnects = new ArrayList<>();
      for (FastSubscriberHandler h : subscribers) {
        received += h.received();
        skipped += h.skipped();
        outOfOrder += h.outOfOrder();
        missing += published < 0 ? 0 : h.missing(published);
        if (h.disconnect() != null) {
          disconnects.add(h.disconnect());
        }
      }
      Histogram i = interval.copy();
      interval.reset();
      return new Snapshot(
          received,
          skipped,
          outOfOrder,
          published < 0 ? -1 : missing,
          disconnects,
          i,
          withPhases ? baseline.copy() : null,
          withPhases ? withSlow.copy() : null);
    });
  }

  /** Runs {@code task} on this loop and waits for its result, at most {@link #SNAPSHOT_TIMEOUT_SECONDS}. */
  <T> T call(Callable<T> task) throws InterruptedException {
    try {
      return loop.submit(task).get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("task on " + loop + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "event loop " + loop + " did not answer within " + SNAPSHOT_TIMEOUT_SECONDS + " s", e);
    }
  }

  /**
   * One loop's counts. Immutable but for the histograms, copies owned by the reader.
   *
   * @param missing messages never received (gaps and tail), or -1 while publishing is not final
   * @param disconnects why the server closed each subscriber it closed
   * @param interval latencies recorded since the previous snapshot
   * @param baseline latencies of messages sent before the slow phase, or null
   * @param withSlow latencies of messages sent during it, or null
   */
  record Snapshot(
      long received,
      long skipped,
      long outOfOrder,
      long missing,
      List<String> disconnects,
      Histogram interval,
      Histogram baseline,
      Histogram withSlow) {}
}
