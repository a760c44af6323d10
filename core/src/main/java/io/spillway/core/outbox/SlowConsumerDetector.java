package io.spillway.core.outbox;

import io.spillway.core.time.NanoClock;

/**
 * Decides, from a client's queued bytes and the clock, whether the client must be cut. One instance per client;
 * not thread-safe: call it only from the thread that owns the client (its event loop).
 *
 * <p>The caller reports two numbers: the bytes that would be queued (accepted for the client and not yet taken by
 * its socket) and the cumulative bytes the socket has taken so far. It calls {@link #observe} before every write
 * (with the write's bytes included, so that the hard limit is never exceeded) and on a periodic tick (so that the
 * time-based rules fire while nothing is written).
 */
public final class SlowConsumerDetector {

  /*
   * Design notes (for maintainers).
   *
   * Three rules from the seeds, checked in this order:
   *  1. hard:  queued > hardLimit                        -> BUFFER_OVERFLOW, at once.
   *  2. soft:  queued >= softLimit continuously for >= softWindow -> SLOW_READER_SUSTAINED.
   *            Any observation below the soft limit resets the window, so a burst that drains is never cut.
   *  3. stall: queued > 0 and the socket took no byte for >= writeTimeout -> WRITE_TIMEOUT.
   *            The stall clock starts when bytes first wait (queue goes from empty to non-empty) or when the
   *            socket last took bytes, whichever is later.
   *
   * The time-based rules are evaluated only when observe() is called, so a cut happens at the first
   * observation at or after the window closes: the enforcing side's tick period is the documented tolerance.
   * onWrite() is the hot path (once per message per subscriber): two comparisons, and a clock read only when the
   * soft limit is first crossed. Progress is noticed by observe() comparing the cumulative bytes taken, so a stall
   * is timed from the first tick that sees bytes waiting: a write timeout fires within two ticks of its value.
   * Nothing here allocates; every field is a primitive.
   *
   * A fourth rule for the block strategy: while the client holds a block channel's publishers back (the enforcing
   * side says so with holding(maxBlockNanos > 0)), for max-block or longer -> MAX_BLOCK. It is evaluated by observe()
   * like the other time-based rules.
   */

  private static final long NEVER = Long.MIN_VALUE;

  private final long hardLimit;
  private final long softLimit;
  private final long softWindowNanos;
  private final long writeTimeoutNanos;
  private final NanoClock clock;

  private long aboveSoftSince = NEVER;
  private long lastProgressAt = NEVER;
  private long lastTaken;
  private long holdingSince = NEVER;
  private long hardAllowance;
  private long maxBlockNanos;
  private DisconnectReason reason;

  public SlowConsumerDetector(OutboxLimits limits, NanoClock clock) {
    this.hardLimit = limits.hardLimit().toBytes();
    this.softLimit = limits.softLimit().toBytes();
    this.softWindowNanos = limits.softWindow().toNanos();
    this.writeTimeoutNanos = limits.writeTimeout().toNanos();
    this.clock = clock;
  }

  /**
   * Records an observation and returns the reason to cut the client, or {@code null} to keep it. Once a reason has
   * been returned, every later call returns it too.
   *
   * @param queuedBytes bytes accepted for the client and not yet taken by its socket, including any write about to
   *     be made
   * @param takenBytes cumulative bytes the client's socket has taken since the client connected
   */
  public DisconnectReason observe(long queuedBytes, long takenBytes) {
    return observe(queuedBytes, queuedBytes, takenBytes);
  }

  /**
   * As {@link #observe(long, long)}, with the part of the queue the soft window applies to ({@code softQueuedBytes},
   * see {@link #onWrite(long, long, long, long)}); the hard limit and the write timeout apply to all of it.
   */
  public DisconnectReason observe(long queuedBytes, long softQueuedBytes, long takenBytes) {
    if (reason != null) {
      return reason;
    }
    long now = clock.nanoTime();
    if (queuedBytes > hardLimit + hardAllowance) {
      reason = DisconnectReason.BUFFER_OVERFLOW;
      return reason;
    }
    if (softQueuedBytes >= softLimit) {
      if (aboveSoftSince == NEVER) {
        aboveSoftSince = now;
      } else if (now - aboveSoftSince >= softWindowNanos) {
        reason = DisconnectReason.SLOW_READER_SUSTAINED;
        return reason;
      }
    } else {
      aboveSoftSince = NEVER;
    }
    if (holdingSince != NEVER && now - holdingSince >= maxBlockNanos) {
      reason = DisconnectReason.MAX_BLOCK;
      return reason;
    }
    if (takenBytes != lastTaken) {
      lastTaken = takenBytes;
      lastProgressAt = now;
    }
    if (queuedBytes == 0) {
      lastProgressAt = NEVER;
    } else if (lastProgressAt == NEVER) {
      lastProgressAt = now;
    } else if (now - lastProgressAt >= writeTimeoutNanos) {
      reason = DisconnectReason.WRITE_TIMEOUT;
      return reason;
    }
    return null;
  }

