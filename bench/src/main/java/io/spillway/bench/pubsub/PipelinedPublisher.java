package io.spillway.bench.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.spillway.bench.resp.RespReplyListener;
import io.spillway.bench.resp.RespReplyParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What every bench publisher shares: PUBLISHes pipelined on one connection, never more than {@code pipeline}
 * without a reply. Flat out it sends whenever the window has room, stamped with the send time; open loop
 * ({@code ratePerSecond > 0}) it sends each message at its intended time, stamped with that time, so a late send
 * shows as latency (no coordinated omission). Subclasses write the frames and read the replies. Every method runs on
 * the channel's event loop.
 */
public abstract class PipelinedPublisher extends ByteToMessageDecoder implements RespReplyListener {

  /** A send more than 1 ms after its intended time is counted as late. */
  public static final long LATE_AFTER_NANOS = 1_000_000L;
  /** Shortest timer set: 20 µs; messages due sooner go out in the same batch. */
  static final long MIN_TIMER_NANOS = 20_000L;
  /** Largest buffer written at once: 64 KiB (one frame if a frame is larger). */
  static final int MAX_BATCH_BYTES = 64 * 1024;

  /*
   * Design: sends happen in channelReadComplete (after a batch of replies freed room) and, open loop, on a timer set
   * for the next intended time. A batch is written into few pooled buffers and flushed once. Open loop never builds a
   * queue of its own: messages due while the window is full stay "due" (a count, not a queue) and go out as replies
   * free room, stamped with their intended times and counted late; what is still due at the end is "unsent".
   */

  private final int pipeline;
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
  private long late;

  /**
   * @param pipeline most PUBLISHes without a reply
   * @param frameLength the longest frame {@link #writeFrame} writes, to size buffers
   */
  protected PipelinedPublisher(int pipeline, int frameLength, LongSupplier clock) {
    this.pipeline = pipeline;
    this.frameLength = frameLength;
    this.clock = clock;
  }

  /** Writes PUBLISH number {@link #sent()} into {@code buf}, stamped {@code stampNanos}. */
  protected abstract void writeFrame(ByteBuf buf, long stampNanos);

  /** Called before {@code n} PUBLISHes go out at {@code nowNanos}. */
  protected void sending(long nowNanos, long n) {}

  /** Publishes from {@code startNanos} until {@code endNanos}, then stops by itself; 0 rate is flat out. */
  protected final void begin(long startNanos, long endNanos, double ratePerSecond) {
    this.start = startNanos;
    this.end = endNanos;
    if (ratePerSecond > 0) {
      schedule = new PublishSchedule(startNanos, ratePerSecond);
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
    long n = (long) pipeline - inflight;
    if (schedule != null) {
      n = Math.min(n, schedule.dueBy(now) - sent);
    }
    if (n > 0) {
      sending(now, n);
      int perBuffer = Math.max(1, MAX_BATCH_BYTES / frameLength);
      while (n > 0) {
        int frames = (int) Math.min(n, perBuffer);
        ByteBuf buf = ctx.alloc().ioBuffer(frames * frameLength);
        for (int i = 0; i < frames; i++) {
          long stamp = now;
          if (schedule != null) {
            stamp = schedule.intendedNanos(sent);
            if (now - stamp > LATE_AFTER_NANOS) {
              late++;
            }
          }
          writeFrame(buf, stamp);
          inflight++;
          sent++;
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

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (parser.parse(in, this)) {
      // each reply handled by a listener method
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    super.channelReadComplete(ctx);
    trySend();
  }

  /** A PUBLISH was answered: its window slot is free. */
  protected final void answered() {
    if (inflight > 0) {
      inflight--;
    }
  }

  /** Stops publishing for good (the connection closed). */
  protected final void stop() {
    stopped = true;
  }

  /** Whether publishing is over: the end passed, or {@link #stop()}. */
  protected final boolean stopped() {
    return stopped;
  }

  /** PUBLISHes written: sequence numbers 0..sent-1. */
  protected final long sent() {
    return sent;
  }

  /** PUBLISHes written and not yet answered. */
  protected final int inflight() {
    return inflight;
  }

  /** Open loop: sent more than {@link #LATE_AFTER_NANOS} after their intended time. */
  protected final long late() {
    return late;
  }

  /** Open loop, once stopped: due before the end but never sent because the window stayed full. */
  protected final long unsent() {
    return schedule != null && stopped ? Math.max(0, schedule.dueBy(end - 1) - sent) : 0;
  }

  /** The clock the stamps are read from. */
  protected final long now() {
    return clock.getAsLong();
  }
}
