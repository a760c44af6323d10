package io.spillway.bench.slow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.pubsub.PublishSchedule;
import io.spillway.bench.resp.RespCommands;
import io.spillway.bench.resp.RespReplyListener;
import io.spillway.bench.resp.RespReplyParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The publisher on a Netty event loop: PUBLISHes to one channel, pipelined, never more than {@code pipeline}
 * without a reply. Open loop ({@code rate > 0}) each message goes out at its intended time, stamped with that time
 * (a late send shows as latency); flat out ({@code rate == 0}) it sends whenever the window has room, stamped with
 * the send time. Every method runs on the channel's event loop.
 */
final class FloodPublisherHandler extends ByteToMessageDecoder implements RespReplyListener {

  /** A send more than 1 ms after its intended time is counted as late. */
  static final long LATE_AFTER_NANOS = 1_000_000L;
  /** Shortest timer set: 20 µs; messages due sooner go out in the same batch. */
  static final long MIN_TIMER_NANOS = 20_000L;
  /** Largest buffer written at once: 64 KiB (one frame if a frame is larger). */
  static final int MAX_BATCH_BYTES = 64 * 1024;
  private static final short CRLF = ('\r' << 8) | '\n';

  /*
   * Design: the same shape as fanout's PublisherHandler, for one channel and no receiver-count check (slow readers
   * come and go, so the count legitimately moves). The bound is the window: the bench never queues PUBLISHes of its
   * own. Open loop, messages due while the window is full stay "due" (a count, not a queue) and go out as replies
   * free room, stamped with their intended times and counted late; what is still due at the end is "unsent".
   */

  private final long rate;
  private final int pipeline;
  private final byte[] prefix;
  private final byte[] padding;
  private final int frameLength;
  private final LongSupplier clock;
  private final RespReplyParser parser = new RespReplyParser();
  private final Runnable onTimer = this::onTimer;

  private ChannelHandlerContext ctx;
  private PublishSchedule schedule;
  private long start = Long.MAX_VALUE;
  private long end;
  private boolean stopped;
  private boolean timerPending;
  private int inflight;
  private long sent;
  private long acked;
  private long errors;
  private long late;
  private String lastError;
  private String disconnect;

  /** @param rate PUBLISHes per second, or 0 for flat out */
  FloodPublisherHandler(String channel, int payloadBytes, long rate, int pipeline, LongSupplier clock) {
    this.rate = rate;
    this.pipeline = pipeline;
    this.prefix = RespCommands.publishPrefix(channel.getBytes(StandardCharsets.UTF_8), payloadBytes);
    this.padding = new byte[payloadBytes - PayloadHeader.LENGTH];
    Arrays.fill(padding, (byte) 'x');
    this.frameLength = prefix.length + payloadBytes + 2;
    this.clock = clock;
  }

  /** Publishes from {@code startNanos} until {@code endNanos}, then stops by itself; on the event loop. */
  void start(long startNanos, long endNanos) {
    this.start = startNanos;
    this.end = endNanos;
    if (rate > 0) {
      schedule = new PublishSchedule(startNanos, rate);
    }
    trySend();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
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
    if (stopped || start == Long.MAX_VALUE || !ctx.channel().isActive()) {
      return;
    }
    long now = clock.getAsLong();
    if (now < start) {
      scheduleTimer(start - now);
      return;
    }
    if (now >= end) {
      stopped = true;
      return;
    }
    long n = pipeline - inflight;
    if (schedule != null) {
      n = Math.min(n, schedule.dueBy(now) - sent);
    }
    if (n > 0) {
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
      scheduleTimer(Math.min(schedule.intendedNanos(sent), end) - now);
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
    buf.writeBytes(prefix);
    PayloadHeader.write(buf, 0, 0, sent, stamp);
    buf.writeBytes(padding);
    buf.writeShort(CRLF);
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
  public void onInteger(long receivers) {
    if (inflight > 0) {
      inflight--;
      acked++;
    }
  }

  @Override
  public void onError(String text) {
    lastError = text;
    errors++;
    if (inflight > 0) {
      inflight--;
    }
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
    if (!stopped && disconnect == null) {
      disconnect = lastError != null ? lastError : "closed by server";
    }
    stopped = true;
    super.channelInactive(ctx);
  }

  /** The counts so far; on the event loop. */
  Stats snapshot() {
    long unsent = schedule != null && stopped ? Math.max(0, schedule.dueBy(end - 1) - sent) : 0;
    return new Stats(sent, acked, inflight, errors, late, unsent, stopped, lastError, disconnect);
  }

  /**
   * The publisher's counts at a snapshot. Immutable.
   *
   * @param sent PUBLISHes written (the sequence numbers 0..sent-1)
   * @param acked replies received
   * @param inflight PUBLISHes written and not yet answered
   * @param errors error replies
   * @param late open loop: sent more than {@link #LATE_AFTER_NANOS} after their intended time
   * @param unsent open loop: due before the end but never sent because the window stayed full
   * @param stopped whether publishing is over (the end passed, or the connection closed)
   * @param lastError the last error text, or null
   * @param disconnect how the server closed the connection while publishing, or null
   */
  record Stats(long sent, long acked, long inflight, long errors, long late, long unsent, boolean stopped,
      String lastError, String disconnect) {}
}
