package io.spillway.server.outbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes a cut client is sent, in its own protocol: written best effort behind whatever is queued, and lost
 * if the socket does not take them before the abortive close. Called on the client's event loop.
 */
@FunctionalInterface
public interface CutNotice {

  /** RESP's: {@code -ERR client cut: <reason> (queued <n> bytes)}. The default. */
  CutNotice RESP_ERROR = (alloc, reason, queuedBytes, limits) -> {
    byte[] error = ("-ERR client cut: " + reason.label() + " (queued " + queuedBytes
            + " bytes)\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    return alloc.buffer(error.length).writeBytes(error);
  };

  /**
   * Encodes the notice.
   *
   * @param reason why the client is cut
   * @param queuedBytes bytes queued for the client when it was cut
   * @param limits the limits the client was held to
   */
  ByteBuf encode(
      ByteBufAllocator alloc, DisconnectReason reason, long queuedBytes, OutboxLimits limits);
}
