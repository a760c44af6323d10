package io.spillway.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.pubsub.PublishSchedule;
import io.spillway.bench.resp.RespCommands;
import io.spillway.bench.resp.RespReplyListener;
import io.spillway.bench.resp.RespReplyParser;
import io.spillway.bench.run.BenchException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One publisher connection: PUBLISHes round-robin over the run's channels, at most {@code pipeline} without a
 * reply, and checks each reply's receiver count against the channel's subscribers. Flat out, it sends whenever the
 * window has room; open loop ({@code --rate}), it sends each message at its intended time, stamped with that time,
 * so that a late send shows as latency (no coordinated omission). Every method runs on the channel's event loop,
 * except {@link #ready()}, whose future may be awaited from any thread.
 */
final class PublisherHandler extends ByteToMessageDecoder implements RespReplyListener {

  /** A send more than 1 ms after its intended time is counted as late. */
  static final long LATE_AFTER_NANOS = 1_000_000L;
  /** Shortest timer an open-loop publisher sets: 20 µs; messages due sooner go out in the same batch. */
  static final long MIN_TIMER_NANOS = 20_000L;
  /** Largest buffer written at once: 64 KiB (one frame if a frame is larger). */
  static final int MAX_BATCH_BYTES = 64 * 1024;
  /** Receiver-count mismatches kept with their details for the report; the rest are only counted. */
  static final int MISMATCH_SAMPLES = 10;
  private static final short CRLF = ('\r' << 8) | '\n';

  /*
   * Design: replies come back in order, so the channel of each in-flight PUBLISH sits in a ring of pipeline slots;
   * a reply pops the oldest. Sends happen in channelReadComplete (after a batch of replies freed room) and, open
   * loop, on a timer set for the next intended time. A batch is written into few pooled buffers and flushed once.
   * Open loop never builds a queue of its own: messages that are due while the window is full stay "due" (a
   * count), and go out as replies free room, stamped with their intended times, counted late.
   */

  private final int id;
  private final int channels;
  private final int pipeline;
  private final int respVersion;
  private final double ratePerSecond;
  private final byte[][] prefixes;
  private final int[] expectedReceivers;
  private final byte[] padding;
  private final int frameLength;
  private final LongSupplier clock;
  private final RunState state;
  private final RespReplyParser parser = new RespReplyParser();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final int[] inflightChannel;
  private final long[] published;
  private final Runnable onTimer = this::onTimer;
  private final List<ReceiverMismatch> mismatchSamples = new ArrayList<>();

  private ChannelHandlerContext ctx;
  private int pendingSetupReplies;
  private RunWindow window;
  private PublishSchedule schedule;
  private boolean stopped;
  private boolean timerPending;
  private int head;
  private int inflight;
  private int nextChannel;
  private long sent;
  private long sentInWindow;
  private long acked;
  private long receivers;
  private long mismatches;
  private long errors;
  private long late;
  private long unexpectedReplies;
  private String lastError;
  private Disconnect disconnect;

  PublisherHandler(int id, List<String> channelNames, FanoutConfig config, LongSupplier clock, RunState state) {
    this.id = id;
    this.channels = channelNames.size();
    this.pipeline = config.pipeline();
    this.respVersion = config.respVersion();
    this.ratePerSecond = config.rate().isPresent() ? (double) config.rate().getAsLong() / config.publishers() : 0;
    this.prefixes = new byte[channels][];
    this.expectedReceivers = new int[channels];
    for (int c = 0; c < channels; c++) {
      byte[] name = channelNames.get(c).getBytes(StandardCharsets.UTF_8);
      prefixes[c] = RespCommands.publishPrefix(name, config.payloadBytes());
      expectedReceivers[c] = config.subscribersOn(c);
    }
    this.padding = new byte[config.payloadBytes() - PayloadHeader.LENGTH];
    Arrays.fill(padding, (byte) 'x');
    this.frameLength = Arrays.stream(prefixes).mapToInt(p -> p.length).max().orElse(0) + config.payloadBytes() + 2;
    this.clock = clock;
    this.state = state;
    this.inflightChannel = new int[pipeline];
    this.published = new long[channels];
  }

  /** Completes when the connection is ready to publish (after HELLO 3's reply with {@code --resp 3}). */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** Starts publishing at {@code window.start()} and stops at {@code window.end()}; on the event loop. */
  void start(RunWindow window) {
    this.window = window;
    if (ratePerSecond > 0) {
      schedule = new PublishSchedule(window.start(), ratePerSecond);
    }
    trySend();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    if (respVersion == 3) {
      pendingSetupReplies = 1;
      ctx.writeAndFlush(RespCommands.command(ctx.alloc(), "HELLO", "3"));
    } else {
      ready.complete(null);
    }
    super.channelActive(ctx);
  }

  private void onTimer() {
    timerPending = false;
    trySend();
  }

  private void scheduleTimer(long delayNanos) {
    if (!timerPending) {
      timerPending = true;
      ctx.executor().schedule(onTimer, Math.max(MIN_TIMER_NANOS, delayNanos), TimeUnit.NANOSECONDS);
    }
  }

  private void trySend() {
    if (stopped || window == null || !ctx.channel().isActive()) {
      return;
    }
    long now = clock.getAsLong();
    if (now < window.start()) {
      scheduleTimer(window.start() - now);
      return;
    }
    if (now >= window.end()) {
      stopped = true;
      return;
    }
    long n = pipeline - inflight;
    if (schedule != null) {
      n = Math.min(n, schedule.dueBy(now) - sent);
    }
    if (n > 0) {
      if (window.measures(now)) {
        sentInWindow += n;
      }
      int perBuffer = Math.max(1, MAX_BATCH_BYTES / frameLength);
      while (n > 0) {
        int frames = (int) Math.min(n, perBuffer);
        ByteBuf buf = ctx.alloc().ioBuffer(frames * frameLength);
        for (int i = 0; i < frames; i++) {
          writeFrame(buf, now);
        }
        ctx.write(buf, ctx.voidPromise());
        n -= frames;
      }
      ctx.flush();
    }
    if (schedule != null && inflight < pipeline) {
      scheduleTimer(schedule.intendedNanos(sent) - now);
    }
  }

  private void writeFrame(ByteBuf buf, long now) {
    long stamp = now;
    if (schedule != null) {
      stamp = schedule.intendedNanos(sent);
      if (now - stamp > LATE_AFTER_NANOS) {
        late++;
      }
    }
    int c = nextChannel;
    nextChannel = c + 1 == channels ? 0 : c + 1;
    buf.writeBytes(prefixes[c]);
    PayloadHeader.write(buf, id, c, published[c]++, stamp);
    buf.writeBytes(padding);
    buf.writeShort(CRLF);
    int slot = head + inflight;
    inflightChannel[slot >= pipeline ? slot - pipeline : slot] = c;
    inflight++;
    sent++;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (parser.parse(in, this)) {
      // each reply handled by a listener method
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    super.channelReadComplete(ctx);
    trySend();
  }

  @Override
  public void onInteger(long value) {
    if (pendingSetupReplies > 0) {
      onOther();
      return;
    }
    if (inflight == 0) {
      unexpectedReplies++;
      return;
    }
    int c = popInflight();
    acked++;
    receivers += value;
    if (value != expectedReceivers[c]) {
      mismatches++;
      if (mismatchSamples.size() < MISMATCH_SAMPLES) {
        mismatchSamples.add(new ReceiverMismatch(id, c, expectedReceivers[c], value,
            RunState.secondsInto(window, clock.getAsLong())));
      }
    }
  }

  @Override
  public void onError(String text) {
    lastError = text;
    if (pendingSetupReplies > 0) {
      pendingSetupReplies--;
      ready.completeExceptionally(new BenchException("publisher " + id + ": the server replied -" + text));
      return;
    }
    errors++;
    if (inflight > 0) {
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
    inflight--;
    return c;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    lastError = RunState.describe(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stopped = true;
    if (!state.closing() && disconnect == null) {
      String reason = lastError != null ? lastError : "closed by server";
      disconnect = new Disconnect("publisher", id, RunState.secondsInto(window, clock.getAsLong()), reason);
    }
    ready.completeExceptionally(new BenchException("publisher " + id + ": connection closed during set-up"
        + (lastError != null ? " (" + lastError + ")" : "")));
    super.channelInactive(ctx);
  }

  /** The counts so far; on the event loop. */
  PublisherStats snapshot() {
    long unsent = 0;
    if (schedule != null && stopped) {
      unsent = Math.max(0, schedule.dueBy(window.end() - 1) - sent);
    }
    return new PublisherStats(id, published.clone(), sent, sentInWindow, acked, inflight, receivers, mismatches,
        List.copyOf(mismatchSamples), errors, lastError, late, unsent, unexpectedReplies, stopped, disconnect);
  }
}
