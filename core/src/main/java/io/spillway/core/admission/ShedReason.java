package io.spillway.core.admission;

import java.util.Locale;

/**
 * Why a job was refused or dropped. The enforcer maps each to an answer: {@link #RATE_LIMITED} to 429,
 * {@link #DEADLINE} to 504, the others to 503; each carries a Retry-After.
 */
public enum ShedReason {
  /** The queue was full and held nothing of a lower priority to evict. */
  QUEUE_FULL,
  /** The deadline had passed, or would pass before the job could start, or passed while it was queued. */
  DEADLINE,
  /** The client's token bucket was empty; decided outside the controller and counted with {@code recordShed}. */
  RATE_LIMITED,
  /** The job's class had used its share of the queue, or a higher-priority arrival took its place. */
  PRIORITY,
  /** The adaptive concurrency limit was saturated: as many jobs running as the limit and as many waiting. */
  CONCURRENCY_LIMIT,
  /** The job waited longer than CoDel allows: the target while congested, the interval otherwise. */
  CODEL;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The lower-case name, e.g. {@code queue_full}; used as a Prometheus label value. */
  public String label() {
    return label;
  }
}
