package io.spillway.core.flow;

import io.spillway.core.time.NanoClock;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts pushback episodes and their total length: how often publishers were paused and for how long. Thread-safe:
 * each episode is begun and ended by the thread of its publisher.
 */
public final class PauseTally {

  private final NanoClock clock;
  private final LongAdder episodes = new LongAdder();
  private final LongAdder pausedNanos = new LongAdder();

  public PauseTally(NanoClock clock) {
    this.clock = clock;
  }

  /** A publisher is paused; returns the start, to pass to {@link #end}. */
  public long begin() {
    episodes.increment();
    return clock.nanoTime();
  }

  /** The episode begun at {@code startNanos} is over. */
  public void end(long startNanos) {
    pausedNanos.add(Math.max(0, clock.nanoTime() - startNanos));
  }

  /** Episodes begun so far. */
  public long episodes() {
    return episodes.sum();
  }

  /** Total length of the episodes ended so far, in nanoseconds. */
  public long pausedNanos() {
    return pausedNanos.sum();
  }
}
