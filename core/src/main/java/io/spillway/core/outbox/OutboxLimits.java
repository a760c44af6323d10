package io.spillway.core.outbox;

import io.spillway.core.config.ByteSize;
import io.spillway.core.config.DurationParser;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits on one client's outbox: the bytes accepted for it and not yet taken by its socket. Immutable; build
 * with {@link #builder()} or start from {@link #DEFAULT}.
 *
 * <p>The defaults are the course's (seed 000 and 002): 64 KiB hard, 80 % of it soft, held for 5 s, and 5 s without
 * write progress.
 */
public final class OutboxLimits {

  /** Queued bytes that may never be exceeded: 65 536 (seed 000, "Max queued bytes per client"). */
  public static final ByteSize DEFAULT_HARD_LIMIT = ByteSize.ofBytes(65_536);
  /** Queued bytes above which a client is slow if it stays there: 52 428, 80 % of the hard limit. */
  public static final ByteSize DEFAULT_SOFT_LIMIT = ByteSize.ofBytes(52_428);
  /** How long a client may stay at or above the soft limit: 5 s (seed 000, "80% for &gt; 5 seconds"). */
  public static final Duration DEFAULT_SOFT_WINDOW = Duration.ofSeconds(5);
  /** How long bytes may wait without the socket taking any: 5 s (seed 002, SO_SNDTIMEO). */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);

  /** The seeds' limits. */
  public static final OutboxLimits DEFAULT = builder().build();

  private final ByteSize hardLimit;
  private final ByteSize softLimit;
  private final Duration softWindow;
  private final Duration writeTimeout;

  private OutboxLimits(Builder b) {
    this.hardLimit = b.hardLimit;
    this.softLimit = b.softLimit;
    this.softWindow = b.softWindow;
    this.writeTimeout = b.writeTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .hardLimit(hardLimit)
        .softLimit(softLimit)
        .softWindow(softWindow)
        .writeTimeout(writeTimeout);
  }

  public ByteSize hardLimit() {
    return hardLimit;
  }

  public ByteSize softLimit() {
    return softLimit;
  }

  public Duration softWindow() {
    return softWindow;
  }

  public Duration writeTimeout() {
    return writeTimeout;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OutboxLimits other)) {
      return false;
    }
    return hardLimit.equals(other.hardLimit)
        && softLimit.equals(other.softLimit)
        && softWindow.equals(other.softWindow)
        && writeTimeout.equals(other.writeTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hardLimit, softLimit, softWindow, writeTimeout);
  }

  @Override
  public String toString() {
    return "hard=" + hardLimit.toBytes()
        + " soft=" + softLimit.toBytes()
        + " soft-window=" + DurationParser.format(softWindow)
        + " write-timeout=" + DurationParser.format(writeTimeout);
  }

  /** Builds {@link OutboxLimits}; {@link #build()} rejects inconsistent values with a message naming them. */
  public static final class Builder {
    private ByteSize hardLimit = DEFAULT_HARD_LIMIT;
    private ByteSize softLimit = DEFAULT_SOFT_LIMIT;
    private Duration softWindow = DEFAULT_SOFT_WINDOW;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

    private Builder() {}

    /** At least 1 byte; at most 1 GiB. */
    public Builder hardLimit(ByteSize hardLimit) {
      this.hardLimit = Objects.requireNonNull(hardLimit, "hardLimit");
      return this;
    }

    /** At least 1 byte and at most the hard limit. */
    public Builder softLimit(ByteSize softLimit) {
      this.softLimit = Objects.requireNonNull(softLimit, "softLimit");
      return this;
    }

    /** Positive. */
    public Builder softWindow(Duration softWindow) {
      this.softWindow = Objects.requireNonNull(softWindow, "softWindow");
      return this;
    }

    /** Positive. */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
      return this;
    }

    /**
     * Returns the limits.
     *
     * @throws IllegalArgumentException naming the setting, its value and the allowed range
     */
    public OutboxLimits build() {
      long maxHard = ByteSize.ofMebibytes(1024).toBytes();
      if (hardLimit.toBytes() < 1 || hardLimit.toBytes() > maxHard) {
        throw new IllegalArgumentException(
            "hard limit " + hardLimit.toBytes() + " bytes is out of range [1, " + maxHard + "]");
      }
      if (softLimit.toBytes() < 1 || softLimit.compareTo(hardLimit) > 0) {
        throw new IllegalArgumentException("soft limit " + softLimit.toBytes()
            + " bytes is out of range [1, hard limit " + hardLimit.toBytes() + "]");
      }
      if (softWindow.isNegative() || softWindow.isZero()) {
        throw new IllegalArgumentException("soft window " + softWindow + " must be positive");
      }
      if (writeTimeout.isNegative() || writeTimeout.isZero()) {
        throw new IllegalArgumentException("write timeout " + writeTimeout + " must be positive");
      }
      return new OutboxLimits(this);
    }
  }
}
