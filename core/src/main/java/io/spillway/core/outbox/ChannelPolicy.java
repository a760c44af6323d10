package io.spillway.core.outbox;

import io.spillway.core.config.DurationParser;
import java.time.Duration;
import java.util.Objects;

/**
 * The overflow strategy of the channels whose names match a glob pattern (Redis glob rules), with its options.
 * Immutable. Written and read as {@code PATTERN=STRATEGY[,option=value...]}: {@code prices.*=conflate},
 * {@code orders=block,max-block=2s}.
 */
public final class ChannelPolicy {

  /** How long a {@code block} channel may hold its publishers back for one subscriber: 5 s. */
  public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(5);

  /** Every channel that no configured policy matches: {@code *=disconnect}, the seeds' policy. */
  public static final ChannelPolicy DEFAULT =
      new ChannelPolicy("*", OverflowStrategy.DISCONNECT, DEFAULT_MAX_BLOCK);

  private final String pattern;
  private final OverflowStrategy strategy;
  private final Duration maxBlock;

  private ChannelPolicy(String pattern, OverflowStrategy strategy, Duration maxBlock) {
    this.pattern = pattern;
    this.strategy = strategy;
    this.maxBlock = maxBlock;
  }

  /** A policy for {@code pattern}. */
  public static ChannelPolicy of(String pattern, OverflowStrategy strategy, Duration maxBlock) {
    if (Objects.requireNonNull(pattern, "pattern").isEmpty()) {
      throw new IllegalArgumentException("the channel pattern is empty");
    }
    if (maxBlock.isNegative()
        || maxBlock.isZero()
        || maxBlock.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "max-block " + DurationParser.format(maxBlock) + " is out of range (1ms to 10m)");
    }
    return new ChannelPolicy(pattern, Objects.requireNonNull(strategy, "strategy"), maxBlock);
  }

  /**
   * Reads {@code PATTERN=STRATEGY[,option=value...]}. The only option is {@code max-block} (a duration, for {@code
   * block}). Throws {@link IllegalArgumentException} naming the entry and what is wrong with it.
   */
  public static ChannelPolicy parse(String entry) {
    int eq = entry.lastIndexOf('=', entry.indexOf(',') < 0 ? entry.length() : entry.indexOf(','));
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "channel policy '" + entry + "' is not PATTERN=STRATEGY[,option=value...]");
    }
    String pattern = entry.substring(0, eq).trim();
    String[] parts = entry.substring(eq + 1).split(",", -1);
    try {
      OverflowStrategy strategy = OverflowStrategy.parse(parts[0]);
      Duration maxBlock = DEFAULT_MAX_BLOCK;
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        if (kv.length != 2 || !kv[0].trim().equals("max-block")) {
          throw new IllegalArgumentException(
              "unknown option '" + parts[i] + "' (the only option is max-block=DURATION)");
        }
        if (strategy != OverflowStrategy.BLOCK) {
          throw new IllegalArgumentException("max-block applies to block only");
        }
        maxBlock = DurationParser.parse(kv[1].trim());
      }
      return of(pattern, strategy, maxBlock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("channel policy '" + entry + "': " + e.getMessage(), e);
    }
  }

  /** The glob pattern of channel names this policy applies to. */
  public String pattern() {
    return pattern;
  }

  public OverflowStrategy strategy() {
    return strategy;
  }

  /** For {@link OverflowStrategy#BLOCK}: the longest one subscriber may hold the channel's publishers back. */
  public Duration maxBlock() {
    return maxBlock;
  }

  /** The entry as {@link #parse} reads it. */
  @Override
  public String toString() {
    return pattern + "=" + strategy.label()
        + (strategy == OverflowStrategy.BLOCK && !maxBlock.equals(DEFAULT_MAX_BLOCK)
            ? ",max-block=" + DurationParser.format(maxBlock)
            : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelPolicy p
        && p.pattern.equals(pattern)
        && p.strategy == strategy
        && p.maxBlock.equals(maxBlock);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, strategy, maxBlock);
  }
}
