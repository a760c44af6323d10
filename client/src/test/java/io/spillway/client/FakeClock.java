package io.spillway.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A clock that moves only when told. */
final class FakeClock implements LongSupplier {
  private volatile long now = 1_000_000_000L;

  @Override
  public long getAsLong() {
    return now;
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // the test thread is the one writer
  void advance(Duration d) {
    now += d.toNanos();
  }
}
