package io.spillway.bench.fanout;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Everything of one run that one event loop owns: its connections' handlers and the latency histograms its
 * subscribers share (the measured window's, and the current progress interval's). Only that loop touches them; other threads read them through {@link #snapshot}, which runs
 * on the loop. Handlers are added by the run's main thread before their channels are registered.
 */
final class LoopShard {

  /** Longest wait for a loop to answer a snapshot: 5 s (it answers in microseconds unless wedged). */
  static final long SNAPSHOT_TIMEOUT_SECONDS = 5;

  private final EventLoop loop;
  private final Histogram latency = new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
  private final Histogram intervalLatency =
      new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
  private final List<SubscriberHandler> subscribers = new ArrayList<>();
  private final List<PublisherHandler> publishers = new ArrayList<>();

  LoopShard(EventLoop loop) {
    this.loop = loop;
  }

  EventLoop loop() {
    return loop;
  }

  /** The histogram the subscribers of this loop record into; only the loop may write it. */
  Histogram latency() {
    return latency;
  }

  /** The histogram of the current progress interval; only the loop may write, read or reset it. */
  Histogram intervalLatency() {
    return intervalLatency;
  }

  void add(SubscriberHandler h) {
    subscribers.add(h);
  }

  void add(PublisherHandler h) {
    publishers.add(h);
  }

  /** Gives this loop's subscribers the run's times, on the loop; returns when done. */
  void armSubscribers(RunWindow window) throws InterruptedException {
    call(() -> {
      subscribers.forEach(h -> h.arm(window));
      return null;
    });
  }

  /** Starts this loop's publishers, on the loop; returns when they have started (or scheduled their start). */
  void startPublishers(RunWindow window) throws InterruptedException {
    call(() -> {
      publishers.forEach(h -> h.start(window));
      return null;
    });
  }

  /**
   * The counts of this loop's connections, read on the loop.
   *
   * @param published final per-[publisher][channel] counts for subscribers' missing-message figure, or null
   * @param withHistogram whether to copy the latency histogram (about 300 KB)
   */
  Snapshot snapshot(long[][] published, boolean withHistogram) throws InterruptedException {
    return call(() -> {
      List<SubscriberStats> subs = new ArrayList<>(subscribers.size());
      for (SubscriberHandler h : subscribers) {
        subs.add(h.snapshot(published));
      }
      List<PublisherStats> pubs = new ArrayList<>(publishers.size());
      for (PublisherHandler h : publishers) {
        pubs.add(h.snapshot());
      }
      return new Snapshot(subs, pubs, withHistogram ? latency.copy() : null);
    });
  }

  /**
   * Ends this loop's progress interval, on the loop: adds the interval's latencies to {@code into} and resets them,
   * and returns the loop's running totals. {@code into} belongs to the calling thread, which must not touch it
   * until this returns (the task's completion orders the writes before the caller's reads).
   */
  FanoutSampler.Totals takeInterval(Histogram into) throws InterruptedException {
    return call(() -> {
      into.add(intervalLatency);
      intervalLatency.reset();
      long published = 0;
      for (PublisherHandler h : publishers) {
        published += h.snapshot().sent();
      }
      long delivered = 0;
      long gaps = 0;
      for (SubscriberHandler h : subscribers) {
        SubscriberStats s = h.snapshot(null);
        delivered += s.delivered();
        gaps += s.skipped();
      }
      return new FanoutSampler.Totals(published, delivered, gaps);
    });
  }

  private <T> T call(Callable<T> task) throws InterruptedException {
    try {
      return loop.submit(task).get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("task on " + loop + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "event loop " + loop + " did not answer within " + SNAPSHOT_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** One loop's counts. Immutable but for the histogram, a copy owned by the reader. */
  record Snapshot(
      List<SubscriberStats> subscribers, List<PublisherStats> publishers, Histogram latency) {}
}
