package io.spillway.core.admission;

/**
 * Receives the jobs an {@link AdmissionController} drops after having queued them, so that the enforcer can answer
 * each one (503 or 504 with Retry-After). A job refused at {@code offer} is not passed here: the refusal is the
 * returned {@link Admission}.
 *
 * <p>Called without the controller's lock held, on whichever thread triggered the shed: an event loop calling
 * {@code offer} or {@code sweep}, or a worker calling {@code take} or {@code poll}. It must not block; handing the
 * answer to the job's event loop is the expected use. An exception thrown here goes to the calling thread's
 * uncaught-exception handler; the other shed jobs are still delivered and the caller's call completes normally.
 */
@FunctionalInterface
public interface ShedListener<T> {

  /**
   * Called once for each job dropped after it was queued.
   *
   * @param job the dropped job, never run
   * @param reason {@link ShedReason#DEADLINE}, {@link ShedReason#CODEL} or {@link ShedReason#PRIORITY} (evicted)
   * @param retryAfterSeconds when to try again, in whole seconds, at least 1
   */
  void shed(T job, ShedReason reason, long retryAfterSeconds);
}
