package io.spillway.server.outbox;

import io.spillway.core.outbox.OverflowStrategy;

/**
 * The channel (or pattern) a run of published messages belongs to, and the overflow strategy its policy gives it: one
 * per channel for as long as it has subscribers, shared by every run of it. Immutable; compared by identity.
 */
public final class ChannelTag {

  /** Replies and other frames that belong to no channel. */
  public static final ChannelTag NONE = new ChannelTag(new byte[0], OverflowStrategy.DISCONNECT);

  private final byte[] name;
  private final OverflowStrategy strategy;

  /**
   * @param name the channel's or pattern's bytes, as notices name it (not copied: never change it)
   * @param strategy what happens to its messages for a subscriber over its cap
   */
  public ChannelTag(byte[] name, OverflowStrategy strategy) {
    this.name = name;
    this.strategy = strategy;
  }

  /** The channel's or pattern's bytes; do not change them. */
  public byte[] name() {
    return name;
  }

  public OverflowStrategy strategy() {
    return strategy;
  }
}
