package io.spillway.core.admission;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The controller's cumulative counts, written and read without its lock so that {@code recordShed} and metric
 * scrapes never wait. Thread-safe.
 */
@SuppressWarnings(
    "EnumOrdinal") // ShedReason's ordinal indexes the counter array; never stored or compared
final class AdmissionCounters {

  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLongArray shed = new AtomicLongArray(ShedReason.values().length);
  private final AtomicLong lastShedNanos = new AtomicLong();
  private volatile boolean everShed;

  void admitted() {
    admitted.incrementAndGet();
  }

  void completed() {
    completed.incrementAndGet();
  }

  void shed(ShedReason reason, long nowNanos) {
    shed.incrementAndGet(reason.ordinal());
    lastShedNanos.set(nowNanos);
    everShed = true;
  }

  long admittedCount() {
    return admitted.get();
  }

  long completedCount() {
    return completed.get();
  }

  long shedCount(ShedReason reason) {
    return shed.get(reason.ordinal());
  }

  /** True if anything was shed less than {@code holdNanos} before {@code nowNanos}. */
  boolean shedWithin(long nowNanos, long holdNanos) {
    return everShed && nowNanos - lastShedNanos.get() < holdNanos;
  }
}
