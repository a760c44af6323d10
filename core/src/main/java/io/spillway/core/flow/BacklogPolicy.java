package io.spillway.core.flow;

import io.spillway.core.config.ByteSize;
import java.util.Objects;

/**
 * Decides lossless publisher pushback on a delivery backlog: messages handed from one event loop to another and not
 * yet delivered there. A publish that finds a backlog at or above the high mark is accepted, and its publisher is
 * paused until that backlog has drained to the low mark. Immutable and thread-safe; build with {@link #builder()} or
 * take {@link #DEFAULT}.
 */
public final class BacklogPolicy {

  /*
   * Design note. Without a bound, a publisher on one loop could queue work for another faster than that loop runs
   * it: an unbounded queue by another name. The gap between the marks is hysteresis: a publisher resumed at the high
   * mark itself would be paused again by its next read. The defaults hold about 8 192 messages of 128 bytes per loop,
   * tens of milliseconds of fan-out work on this hardware, which keeps publish-to-delivery latency low while
   * letting a burst run at full speed.
   */

  /** Backlog at which publishers are paused: 1 MiB. */
  public static final ByteSize DEFAULT_HIGH_MARK = ByteSize.ofMebibytes(1);
  /** Backlog at which paused publishers resume: 256 KiB. */
  public static final ByteSize DEFAULT_LOW_MARK = ByteSize.ofKibibytes(256);

  /** The default marks. */
  public static final BacklogPolicy DEFAULT = builder().build();

  private final long high;
  private final long low;

  private BacklogPolicy(Builder b) {
    this.high = b.high.toBytes();
    this.low = b.low.toBytes();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a publish that finds {@code backlogBytes} must pause its publisher. */
  public boolean congested(long backlogBytes) {
    return backlogBytes >= high;
  }

  /** Whether publishers paused on a backlog of {@code backlogBytes} may resume. */
  public boolean drained(long backlogBytes) {
    return backlogBytes <= low;
  }

  public ByteSize highMark() {
    return ByteSize.ofBytes(high);
  }

  public ByteSize lowMark() {
    return ByteSize.ofBytes(low);
  }

  @Override
  public String toString() {
    return "BacklogPolicy{high=" + high + ", low=" + low + "}";
  }

  /** Builds a {@link BacklogPolicy}; {@link #build()} checks the values together. */
  public static final class Builder {
    private ByteSize high = DEFAULT_HIGH_MARK;
    private ByteSize low = DEFAULT_LOW_MARK;

    private Builder() {}

    /** Backlog at which publishers pause; at least 1 byte. */
    public Builder highMark(ByteSize high) {
      this.high = Objects.requireNonNull(high, "high mark");
      return this;
    }

    /** Backlog at which they resume; below the high mark. */
    public Builder lowMark(ByteSize low) {
      this.low = Objects.requireNonNull(low, "low mark");
      return this;
    }

    /** The policy; throws {@link IllegalArgumentException} naming the value when the marks are out of range. */
    public BacklogPolicy build() {
      if (high.toBytes() < 1) {
        throw new IllegalArgumentException(
            "high mark " + high + " is out of range: at least 1 byte");
      }
      if (low.toBytes() < 0 || low.toBytes() >= high.toBytes()) {
        throw new IllegalArgumentException("low mark " + low
            + " is out of range: from 0 up to below the high mark (" + high + ")");
      }
      return new BacklogPolicy(this);
    }
  }
}
