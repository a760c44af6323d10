package io.spillway.core.time;

/**
 * A source of monotonic nanosecond timestamps, injected into every timer, window, rate and deadline so that
 * tests move time instead of sleeping. Only differences between two readings are meaningful.
 */
@FunctionalInterface
public interface NanoClock {

  /** The JVM's monotonic clock, {@link System#nanoTime()}. */
  NanoClock SYSTEM = System::nanoTime;

  /** Returns the current reading; callable from any thread. */
  long nanoTime();
}
