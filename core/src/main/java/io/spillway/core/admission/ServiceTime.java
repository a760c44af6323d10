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
  /** A sample counts as at most this many times the current estimate: 4, so that one stall cannot swing it. */
  static final double MAX_SAMPLE_RATIO = 4;
  /**
   * Jobs measured before the estimate may refuse anyone: 32. Fewer are a handful of cold samples (a JVM's first
   * requests run interpreted and load classes) or the assumed value, not what the server can do.
   */
  static final int SAMPLES_TO_JUDGE = 32;

  /*
   * Design. The issue this replaces: the wait was judged from completions over the last second, which is near zero
   * after an idle second, so a burst arriving after idle was refused (504 at arrival) though the workers could have
   * served it in a few hundred milliseconds. What the server can do does not change when it is idle, so the cost of
   * a job is measured per job (the controller decides what a sample is: the spacing of completions while backlogged,
   * else a run time) and idle time never enters. Each sample moves the average by SAMPLE_WEIGHT; the first replaces
   * the seed outright if it is lower (the seed is a deliberately high guess). A sample is counted as at most
   * MAX_SAMPLE_RATIO times the estimate: on a shared machine one GC pause or descheduled worker makes one completion
   * spacing hundreds of milliseconds, and an unclamped average would then refuse every burst for the next few dozen
   * jobs; a real slowdown still lifts the estimate by 30 % a job, doubling it within three.
   *
   * Why the estimate judges only after SAMPLES_TO_JUDGE jobs (issue 10, measured): a freshly started server offered
   * 5 000 requests/s, half its warm capacity, refused 437 of them as DEADLINE in its first second. Before its first
   * completions (hundreds of milliseconds in a cold JVM) the assumed 10 ms a job, over 4 workers, said a queue of 400
   * would take more than 1 s, while the server, cold as it was, served everything within 700 ms with admission off.
   * A handful of samples then still carries the first jobs' class loading. Until 32 jobs have been measured (about
   * 0.1 x 0.9^31 = 4 % of the seed is left in the average), the queue's capacity and the deadline itself, checked
   * while the job waits, bound the wait instead. At a few thousand requests a second that is the first 10-20 ms.
   */

  private double nanos;
  private long samples;

  /** @param assumed the run time used until the first measurement; positive */
  ServiceTime(Duration assumed) {
    this.nanos = assumed.toNanos();
  }

  /** Counts one finished job that ran for {@code runNanos}. */
  void record(long runNanos) {
    double sample = Math.min(Math.max(1, runNanos), MAX_SAMPLE_RATIO * nanos);
    if (samples == 0 && sample < nanos) {
      nanos = sample;
    } else {
      nanos += SAMPLE_WEIGHT * (sample - nanos);
    }
    samples++;
  }

  /** The expected cost of one job, in nanoseconds; the assumed value until one has finished. */
  double nanos() {
    return nanos;
  }

  /** True once at least one job has been measured. */
  boolean measured() {
    return samples > 0;
  }

  /** True once {@link #SAMPLES_TO_JUDGE} jobs have been measured: the estimate may then refuse a job. */
  boolean trusted() {
    return samples >= SAMPLES_TO_JUDGE;
  }

  /**
   * Little's law: the time until a new job finishes when {@code ahead} jobs would run before it and
   * {@code concurrency} run at once: (ahead + 1) x service time / concurrency.
   */
  long expectedWaitNanos(int ahead, int concurrency) {
    return (long) Math.ceil((ahead + 1) * nanos / Math.max(1, concurrency));
  }
}
