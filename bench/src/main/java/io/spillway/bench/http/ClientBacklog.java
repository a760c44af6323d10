package io.spillway.bench.http;

/**
 * The client's own queue of requests that are due but have no free connection yet, by intended send time, oldest
 * first. Bounded: {@link #offer} refuses beyond the capacity, and the caller counts the refusal as
 * {@code client_backlog_dropped}. Not thread-safe: one event loop owns it.
 */
final class ClientBacklog {

  private final long[] intended;
  private int head;
  private int size;

  /** @throws IllegalArgumentException if {@code capacity} is below 1 */
  ClientBacklog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("backlog capacity " + capacity + " is below 1");
    }
    this.intended = new long[capacity];
  }

  /** Appends a request due at {@code intendedNanos}; false, leaving the backlog as it was, when it is full. */
  boolean offer(long intendedNanos) {
    if (size == intended.length) {
      return false;
    }
    intended[(head + size) % intended.length] = intendedNanos;
    size++;
    return true;
  }

  /** True when no request waits. */
  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  int capacity() {
    return intended.length;
  }

  /** The oldest waiting request's intended time. @throws IllegalStateException if empty */
  long peek() {
    if (size == 0) {
      throw new IllegalStateException("backlog is empty");
    }
    return intended[head];
  }

  /** Removes and returns the oldest waiting request's intended time. @throws IllegalStateException if empty */
  long poll() {
    long t = peek();
    head = (head + 1) % intended.length;
    size--;
    return t;
  }
}
