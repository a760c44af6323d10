package io.spillway.core.outbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens to a channel's messages for a subscriber that cannot take them as fast as they are published (seed
 * 004's answers to a slow consumer), each within the subscriber's byte cap.
 */
public enum OverflowStrategy {
  /** The seeds' two-tier policy: over the hard limit, or above the soft limit for the window, the client is cut. */
  DISCONNECT("disconnect", false),
  /** The oldest queued messages of the channel for that subscriber make room for the new one. */
  DROP_OLDEST("drop-oldest", true),
  /** New messages for that subscriber are dropped while it is over its cap. */
  DROP_NEWEST("drop-newest", true),
  /** While the subscriber is behind, only the latest message of the channel is kept for it. */
  CONFLATE("conflate", true),
  /**
   * Lossless: while a subscriber of the channel is above its soft limit, the channel's publishers are paused; after
   * max-block the subscriber that holds the channel back is cut.
   */
  BLOCK("block", false);

  private final String label;
  private final boolean lossy;

  OverflowStrategy(String label, boolean lossy) {
    this.label = label;
    this.lossy = lossy;
  }

  /** The name in settings, logs, notices and metric labels. */
  public String label() {
    return label;
  }

  /** Whether the strategy drops messages (so a subscriber is told in a gap notice). */
  public boolean lossy() {
    return lossy;
  }

  /**
   * Whether the channel's queued messages are exempt from the soft window: the lossy strategies keep within the cap
   * by dropping, and {@code block} is bounded by max-block instead; only {@code disconnect} is cut for time above
   * the soft limit.
   */
  public boolean softWindowExempt() {
    return this != DISCONNECT;
  }

  /** The strategy named {@code text}; throws {@link IllegalArgumentException} listing the names otherwise. */
  public static OverflowStrategy parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (OverflowStrategy s : values()) {
      if (s.label.equals(t)) {
        return s;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a strategy ("
        + Arrays.stream(values()).map(OverflowStrategy::label).collect(Collectors.joining(", "))
        + ")");
  }
}
