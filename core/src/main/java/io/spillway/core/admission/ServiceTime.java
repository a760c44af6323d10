package io.spillway.core.admission;

import java.time.Duration;

/**
 * The expected run time of one job: an exponentially weighted moving average of measured run times, seeded with an
 * assumed value until the first job finishes. From it and the concurrency the controller judges how long a new job
 * would wait (Little's law), and the Retry-After of a shed.
 *
 * <p>Not thread-safe: the controller calls it under its lock.
 */
final class ServiceTime {

  /** Weight of each new run time in the average: 0.1, so the last ~20 jobs dominate and one outlier moves it 10 %. */
  static final double SAMPLE_WEIGHT = 0.1;

  /*
   * Design. The issue this replaces: the wait was judged from completions over the last second, which is near zero
   * after an idle second, so a burst arriving after idle was refused (504 at arrival) though the workers could have
   * served it in a few hundred milliseconds. What the server can do does not change when it is idle: the run time of
   * a job does not depend on how many arrived in the last second, so it is measured per job and only idle time is
   * left out. The first sample replaces the seed outright (the seed is a guess, the sample a measurement), then each
   * sample moves the average by SAMPLE_WEIGHT. Run time is measured by the wall clock from the worker's take to its
   * report, so it includes the time the worker waited for a CPU: on a machine where workers and event loops share
   * few cores, that is the cost of a job as the queue sees it.
   */

  private double nanos;
  private boolean measured;

  /** @param assumed the run time used until the first measurement; positive */
  ServiceTime(Duration assumed) {
    this.nanos = assumed.toNanos();
  }

  /** Counts one finished job that ran for {@code runNanos}. */
  void record(long runNanos) {
    double sample = Math.max(1, runNanos);
    if (!measured) {
      nanos = sample;
      measured = true;
    } else {
      nanos += SAMPLE_WEIGHT * (sample - nanos);
    }
  }

  /** The expected run time of one job, in nanoseconds; the assumed value until one has finished. */
  double nanos() {
    return nanos;
  }

  /** True once at least one job has been measured. */
  boolean measured() {
    return measured;
  }

  /**
   * Little's law: the time until a new job finishes when {@code ahead} jobs would run before it and
   * {@code concurrency} run at once: (ahead + 1) x service time / concurrency.
   */
  long expectedWaitNanos(int ahead, int concurrency) {
    return (long) Math.ceil((ahead + 1) * nanos / Math.max(1, concurrency));
  }
}
