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
 * Everything of one run that one event loop owns: its connections' handlers and the latency histogram its
 * subscribers share. Only that loop touches them; other threads read them through {@link #snapshot}, which runs
 * on the loop. Handlers are added by the run's main thread before their channels are registered.
 */
final class LoopShard {

  /** Longest wait for a loop to answer a snapshot: 5 s (it answers in microseconds unless wedged). */
  static final long SNAPSHOT_TIMEOUT_SECONDS = 5;

  private final EventLoop loop;
  private final Histogram latency = new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
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

  private <T> T call(Callable<T> task) throws InterruptedException {
    try {
      return loop.submit(task).get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("task on " + loop + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("event loop " + loop + " did not answer within "
          + SNAPSHOT_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** One loop's counts. Immutable but for the histogram, a copy owned by the reader. */
  record Snapshot(List<SubscriberStats> subscribers, List<PublisherStats> publishers, Histogram latency) {}
}
