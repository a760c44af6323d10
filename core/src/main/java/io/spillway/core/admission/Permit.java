package io.spillway.core.admission;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job handed to a worker by {@link AdmissionController#take} or {@link AdmissionController#poll}, holding one of
 * the controller's in-flight slots. The worker reports exactly one of {@link #success()}, {@link #ignore()} or
 * {@link #dropped()} when the job ends, from any thread; that frees the slot and feeds the drain rate and the
 * concurrency limit. A second report throws {@link IllegalStateException}.
 *
 * @param <T> the job type
 */
public final class Permit<T> {

  private final AdmissionController<T> controller;
  private final T job;
  private final Priority priority;
  private final long deadlineNanos;
  private final long waitedNanos;
  private final long startNanos;
  private final int inFlightAtStart;
  private final AtomicBoolean released = new AtomicBoolean();

  Permit(
      AdmissionController<T> controller,
      T job,
      Priority priority,
      long deadlineNanos,
      long waitedNanos,
      long startNanos,
      int inFlightAtStart) {
    this.controller = controller;
    this.job = job;
    this.priority = priority;
    this.deadlineNanos = deadlineNanos;
    this.waitedNanos = waitedNanos;
    this.startNanos = startNanos;
    this.inFlightAtStart = inFlightAtStart;
  }

  public T job() {
    return job;
  }

  public Priority priority() {
    return priority;
  }

  /** The deadline given to {@code offer}, a clock reading, or {@link AdmissionController#NO_DEADLINE}. */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** How long the job waited in the queue, by the controller's clock. */
  public long waitedNanos() {
    return waitedNanos;
  }

  /** The job ran to completion: its run time is a sample for the limit algorithm. */
  public void success() {
    release(Outcome.SUCCESS);
  }

  /** The job ended in a way that says nothing about load (e.g. a client error): no sample for the limit. */
  public void ignore() {
    release(Outcome.IGNORE);
  }

  /** The job timed out or was cancelled: the limit algorithm takes it as a sign of overload. */
  public void dropped() {
    release(Outcome.DROPPED);
  }

  long startNanos() {
    return startNanos;
  }

  int inFlightAtStart() {
    return inFlightAtStart;
  }

  private void release(Outcome outcome) {
    if (!released.compareAndSet(false, true)) {
      throw new IllegalStateException("permit for " + job + " was already released");
    }
    controller.release(this, outcome);
  }

  enum Outcome {
    SUCCESS,
    IGNORE,
    DROPPED
  }
}
