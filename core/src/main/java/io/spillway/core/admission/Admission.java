package io.spillway.core.admission;

import java.util.Objects;

/**
 * The outcome of {@link AdmissionController#offer}: the job was queued, or it was shed at once with a reason and a
 * Retry-After. Immutable.
 *
 * @param <T> the job type
 */
public final class Admission<T> {

  private final T job;
  private final ShedReason reason;
  private final long retryAfterSeconds;

  private Admission(T job, ShedReason reason, long retryAfterSeconds) {
    this.job = job;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static <T> Admission<T> admitted(T job) {
    return new Admission<>(job, null, 0);
  }

  static <T> Admission<T> shed(T job, ShedReason reason, long retryAfterSeconds) {
    return new Admission<>(job, Objects.requireNonNull(reason), retryAfterSeconds);
  }

  /** The job offered. */
  public T job() {
    return job;
  }

  /** True if the job was queued; it will reach a worker, or the shed listener, exactly once. */
  public boolean admitted() {
    return reason == null;
  }

  /** Why the job was refused; null if it was admitted. */
  public ShedReason reason() {
    return reason;
  }

  /** When to try again, in whole seconds, at least 1 when refused; 0 when admitted. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public String toString() {
    return admitted()
        ? "admitted"
        : "shed " + reason.label() + " retry-after=" + retryAfterSeconds + "s";
  }
}
