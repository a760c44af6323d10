package io.spillway.core.admission;

import java.util.ArrayList;
import java.util.List;

/**
 * Jobs shed from the queue while the controller's lock is held, to be handed to the {@link ShedListener} once it
 * is released. Immutable once {@link #drain drained}; the collecting instance is guarded by the controller's lock.
 */
final class ShedBatch<T> {

  private record Shed<T>(T job, ShedReason reason, long retryAfterSeconds) {}

  private static final ShedBatch<?> EMPTY = new ShedBatch<>(List.of());

  private final List<Shed<T>> sheds;

  ShedBatch() {
    this(new ArrayList<>());
  }

  private ShedBatch(List<Shed<T>> sheds) {
    this.sheds = sheds;
  }

  void add(T job, ShedReason reason, long retryAfterSeconds) {
    sheds.add(new Shed<>(job, reason, retryAfterSeconds));
  }

  boolean isEmpty() {
    return sheds.isEmpty();
  }

  int size() {
    return sheds.size();
  }

  /** Moves everything collected so far into a new batch, leaving this one empty; allocates only if non-empty. */
  @SuppressWarnings("unchecked")
  ShedBatch<T> drain() {
    if (sheds.isEmpty()) {
      return (ShedBatch<T>) EMPTY;
    }
    ShedBatch<T> out = new ShedBatch<>(new ArrayList<>(sheds));
    sheds.clear();
    return out;
  }

  /**
   * Calls {@code listener} for each job, in the order shed. A listener exception goes to the calling thread's
   * uncaught-exception handler and the remaining jobs are still delivered.
   */
  void deliverTo(ShedListener<T> listener) {
    for (Shed<T> s : sheds) {
      try {
        listener.shed(s.job(), s.reason(), s.retryAfterSeconds());
      } catch (RuntimeException e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }
}
