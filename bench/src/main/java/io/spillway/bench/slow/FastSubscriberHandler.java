package io.spillway.bench.slow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.pubsub.SequenceTracker;
import io.spillway.bench.resp.RespCommands;
import io.spillway.bench.resp.RespReplyListener;
import io.spillway.bench.resp.RespReplyParser;
import io.spillway.bench.run.BenchException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One fast subscriber on a Netty event loop: subscribes on connect, then reads every message as it arrives, checks
 * its sequence number and records its latency from the stamped (intended) send time into its loop's
 * {@link FastShard}. Every method runs on the channel's event loop, except {@link #subscribed()}, whose future may
 * be awaited from any thread.
 */
final class FastSubscriberHandler extends ByteToMessageDecoder implements RespReplyListener {

  private final int id;
  private final String channelName;
  private final LongSupplier clock;
  private final FastShard shard;
  private final SequenceTracker tracker = new SequenceTracker(1, 1);
  private final RespReplyParser parser = new RespReplyParser();
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private long now;
  private String lastError;
  private String disconnect;

  FastSubscriberHandler(int id, String channelName, LongSupplier clock, FastShard shard) {
    this.id = id;
    this.channelName = channelName;
    this.clock = clock;
    this.shard = shard;
  }

  /** Completes when the server confirms the subscription; fails if it refuses or the connection closes first. */
  CompletableFuture<Void> subscribed() {
    return subscribed;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.writeAndFlush(RespCommands.command(ctx.alloc(), "SUBSCRIBE", channelName));
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    now = clock.getAsLong();
    while (parser.parse(in, this)) {
      // each frame handled by a listener method
    }
  }

  @Override
  public void onMessage(
      ByteBuf frame, int channelIdx, int channelLength, int payloadIndex, int payloadLength) {
    if (!tracker.onPayload(frame, payloadIndex, payloadLength)) {
      return;
    }
    shard.record(PayloadHeader.sentNanos(frame, payloadIndex), now);
  }

  @Override
  public void onSubscribed(
      ByteBuf frame, int channelIdx, int channelLength, long subscriptionCount) {
    subscribed.complete(null);
  }

  @Override
  public void onError(String text) {
    lastError = text;
    subscribed.completeExceptionally(
        new BenchException("fast subscriber " + id + ": the server replied -" + text));
  }

  @Override
  public void onOther() {
    // +OK, pings and the like: nothing to count
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    lastError = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!shard.closing() && disconnect == null) {
      disconnect = lastError != null ? lastError : "closed by server";
    }
    subscribed.completeExceptionally(new BenchException(
        "fast subscriber " + id + ": connection closed before SUBSCRIBE was confirmed"
            + (lastError != null ? " (" + lastError + ")" : "")));
    super.channelInactive(ctx);
  }

  /** Messages received so far; on the event loop. */
  long received() {
    return tracker.received();
  }

  /** Sequence numbers skipped so far (not counting the tail never received); on the event loop. */
  long skipped() {
    return tracker.skipped();
  }

  long outOfOrder() {
    return tracker.outOfOrder();
  }

  /** Messages never received given {@code published} were published: gaps plus the tail; on the event loop. */
  long missing(long published) {
    return tracker.missing(0, 0, published);
  }

  /** How the server closed this connection, or null; on the event loop. */
  String disconnect() {
    return disconnect;
  }
}
