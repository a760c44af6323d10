package io.spillway.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.pubsub.SequenceTracker;
import io.spillway.bench.resp.InPlaceReplyReader;
import io.spillway.bench.resp.RespCommands;
import io.spillway.bench.resp.RespReplyListener;
import io.spillway.bench.resp.RespReplyParser;
import io.spillway.bench.run.BenchException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One subscriber connection: subscribes to its channel on connect, then checks every message's sequence and
 * records its end-to-end latency. Every method runs on the channel's event loop, except {@link #subscribed()},
 * whose future may be awaited from any thread.
 *
 * <p>Per message it allocates nothing: the frame is parsed in place, the header read from the buffer, the latency
 * recorded in the histograms its event loop's subscribers share (one writer thread, so no lock).
 */
final class SubscriberHandler extends ChannelInboundHandlerAdapter implements RespReplyListener {

  /** Highest latency recorded: 10 min in ns; longer ones are recorded as this and counted as clamped. */
  static final long HIGHEST_LATENCY_NANOS = 600_000_000_000L;

  private final int id;
  private final int channelIndex;
  private final String channelName;
  private final int respVersion;
  private final LongSupplier clock;
  private final Histogram latency;
  private final Histogram intervalLatency;
  private final SequenceTracker tracker;
  private final RunState state;
  private final InPlaceReplyReader reader = new InPlaceReplyReader(new RespReplyParser());
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

  private int pendingSetupReplies;
  private RunWindow window;
  private long now;
  private long deliveredInWindow;
  private long payloadBytesInWindow;
  private long latencyClamped;
  private long errors;
  private String lastError;
  private Disconnect disconnect;

  /**
   * @param latency the measured window's histogram, shared by the subscribers of the event loop this one will be
   *     registered with (messages sent inside the window)
   * @param intervalLatency the same loop's histogram of the current progress interval (every message of the run,
   *     by receive time), read and reset on the loop once a second
   */
  SubscriberHandler(
      int id,
      int channelIndex,
      String channelName,
      FanoutConfig config,
      LongSupplier clock,
      Histogram latency,
      Histogram intervalLatency,
      RunState state) {
    this.id = id;
    this.channelIndex = channelIndex;
    this.channelName = channelName;
    this.respVersion = config.respVersion();
    this.clock = clock;
    this.latency = latency;
    this.intervalLatency = intervalLatency;
    this.tracker = new SequenceTracker(config.publishers(), config.channels());
    this.state = state;
  }

  /** Completes when the server confirms the subscription; fails if it refuses or the connection closes first. */
  CompletableFuture<Void> subscribed() {
    return subscribed;
  }

  /** Gives the run's times; called on the event loop before publishing starts. */
  void arm(RunWindow window) {
    this.window = window;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (respVersion == 3) {
      pendingSetupReplies = 1;
      ctx.write(RespCommands.command(ctx.alloc(), "HELLO", "3"));
    }
    ctx.writeAndFlush(RespCommands.command(ctx.alloc(), "SUBSCRIBE", channelName));
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      now = clock.getAsLong();
      reader.read(in, this);
    } finally {
      in.release();
    }
  }

  @Override
  public void onMessage(
      ByteBuf frame, int channelIdx, int channelLength, int payloadIndex, int payloadLength) {
    if (!tracker.onPayload(frame, payloadIndex, payloadLength)) {
      return;
    }
    RunWindow w = window;
    if (w == null) {
      return;
    }
    if (w.measures(now)) {
      deliveredInWindow++;
      payloadBytesInWindow += payloadLength;
    }
    long sent = PayloadHeader.sentNanos(frame, payloadIndex);
    long raw = Math.max(0, now - sent);
    long l = Math.min(raw, HIGHEST_LATENCY_NANOS);
    intervalLatency.recordValue(l);
    if (w.measures(sent)) {
      if (raw > HIGHEST_LATENCY_NANOS) {
        latencyClamped++;
      }
      latency.recordValue(l);
    }
  }

  @Override
  public void onSubscribed(
      ByteBuf frame, int channelIdx, int channelLength, long subscriptionCount) {
    subscribed.complete(null);
  }

  @Override
  public void onError(String text) {
    if (pendingSetupReplies > 0) {
      pendingSetupReplies--;
    }
    errors++;
    lastError = text;
    subscribed.completeExceptionally(
        new BenchException("subscriber " + id + ": the server replied -" + text));
  }

  @Override
  public void onOther() {
    if (pendingSetupReplies > 0) {
      pendingSetupReplies--;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    lastError = RunState.describe(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!state.closing() && disconnect == null) {
      String reason = lastError != null ? lastError : "closed by server";
      disconnect =
          new Disconnect("subscriber", id, RunState.secondsInto(window, clock.getAsLong()), reason);
    }
    subscribed.completeExceptionally(
        new BenchException("subscriber " + id + ": connection closed before SUBSCRIBE was confirmed"
            + (lastError != null ? " (" + lastError + ")" : "")));
    reader.release();
    super.channelInactive(ctx);
  }

  /**
   * The counts so far; on the event loop.
   *
   * @param published messages published per [publisher][channel], or null while they are not final
   */
  SubscriberStats snapshot(long[][] published) {
    long missing = -1;
    if (published != null) {
      missing = 0;
      for (int p = 0; p < published.length; p++) {
        missing += tracker.missing(p, channelIndex, published[p][channelIndex]);
      }
    }
    return new SubscriberStats(
        id,
        channelIndex,
        tracker.received(),
        deliveredInWindow,
        payloadBytesInWindow,
        tracker.outOfOrder(),
        tracker.skipped(),
        missing,
        tracker.foreign(),
        errors,
        latencyClamped,
        disconnect);
  }
}
