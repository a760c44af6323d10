package io.spillway.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.pubsub.PipelinedPublisher;
import io.spillway.bench.resp.RespCommands;
import io.spillway.bench.run.BenchException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One publisher connection: PUBLISHes round-robin over the run's channels, at most {@code pipeline} without a
 * reply, and checks each reply's receiver count against the channel's subscribers. Flat out, it sends whenever the
 * window has room; open loop ({@code --rate}), it sends each message at its intended time, stamped with that time,
 * so that a late send shows as latency (no coordinated omission); the sending is {@link PipelinedPublisher}'s. Every
 * method runs on the channel's event loop, except {@link #ready()}, whose future may be awaited from any thread.
 */
final class PublisherHandler extends PipelinedPublisher {

  /** Receiver-count mismatches kept with their details for the report; the rest are only counted. */
  static final int MISMATCH_SAMPLES = 10;

  private static final short CRLF = ('\r' << 8) | '\n';

  /*
   * Design: replies come back in order, so the channel of each in-flight PUBLISH sits in a ring of pipeline slots;
   * a reply pops the oldest.
   */

  private final int id;
  private final int channels;
  private final int pipeline;
  private final int respVersion;
  private final double ratePerSecond;
  private final byte[][] prefixes;
  private final int[] expectedReceivers;
  private final boolean spread;
  private final byte[] padding;
  private final LongSupplier clock;
  private final RunState state;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final int[] inflightChannel;
  private final long[] published;
  private final List<ReceiverMismatch> mismatchSamples = new ArrayList<>();

  private int pendingSetupReplies;
  private RunWindow window;
  private int head;
  private int nextChannel;
  private long sentInWindow;
  private long acked;
  private long receivers;
  private long mismatches;
  private long errors;
  private long unexpectedReplies;
  private String lastError;
  private Disconnect disconnect;

  PublisherHandler(
      int id, List<String> channelNames, FanoutConfig config, LongSupplier clock, RunState state) {
    super(config.pipeline(), frameLength(channelNames, config.payloadBytes()), clock);
    this.id = id;
    this.channels = channelNames.size();
    this.pipeline = config.pipeline();
    this.respVersion = config.respVersion();
    this.ratePerSecond =
        config.rate().isPresent() ? (double) config.rate().getAsLong() / config.publishers() : 0;
    this.prefixes = new byte[channels][];
    this.expectedReceivers = new int[channels];
    this.spread = !config.spread().isEmpty();
    for (int c = 0; c < channels; c++) {
      byte[] name = channelNames.get(c).getBytes(StandardCharsets.UTF_8);
      prefixes[c] = RespCommands.publishPrefix(name, config.payloadBytes());
      expectedReceivers[c] = config.subscribersOn(c);
    }
    this.padding = new byte[config.payloadBytes() - PayloadHeader.LENGTH];
    Arrays.fill(padding, (byte) 'x');
    this.clock = clock;
    this.state = state;
    this.inflightChannel = new int[pipeline];
    this.published = new long[channels];
  }

  private static int frameLength(List<String> channelNames, int payloadBytes) {
    int longestPrefix = 0;
    for (String name : channelNames) {
      longestPrefix = Math.max(
          longestPrefix,
          RespCommands.publishPrefix(name.getBytes(StandardCharsets.UTF_8), payloadBytes).length);
    }
    return longestPrefix + payloadBytes + 2;
  }

  /** Completes when the connection is ready to publish (after HELLO 3's reply with {@code --resp 3}). */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** Starts publishing at {@code window.start()} and stops at {@code window.end()}; on the event loop. */
  void start(RunWindow window) {
    this.window = window;
    begin(window.start(), window.end(), ratePerSecond);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (respVersion == 3) {
      pendingSetupReplies = 1;
      ctx.writeAndFlush(RespCommands.command(ctx.alloc(), "HELLO", "3"));
    } else {
      ready.complete(null);
    }
    super.channelActive(ctx);
  }

  @Override
  protected void sending(long nowNanos, long n) {
    if (window.measures(nowNanos)) {
      sentInWindow += n;
    }
  }

  @Override
  protected void writeFrame(ByteBuf buf, long stampNanos) {
    int c = nextChannel;
    nextChannel = c + 1 == channels ? 0 : c + 1;
    buf.writeBytes(prefixes[c]);
    PayloadHeader.write(buf, id, c, published[c]++, stampNanos);
    buf.writeBytes(padding);
    buf.writeShort(CRLF);
    int slot = head + inflight();
    inflightChannel[slot >= pipeline ? slot - pipeline : slot] = c;
  }

  @Override
  public void onInteger(long value) {
    if (pendingSetupReplies > 0) {
      onOther();
      return;
    }
    if (inflight() == 0) {
      unexpectedReplies++;
      return;
    }
    int c = popInflight();
    acked++;
    // Spread over servers, a PUBLISH counts its own server's receivers only: expect every
    // subscriber.
    receivers += spread ? expectedReceivers[c] : value;
    if (!spread && value != expectedReceivers[c]) {
      mismatches++;
      if (mismatchSamples.size() < MISMATCH_SAMPLES) {
        mismatchSamples.add(new ReceiverMismatch(
            id, c, expectedReceivers[c], value, RunState.secondsInto(window, clock.getAsLong())));
      }
    }
  }

  @Override
  public void onError(String text) {
    lastError = text;
    if (pendingSetupReplies > 0) {
      pendingSetupReplies--;
      ready.completeExceptionally(
          new BenchException("publisher " + id + ": the server replied -" + text));
      return;
    }
    errors++;
    if (inflight() > 0) {
      popInflight();
    }
  }

  @Override
  public void onOther() {
    if (pendingSetupReplies > 0) {
      if (--pendingSetupReplies == 0) {
        ready.complete(null);
      }
      return;
    }
    unexpectedReplies++;
  }

  private int popInflight() {
    int c = inflightChannel[head];
    head = head + 1 == pipeline ? 0 : head + 1;
    answered();
    return c;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    lastError = RunState.describe(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    if (!state.closing() && disconnect == null) {
      String reason = lastError != null ? lastError : "closed by server";
      disconnect =
          new Disconnect("publisher", id, RunState.secondsInto(window, clock.getAsLong()), reason);
    }
    ready.completeExceptionally(new BenchException("publisher " + id
        + ": connection closed during set-up" + (lastError != null ? " (" + lastError + ")" : "")));
    super.channelInactive(ctx);
  }

  /** The counts so far; on the event loop. */
  PublisherStats snapshot() {
    return new PublisherStats(
        id,
        published.clone(),
        sent(),
        sentInWindow,
        acked,
        inflight(),
        receivers,
        mismatches,
        List.copyOf(mismatchSamples),
        errors,
        lastError,
        late(),
        unsent(),
        unexpectedReplies,
        stopped(),
        disconnect);
  }
}