  /**
   * The per-write fast path: applies the hard limit and the soft limit's window start and reset, reading the clock
   * only when the soft limit is crossed. The time-based rules are left to {@link #observe}, which the enforcing side
   * calls on its tick. Returns the reason to cut the client, or {@code null} to accept the write.
   *
   * @param queuedBytes bytes queued for the client now, before the write
   * @param writeBytes the bytes of the write about to be made
   */
  public DisconnectReason onWrite(long queuedBytes, long writeBytes) {
    return onWrite(queuedBytes, writeBytes, queuedBytes, writeBytes);
  }

  /**
   * As {@link #onWrite(long, long)}, when part of what is queued is exempt from the soft window: messages of lossy
   * channels, which the overflow strategies keep within the cap by dropping, so a subscriber that holds only those
   * is never cut for being slow. The hard limit applies to {@code queuedBytes + writeBytes}, the soft window to
   * {@code softQueuedBytes + softWriteBytes}.
   */
  public DisconnectReason onWrite(
      long queuedBytes, long writeBytes, long softQueuedBytes, long softWriteBytes) {
    if (reason != null) {
      return reason;
    }
    if (queuedBytes + writeBytes > hardLimit + hardAllowance) {
      reason = DisconnectReason.BUFFER_OVERFLOW;
      return reason;
    }
    if (softQueuedBytes < softLimit) {
      // Below the soft limit right now (the socket may have drained since the last look): any
      // window restarts.
      aboveSoftSince = NEVER;
    }
    if (softQueuedBytes + softWriteBytes >= softLimit && aboveSoftSince == NEVER) {
      aboveSoftSince = clock.nanoTime();
    }
    return null;
  }

  /**
   * Whether the client holds the publishers of a {@code block} channel back: {@code maxBlockNanos} > 0 while it does
   * (the shortest max-block of those channels), 0 when it no longer does. The hold is timed from the first call
   * with a positive value; {@link #observe} cuts the client ({@link DisconnectReason#MAX_BLOCK}) once it has lasted
   * that long.
   */
  public void holding(long maxBlockNanos) {
    if (maxBlockNanos <= 0) {
      holdingSince = NEVER;
      this.maxBlockNanos = 0;
      return;
    }
    if (holdingSince == NEVER) {
      holdingSince = clock.nanoTime();
    }
    this.maxBlockNanos = maxBlockNanos;
  }

  /**
   * Bytes the client may hold beyond its hard limit from now on: messages of {@code block} channels that were in
   * flight to it when it reached its soft limit (a block channel's publishers could not be told sooner). The
   * enforcing side sets it before each observation; 0 for everything else.
   */
  public void hardAllowance(long bytes) {
    this.hardAllowance = Math.max(0, bytes);
  }

  /** How long the client has held a block channel back; 0 if it does not. */
  public long nanosHolding() {
    return holdingSince == NEVER ? 0 : Math.max(0, clock.nanoTime() - holdingSince);
  }

  /** The reason already decided, or {@code null} while the client is kept. */
  public DisconnectReason reason() {
    return reason;
  }

  /** How long the client has been continuously at or above the soft limit as of the last observation; 0 if not. */
  public long nanosAboveSoftLimit() {
    return aboveSoftSince == NEVER ? 0 : Math.max(0, clock.nanoTime() - aboveSoftSince);
  }

  /** How long bytes have waited without progress as of now; 0 if nothing waits. */
  public long nanosWithoutProgress() {
    return lastProgressAt == NEVER ? 0 : Math.max(0, clock.nanoTime() - lastProgressAt);
  }
}
