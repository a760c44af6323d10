package io.spillway.server.outbox;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.outbox.SlowConsumerDetector;
import io.spillway.core.time.NanoClock;
import io.spillway.server.client.ClientClass;
import io.spillway.server.metrics.ServerStats;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the outbox policy that {@link SlowConsumerDetector} decides, for one client. Every write to the client
 * passes here: a write that would take the queue above the hard limit is refused and the client cut; the tick
 * ({@link #tick()}, driven by the client's event loop) applies the soft-window and write-timeout rules.
 *
 * <p>Must be the outbound handler nearest the socket (first in the pipeline), so that nothing bypasses it. All
 * methods run on the channel's event loop.
 */
public final class OutboxHandler extends ChannelDuplexHandler {

  /*
   * Design notes.
   *
   * Queued bytes are Netty's own count of bytes written and not yet taken by the socket
   * (ChannelOutboundBuffer.totalPendingWriteBytes(), unflushed and flushed alike), less the part of the current
   * message already written (currentProgress()). Netty adds a 96-byte bookkeeping overhead per message to that count
   * unless io.netty.transport.outboundBufferEntrySizeOverhead=0, which SpillwayServer sets before Netty loads; with it
   * the count is exact bytes. Bytes taken by the socket = bytes accepted here - bytes queued: progress is seen when
   * that grows.
   *
   * The kernel's share is bounded separately by the socket send buffer (SO_SNDBUF, fixed per connection), so the
   * most held for a client is hard limit + 2 x SO_SNDBUF.
   *
   * A cut follows seed 000's procedure: one log line; a best-effort final error in the client's protocol (CutNotice:
   * RESP's -ERR, a WebSocket close frame), written behind whatever is queued and not waited for; SO_LINGER 0 and close, so the kernel sends RST and frees its send queue at once instead of
   * keeping an orphaned socket retrying a reader that does not read; removal from every channel (the session does
   * that when the channel goes inactive, before the loop runs its next task); a counter by reason.
   */

  private static final Logger log = LoggerFactory.getLogger("spillway.cut");

  private final NanoClock clock;
  private final ServerStats stats;
  private final OutboxLimits subscriberLimits;
  private final OutboxLimits normalLimits;
  private OutboxOwner owner;
  /** Where the limits are read when set (CONFIG SET changes them); null: the constructor's, fixed. */
  private io.spillway.server.config.LiveLimits live;
  private CutNotice cutNotice = CutNotice.RESP_ERROR;
  private ChannelHandlerContext ctx;
  private ChannelOutboundBuffer outbound;
  private ClientClass clientClass = ClientClass.NORMAL;
  private OutboxLimits limits;
  private SlowConsumerDetector detector;
  private long flushThreshold;
  private long acceptedBytes;
  private long unflushedBytes;
  private boolean cut;

  public OutboxHandler(
      OutboxLimits subscriberLimits, OutboxLimits normalLimits, ServerStats stats, NanoClock clock) {
    this.subscriberLimits = subscriberLimits;
    this.normalLimits = normalLimits;
    this.stats = stats;
    this.clock = clock;
    applyLimits(normalLimits);
  }

  /** Names the client in the cut log line; call before the first write. */
  public void owner(OutboxOwner owner) {
    this.owner = owner;
  }

  /** What a cut client is sent before the close, in its protocol; {@link CutNotice#RESP_ERROR} unless set. */
  public void cutNotice(CutNotice notice) {
    this.cutNotice = notice;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.outbound = ctx.channel().unsafe().outboundBuffer();
    applyWaterMark();
  }

  /** Reads the limits from {@code live} from now on: a change reaches this client within one tick. */
  public void liveLimits(io.spillway.server.config.LiveLimits live) {
    this.live = live;
    applyLimits(limitsOf(clientClass));
    applyWaterMark();
  }

  private OutboxLimits limitsOf(ClientClass c) {
    if (live != null) {
      return c == ClientClass.SUBSCRIBER ? live.subscriberLimits() : live.normalLimits();
    }
    return c == ClientClass.SUBSCRIBER ? subscriberLimits : normalLimits;
  }

  /** Switches to the limits of {@code newClass}; the time-based rules start afresh. */
  public void useClass(ClientClass newClass) {
    if (newClass == clientClass) {
      return;
    }
    clientClass = newClass;
    applyLimits(limitsOf(newClass));
    applyWaterMark();
  }

  private void applyLimits(OutboxLimits l) {
    limits = l;
    detector = new SlowConsumerDetector(l, clock);
    flushThreshold = Math.max(1024, Math.min(16 * 1024, l.softLimit().toBytes() / 4));
  }

  /**
   * Reads stop (the command decoder pauses) while the queue is at or above the soft limit and resume once it has
   * drained to half of it: a client that pipelines requests and reads replies slowly is paced, not cut. (Netty turns
   * a channel unwritable when its pending bytes pass the high mark, hence soft - 1.)
   */
  private void applyWaterMark() {
    if (ctx == null) {
      return;
    }
    int soft = (int) Math.min(Integer.MAX_VALUE, limits.softLimit().toBytes());
    int high = Math.max(1, soft - 1);
    ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(Math.max(0, soft / 2), high));
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf)) {
      ctx.write(msg, promise);
      return;
    }
    if (cut) {
      refuse(msg, promise);
      return;
    }
    int size = ((ByteBuf) msg).readableBytes();
    long queued = queuedBytes();
    DisconnectReason reason = detector.onWrite(queued, size);
    if (reason != null) {
      refuse(msg, promise);
      cut(reason, queued);
      return;
    }
    acceptedBytes += size;
    unflushedBytes += size;
    ctx.write(msg, promise);
    if (unflushedBytes >= flushThreshold) {
      flush(ctx);
    }
  }

  /**
   * Writes a published message to the client under the policy, starting at this handler (a shorter path than the
   * pipeline's tail for the per-subscriber hot path). Takes ownership of {@code frame}.
   */
  public void deliver(ByteBuf frame) {
    write(ctx, frame, ctx.voidPromise());
  }

  private static void refuse(Object msg, ChannelPromise promise) {
    ReferenceCountUtil.release(msg);
    if (!promise.isVoid()) {
      promise.tryFailure(OutboxCutException.INSTANCE);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    unflushedBytes = 0;
    ctx.flush();
  }

  /** Applies the time-based rules; called by the event loop's tick. */
  public void tick() {
    if (cut || ctx == null) {
      return;
    }
    if (live != null && !limitsOf(clientClass).equals(limits)) {
      applyLimits(limitsOf(clientClass));
      applyWaterMark();
    }
    long queued = queuedBytes();
    DisconnectReason reason = detector.observe(queued, acceptedBytes - queued);
    if (reason != null) {
      cut(reason, queued);
    }
  }

  /**
   * Bytes accepted for the client and not yet taken by its socket. Exact on the client's event loop; from other
   * threads (INFO, CLIENT LIST) a moment stale.
   */
  public long queuedBytes() {
    ChannelOutboundBuffer out = outbound;
    return out == null ? 0 : out.totalPendingWriteBytes() - out.currentProgress();
  }

  /** How long the client has been continuously at or above its soft limit, in milliseconds. */
  public long millisAboveSoftLimit() {
    return TimeUnit.NANOSECONDS.toMillis(detector.nanosAboveSoftLimit());
  }

  public ClientClass clientClass() {
    return clientClass;
  }

  public OutboxLimits limits() {
    return limits;
  }

  /** Whether the client has been cut. */
  public boolean isCut() {
    return cut;
  }

  private void cut(DisconnectReason reason, long queued) {
    cut = true;
    stats.cut(reason);
    if (log.isWarnEnabled()) {
      log.warn(
          "client {} disconnected: {} queued={} class={} hard={} soft={} above_soft_ms={} stalled_ms={} subs={} taken={}",
          owner == null ? ctx.channel().toString() : owner.describe(),
          reason.label(),
          queued,
          clientClass.label(),
          limits.hardLimit().toBytes(),
          limits.softLimit().toBytes(),
          millisAboveSoftLimit(),
          TimeUnit.NANOSECONDS.toMillis(detector.nanosWithoutProgress()),
          owner == null ? 0 : owner.subscriptionCount(),
          acceptedBytes - queued);
    }
    // A promise of its own: its failure (the usual outcome for a reader that takes nothing) must not be reported.
    ctx.writeAndFlush(cutNotice.encode(ctx.alloc(), reason, queued, limits), ctx.newPromise());
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    ctx.close();
  }
}
