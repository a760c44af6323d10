package io.spillway.bench.slow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.pubsub.PipelinedPublisher;
import io.spillway.bench.resp.RespCommands;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The publisher on a Netty event loop: PUBLISHes to one channel, pipelined, never more than {@code pipeline}
 * without a reply (the shared mechanics are {@link PipelinedPublisher}'s). Open loop ({@code rate > 0}) each message
 * goes out at its intended time, stamped with that time; flat out ({@code rate == 0}) it sends whenever the window
 * has room. Unlike fanout's publisher there is no receiver-count check: slow readers come and go, so the count
 * legitimately moves. Every method runs on the channel's event loop.
 */
final class FloodPublisherHandler extends PipelinedPublisher {

  private static final short CRLF = ('\r' << 8) | '\n';

  private final long rate;
  private final byte[] prefix;
  private final byte[] padding;

  private long acked;
  private long errors;
  private String lastError;
  private String disconnect;

  /** @param rate PUBLISHes per second, or 0 for flat out */
  FloodPublisherHandler(
      String channel, int payloadBytes, long rate, int pipeline, LongSupplier clock) {
    this(
        RespCommands.publishPrefix(channel.getBytes(StandardCharsets.UTF_8), payloadBytes),
        payloadBytes,
        rate,
        pipeline,
        clock);
  }

  private FloodPublisherHandler(
      byte[] prefix, int payloadBytes, long rate, int pipeline, LongSupplier clock) {
    super(pipeline, prefix.length + payloadBytes + 2, clock);
    this.rate = rate;
    this.prefix = prefix;
    this.padding = new byte[payloadBytes - PayloadHeader.LENGTH];
    Arrays.fill(padding, (byte) 'x');
  }

  /** Publishes from {@code startNanos} until {@code endNanos}, then stops by itself; on the event loop. */
  void start(long startNanos, long endNanos) {
    begin(startNanos, endNanos, rate);
  }

  @Override
  protected void writeFrame(ByteBuf buf, long stampNanos) {
    buf.writeBytes(prefix);
    PayloadHeader.write(buf, 0, 0, sent(), stampNanos);
    buf.writeBytes(padding);
    buf.writeShort(CRLF);
  }

  @Override
  public void onInteger(long receivers) {
    if (inflight() > 0) {
      answered();
      acked++;
    }
  }

  @Override
  public void onError(String text) {
    lastError = text;
    errors++;
    answered();
  }

  @Override
  public void onOther() {
    // nothing else is expected on a publishing connection; skipped
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    lastError = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!stopped() && disconnect == null) {
      disconnect = lastError != null ? lastError : "closed by server";
    }
    stop();
    super.channelInactive(ctx);
  }

  /** The counts so far; on the event loop. */
  Stats snapshot() {
    return new Stats(
        sent(), acked, inflight(), errors, late(), unsent(), stopped(), lastError, disconnect);
  }

  /**
   * The publisher's counts at a snapshot. Immutable.
   *
   * @param sent PUBLISHes written (the sequence numbers 0..sent-1)
   * @param acked replies received
   * @param inflight PUBLISHes written and not yet answered
   * @param errors error replies
   * @param late open loop: sent more than {@link PipelinedPublisher#LATE_AFTER_NANOS} after their intended time
   * @param unsent open loop: due before the end but never sent because the window stayed full
   * @param stopped whether publishing is over (the end passed, or the connection closed)
   * @param lastError the last error text, or null
   * @param disconnect how the server closed the connection while publishing, or null
   */
  record Stats(
      long sent,
      long acked,
      long inflight,
      long errors,
      long late,
      long unsent,
      boolean stopped,
      String lastError,
      String disconnect) {}
}
