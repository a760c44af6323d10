package io.spillway.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.server.outbox.CutNotice;
import java.time.Duration;

/**
 * A cut WebSocket client's notice: a close frame with {@link #POLICY_VIOLATION} (1008) and a reason starting {@code
 * "slow consumer: "} that names the rule and its limit.
 */
final class WebSocketCutNotice implements CutNotice {

  /** RFC 6455 close code 1008, policy violation. */
  static final int POLICY_VIOLATION = 1008;

  static final WebSocketCutNotice INSTANCE = new WebSocketCutNotice();

  private WebSocketCutNotice() {}

  @Override
  public ByteBuf encode(
      ByteBufAllocator alloc, DisconnectReason reason, long queuedBytes, OutboxLimits limits) {
    return WebSocketFrames.close(alloc, POLICY_VIOLATION, reason(reason, limits));
  }

  /** The close reason for {@code reason} under {@code limits}. */
  static String reason(DisconnectReason reason, OutboxLimits limits) {
    switch (reason) {
      case BUFFER_OVERFLOW:
        return "slow consumer: output buffer over hard limit ("
            + limits.hardLimit().toBytes() + " bytes)";
      case SLOW_READER_SUSTAINED:
        return "slow consumer: output buffer over soft limit ("
            + limits.softLimit().toBytes() + " bytes) for " + format(limits.softWindow());
      case WRITE_TIMEOUT:
        return "slow consumer: write timeout (nothing taken for " + format(limits.writeTimeout())
            + ")";
      default:
        return "slow consumer: " + reason.label();
    }
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
