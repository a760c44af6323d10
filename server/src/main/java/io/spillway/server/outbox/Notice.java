package io.spillway.server.outbox;

import io.spillway.core.outbox.OverflowStrategy;
import java.nio.charset.StandardCharsets;

/**
 * An in-band notice waiting in a client's outbox for {@code __spillway__:notices}: a gap (messages of a channel lost,
 * with the count, which grows while the notice waits and nothing of the channel follows it) or a warning (the client
 * crossed its soft limit). Encoded as JSON when it is handed to the socket. Confined to the client's event loop.
 */
final class Notice {

  /** The channel a client subscribes to in order to receive its own notices. */
  static final String CHANNEL = "__spillway__:notices";

  final ChannelTag tag;
  final OverflowStrategy strategy;
  long lost;
  private final String warningJson;
  /** Why a gap of unknown size happened ({@link #gapOfUnknownSize}); null for a counted gap. */
  private String cause;

  private Notice(ChannelTag tag, OverflowStrategy strategy, long lost, String warningJson) {
    this.tag = tag;
    this.strategy = strategy;
    this.lost = lost;
    this.warningJson = warningJson;
  }

  static Notice gap(ChannelTag tag, OverflowStrategy strategy, long lost) {
    return new Notice(tag, strategy, lost, null);
  }

  /**
   * A gap whose count cannot be known ({@code "lost":null}): messages of the channel may have been lost where this
   * server could not count them, for {@code cause} ({@code "backplane"}: the link to the other servers was down).
   */
  static Notice gapOfUnknownSize(ChannelTag tag, OverflowStrategy strategy, String cause) {
    Notice n = new Notice(tag, strategy, -1, null);
    n.cause = cause;
    return n;
  }

  static Notice warning(boolean above, long queued, long soft, long hard) {
    return new Notice(
        null,
        null,
        0,
        "{\"type\":\"warning\",\"state\":\"" + (above ? "above" : "below")
            + "_soft_limit\",\"queued\":" + queued + ",\"soft_limit\":" + soft + ",\"hard_limit\":"
            + hard + "}");
  }

  boolean isGap() {
    return warningJson == null;
  }

  /** Whether this is a gap with a count (not one of unknown size), which later losses may add to. */
  boolean isCountedGap() {
    return warningJson == null && cause == null;
  }

  /** {@code {"type":"gap","channel":…,"lost":N,"strategy":…}}, or the warning. */
  byte[] json() {
    if (warningJson != null) {
      return warningJson.getBytes(StandardCharsets.US_ASCII);
    }
    StringBuilder sb = new StringBuilder(64 + tag.name().length);
    sb.append("{\"type\":\"gap\",\"channel\":");
    quote(sb, new String(tag.name(), StandardCharsets.UTF_8));
    sb.append(",\"lost\":");
    if (cause != null) {
      sb.append("null");
    } else {
      sb.append(lost);
    }
    sb.append(",\"strategy\":\"").append(strategy.label()).append('"');
    if (cause != null) {
      sb.append(",\"cause\":");
      quote(sb, cause);
    }
    sb.append('}');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
