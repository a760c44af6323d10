package io.spillway.core.admission;

import io.spillway.core.config.DurationParser;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The admission controller's limits: the queue in front of the workers, the workers, CoDel's two durations, each
 * priority's share of the queue, the concurrency-limit algorithm and the longest Retry-After. Immutable; build with
 * {@link #builder()} or start from {@link #DEFAULT}.
 */
public final class AdmissionSettings {

  /** Jobs that may wait for a worker while the queue is congested (see {@link AdmissionController}): 256. */
  public static final int DEFAULT_QUEUE_CAPACITY = 256;
  /**
   * Jobs that may wait for a worker while the queue meets its deadlines (a burst after idle, a cold start): 1024, the
   * HTTP port's default connection limit, so that a burst of one request per open connection fits. While congested
   * (missing deadlines) the smaller {@link #queueCapacity()} holds: through a bounded pool of client connections, a
   * deeper server queue under overload only moves the wait into the clients (measured: 2x overload through 512
   * connections, admitted p50 940 ms with 1024 against 20 ms with 256).
   */
  public static final int DEFAULT_BURST_QUEUE_CAPACITY = 1024;
  /** Jobs run at once: twice the processors this JVM sees, as the jobs may block on I/O. */
  public static final int DEFAULT_WORKERS = 2 * Runtime.getRuntime().availableProcessors();
  /** The longest a job may wait while the queue is congested: 5 ms ("Fail at Scale"). */
  public static final Duration DEFAULT_CODEL_TARGET = Duration.ofMillis(5);
  /**
   * How long a queue must stay non-empty to count as congested, if it also missed a deadline or finished nothing
   * within it: 100 ms ("Fail at Scale"). A burst after idle gets its drain time (see {@link AdmissionController}).
   */
  public static final Duration DEFAULT_CODEL_INTERVAL = Duration.ofMillis(100);
  /** Sheddable jobs are admitted only while the queue is less than this full: 0.5. */
  public static final double DEFAULT_SHEDDABLE_QUEUE_SHARE = 0.5;
  /** Normal jobs are admitted only while the queue is less than this full: 0.9 (critical ones up to 1.0). */
  public static final double DEFAULT_NORMAL_QUEUE_SHARE = 0.9;
  /** The concurrency limit is the number of workers. */
  public static final LimitAlgorithm DEFAULT_LIMIT_ALGORITHM = LimitAlgorithm.NONE;
  /** The adaptive limit's floor: 1 job. */
  public static final int DEFAULT_MIN_LIMIT = 1;
  /** AIMD backs off when a job runs longer than this: 1 s. */
  public static final Duration DEFAULT_AIMD_TIMEOUT = Duration.ofSeconds(1);
  /**
   * The run time of one job assumed until the first has been measured: 10 ms, an order of magnitude above what a
   * publish takes; one completion replaces it. It sets Retry-After and CoDel's burst allowance until then, but
   * refuses no one: the estimate judges only once 32 jobs have been measured.
   */
  public static final Duration DEFAULT_ASSUMED_SERVICE_TIME = Duration.ofMillis(10);
  /**
   * A queue that starts filling within this long of the server being idle is a burst, which CoDel gives its drain
   * time (at least this long) before taking it for a standing queue: 1 s, the default publish deadline (see
   * {@link AdmissionController}'s CoDel rules).
   */
  public static final Duration DEFAULT_BURST_ALLOWANCE = Duration.ofSeconds(1);
  /** The longest Retry-After ever answered: 30 s. */
  public static final Duration DEFAULT_RETRY_AFTER_MAX = Duration.ofSeconds(30);

  static final int MAX_QUEUE_CAPACITY = 1 << 20;
  static final int MAX_WORKERS = 10_000;
  static final int MAX_LIMIT = 100_000;
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  /** The defaults above; its adaptive limit's ceiling is the number of workers. */
  public static final AdmissionSettings DEFAULT = builder().build();

  private final int queueCapacity;
  private final int workers;
  private final Duration codelTarget;
  private final Duration codelInterval;
  private final double sheddableQueueShare;
  private final double normalQueueShare;
  private final LimitAlgorithm limitAlgorithm;
  private final int minLimit;
  private final int maxLimit;
  private final Duration aimdTimeout;
  private final Duration retryAfterMax;
  private final Duration assumedServiceTime;
  private final Duration burstAllowance;
  private final int burstQueueCapacity;
  private final boolean burstQueueCapacitySet;

  private AdmissionSettings(Builder b, int maxLimit) {
    this.queueCapacity = b.queueCapacity;
    this.workers = b.workers;
    this.codelTarget = b.codelTarget;
    this.codelInterval = b.codelInterval;
    this.sheddableQueueShare = b.sheddableQueueShare;
    this.normalQueueShare = b.normalQueueShare;
    this.limitAlgorithm = b.limitAlgorithm;
    this.minLimit = b.minLimit;
    this.maxLimit = maxLimit;
    this.aimdTimeout = b.aimdTimeout;
    this.retryAfterMax = b.retryAfterMax;
    this.assumedServiceTime = b.assumedServiceTime;
    this.burstAllowance = b.burstAllowance;
    this.burstQueueCapacitySet = b.burstQueueCapacity != 0;
    int burst = burstQueueCapacitySet
        ? b.burstQueueCapacity
        : b.queueCapacity == DEFAULT_QUEUE_CAPACITY
            ? DEFAULT_BURST_QUEUE_CAPACITY
            : b.queueCapacity;
    this.burstQueueCapacity = Math.max(b.queueCapacity, burst);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .queueCapacity(queueCapacity)
        .workers(workers)
        .codelTarget(codelTarget)
        .codelInterval(codelInterval)
        .sheddableQueueShare(sheddableQueueShare)
        .normalQueueShare(normalQueueShare)
        .limitAlgorithm(limitAlgorithm)
        .minLimit(minLimit)
        .maxLimit(maxLimit)
        .aimdTimeout(aimdTimeout)
        .retryAfterMax(retryAfterMax)
        .assumedServiceTime(assumedServiceTime)
        .burstAllowance(burstAllowance)
        .burstQueueCapacity(burstQueueCapacitySet ? burstQueueCapacity : 0);
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public int workers() {
    return workers;
  }

  public Duration codelTarget() {
    return codelTarget;
  }

  public Duration codelInterval() {
    return codelInterval;
  }

  public double sheddableQueueShare() {
    return sheddableQueueShare;
  }

  public double normalQueueShare() {
    return normalQueueShare;
  }

  public LimitAlgorithm limitAlgorithm() {
    return limitAlgorithm;
  }

  public int minLimit() {
    return minLimit;
  }

  public int maxLimit() {
    return maxLimit;
  }

  public Duration aimdTimeout() {
    return aimdTimeout;
  }

  public Duration retryAfterMax() {
    return retryAfterMax;
  }

  /** The run time of one job the wait estimate uses until one has been measured. */
  public Duration assumedServiceTime() {
    return assumedServiceTime;
  }

  /** Jobs that may wait during a burst after idle; at least {@link #queueCapacity()}. */
  public int burstQueueCapacity() {
    return burstQueueCapacity;
  }

  /** How long after the server was idle a filling queue counts as a burst, and the least CoDel gives a burst. */
  public Duration burstAllowance() {
    return burstAllowance;
  }

  /**
   * The most jobs of {@code priority} that may be queued when one more arrives: the arrival is admitted only while
   * the queue holds fewer than this many jobs (the class's share of the capacity, rounded up).
   */
  int admitBelow(Priority priority) {
    return admitBelow(priority, queueCapacity);
  }

  /** As {@link #admitBelow(Priority)} for a queue of {@code capacity}. */
  int admitBelow(Priority priority, int capacity) {
    switch (priority) {
      case SHEDDABLE:
        return (int) Math.ceil(capacity * sheddableQueueShare);
      case NORMAL:
        return (int) Math.ceil(capacity * normalQueueShare);
      default:
        return capacity;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AdmissionSettings other)) {
      return false;
    }
    return queueCapacity == other.queueCapacity
        && workers == other.workers
        && codelTarget.equals(other.codelTarget)
        && codelInterval.equals(other.codelInterval)
        && Double.compare(sheddableQueueShare, other.sheddableQueueShare) == 0
        && Double.compare(normalQueueShare, other.normalQueueShare) == 0
        && limitAlgorithm == other.limitAlgorithm
        && minLimit == other.minLimit
        && maxLimit == other.maxLimit
        && aimdTimeout.equals(other.aimdTimeout)
        && retryAfterMax.equals(other.retryAfterMax)
        && assumedServiceTime.equals(other.assumedServiceTime)
        && burstAllowance.equals(other.burstAllowance)
        && burstQueueCapacity == other.burstQueueCapacity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        queueCapacity,
        workers,
        codelTarget,
        codelInterval,
        sheddableQueueShare,
        normalQueueShare,
        limitAlgorithm,
        minLimit,
        maxLimit,
        aimdTimeout,
        retryAfterMax,
        assumedServiceTime,
        burstAllowance,
        burstQueueCapacity);
  }

  @Override
  public String toString() {
    return "queue-capacity=" + queueCapacity
        + " workers=" + workers
        + " codel-target=" + DurationParser.format(codelTarget)
        + " codel-interval=" + DurationParser.format(codelInterval)
        + " sheddable-queue-share=" + sheddableQueueShare
        + " normal-queue-share=" + normalQueueShare
        + " limit-algorithm=" + limitAlgorithm.name().toLowerCase(Locale.ROOT)
        + " min-limit=" + minLimit
        + " max-limit=" + maxLimit
        + " aimd-timeout=" + DurationParser.format(aimdTimeout)
        + " retry-after-max=" + DurationParser.format(retryAfterMax)
        + " assumed-service-time=" + DurationParser.format(assumedServiceTime)
        + " burst-allowance=" + DurationParser.format(burstAllowance)
        + " burst-queue-capacity=" + burstQueueCapacity;
  }

  /** Builds {@link AdmissionSettings}; {@link #build()} rejects bad values with a message naming them. */
  public static final class Builder {
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int workers = DEFAULT_WORKERS;
    private Duration codelTarget = DEFAULT_CODEL_TARGET;
    private Duration codelInterval = DEFAULT_CODEL_INTERVAL;
    private double sheddableQueueShare = DEFAULT_SHEDDABLE_QUEUE_SHARE;
    private double normalQueueShare = DEFAULT_NORMAL_QUEUE_SHARE;
    private LimitAlgorithm limitAlgorithm = DEFAULT_LIMIT_ALGORITHM;
    private int minLimit = DEFAULT_MIN_LIMIT;
    private int maxLimit; // 0: the number of workers
    private Duration aimdTimeout = DEFAULT_AIMD_TIMEOUT;
    private Duration retryAfterMax = DEFAULT_RETRY_AFTER_MAX;
    private Duration assumedServiceTime = DEFAULT_ASSUMED_SERVICE_TIME;
    private Duration burstAllowance = DEFAULT_BURST_ALLOWANCE;
    private int
        burstQueueCapacity; // 0: DEFAULT_BURST_QUEUE_CAPACITY with the default capacity, else the
    // capacity

    private Builder() {}

    /** Jobs that may wait for a worker; 1 to 1 048 576. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Jobs run at once at most, whatever the limit algorithm says; 1 to 10 000. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** The longest wait while congested; positive and at most the interval. */
    public Builder codelTarget(Duration codelTarget) {
      this.codelTarget = Objects.requireNonNull(codelTarget, "codelTarget");
      return this;
    }

    /** The congestion window and the longest wait when not congested; positive, at most 1 h. */
    public Builder codelInterval(Duration codelInterval) {
      this.codelInterval = Objects.requireNonNull(codelInterval, "codelInterval");
      return this;
    }

    /** The fraction of the queue sheddable jobs may fill; above 0, at most the normal share. */
    public Builder sheddableQueueShare(double sheddableQueueShare) {
      this.sheddableQueueShare = sheddableQueueShare;
      return this;
    }

    /** The fraction of the queue normal jobs may fill; at least the sheddable share, at most 1. */
    public Builder normalQueueShare(double normalQueueShare) {
      this.normalQueueShare = normalQueueShare;
      return this;
    }

    public Builder limitAlgorithm(LimitAlgorithm limitAlgorithm) {
      this.limitAlgorithm = Objects.requireNonNull(limitAlgorithm, "limitAlgorithm");
      return this;
    }

    /** The adaptive limit's floor; 1 to the ceiling. */
    public Builder minLimit(int minLimit) {
      this.minLimit = minLimit;
      return this;
    }

    /**
     * The adaptive limit's ceiling; the floor to 100 000; defaults to the number of workers. A ceiling above the
     * workers lets the limit admit a longer queue, never more jobs running than workers.
     */
    public Builder maxLimit(int maxLimit) {
      this.maxLimit = maxLimit;
      return this;
    }

    /** The run time above which AIMD backs off; positive. */
    public Builder aimdTimeout(Duration aimdTimeout) {
      this.aimdTimeout = Objects.requireNonNull(aimdTimeout, "aimdTimeout");
      return this;
    }

    /** The longest Retry-After; 1 s to 1 h, rounded up to whole seconds when answered. */
    public Builder retryAfterMax(Duration retryAfterMax) {
      this.retryAfterMax = Objects.requireNonNull(retryAfterMax, "retryAfterMax");
      return this;
    }

    /** The run time of one job assumed until one has been measured; positive, at most 1 min. */
    public Builder assumedServiceTime(Duration assumedServiceTime) {
      this.assumedServiceTime = Objects.requireNonNull(assumedServiceTime, "assumedServiceTime");
      return this;
    }

    /**
     * Jobs that may wait during a burst after idle; 1 to 1 048 576, or 0 for the default: 1024 with the default queue
     * capacity, else the queue capacity. Below the queue capacity it is that.
     */
    public Builder burstQueueCapacity(int burstQueueCapacity) {
      this.burstQueueCapacity = burstQueueCapacity;
      return this;
    }

    /** How long after the server was idle a filling queue counts as a burst; 0 to 1 h. */
    public Builder burstAllowance(Duration burstAllowance) {
      this.burstAllowance = Objects.requireNonNull(burstAllowance, "burstAllowance");
      return this;
    }

    /**
     * Returns the settings.
     *
     * @throws IllegalArgumentException naming the setting, its value and the allowed range
     */
    public AdmissionSettings build() {
      checkRange("queue capacity", queueCapacity, 1, MAX_QUEUE_CAPACITY);
      checkRange("workers", workers, 1, MAX_WORKERS);
      checkRange("burst queue capacity", burstQueueCapacity, 0, MAX_QUEUE_CAPACITY);
      checkPositive("codel interval", codelInterval);
      if (codelInterval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "codel interval " + codelInterval + " is out of range (0, PT1H]");
      }
      checkPositive("codel target", codelTarget);
      if (codelTarget.compareTo(codelInterval) > 0) {
        throw new IllegalArgumentException("codel target " + codelTarget
            + " is out of range (0, codel interval " + codelInterval + "]");
      }
      checkShare("normal queue share", normalQueueShare, 1.0, "1");
      checkShare(
          "sheddable queue share",
          sheddableQueueShare,
          normalQueueShare,
          "normal queue share " + normalQueueShare);
      int ceiling = maxLimit == 0 ? workers : maxLimit;
      checkRange("max limit", ceiling, 1, MAX_LIMIT);
      checkRange("min limit", minLimit, 1, ceiling);
      checkPositive("aimd timeout", aimdTimeout);
      if (retryAfterMax.compareTo(Duration.ofSeconds(1)) < 0
          || retryAfterMax.compareTo(MAX_RETRY_AFTER) > 0) {
        throw new IllegalArgumentException(
            "retry after max " + retryAfterMax + " is out of range [PT1S, PT1H]");
      }
      checkPositive("assumed service time", assumedServiceTime);
      if (assumedServiceTime.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "assumed service time " + assumedServiceTime + " is out of range (0, PT1M]");
      }
      if (burstAllowance.isNegative() || burstAllowance.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "burst allowance " + burstAllowance + " is out of range [PT0S, PT1H]");
      }
      return new AdmissionSettings(this, ceiling);
    }

    private static void checkRange(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " " + value + " is out of range [" + min + ", " + max + "]");
      }
    }

    private static void checkPositive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " " + value + " must be positive");
      }
    }

    private static void checkShare(String name, double value, double max, String maxText) {
      if (!(value > 0 && value <= max)) {
        throw new IllegalArgumentException(
            name + " " + value + " is out of range (0, " + maxText + "]");
      }
    }
  }
}
