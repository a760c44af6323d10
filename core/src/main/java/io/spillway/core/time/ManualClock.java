package io.spillway.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NanoClock} that moves only when told to; for tests and simulations. Thread-safe. */
public final class ManualClock implements NanoClock {

  private final AtomicLong now;

  /** Starts at an arbitrary non-zero reading, so that code which treats 0 specially is exercised. */
  public ManualClock() {
    this(1_000_000_000L);
  }

  public ManualClock(long startNanos) {
    this.now = new AtomicLong(startNanos);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves the clock forward by {@code step}; a negative step is rejected, as a monotonic clock never goes back. */
  public ManualClock advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a monotonic clock cannot go back: " + step);
    }
    now.addAndGet(step.toNanos());
    return this;
  }
}
