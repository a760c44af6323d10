package io.spillway.server.outbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
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
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's outbox: a bounded queue of everything accepted for the client and not yet handed to its socket, and
 * the enforcement of the policy that {@link SlowConsumerDetector} decides. Published messages enter by {@link
 * #deliver} as references to frames shared with other subscribers; replies and every other write of the pipeline
 * enter by {@link #write}. A write that would take the client above its hard limit is refused and the client cut; the
 * tick ({@link #tick()}) applies the soft-window and write-timeout rules.
 *
 * <p>Must be the handler nearest the socket (first in the pipeline), so that nothing bypasses it. Every method runs
 * on the channel's event loop, except {@link #state()}, which any thread may call.
 */
public final class OutboxHandler extends ChannelDuplexHandler {

  /*
   * Design notes.
   *
   * The queue is a ring of parallel arrays (item, offset, length, promise): an entry is either a range of a
   * SharedBuffer (a published message: the bytes are shared with every subscriber on this loop, and the entry costs a
   * plain holder increment, no allocation, no atomic) or a ByteBuf the client owns alone (a reply). Entries stay
   * droppable until they are handed to Netty, so a later policy can drop the oldest messages of a channel, replace
   * one by a newer one, or count what each channel lost.
   *
   * Handing to the socket: while Netty's own buffer is below writeQuantum (its high water mark, set here), the
   * oldest entries are gathered into one write: consecutive ranges of the same shared buffer that touch are merged
   * (a run of messages to one channel, concatenated once per loop by the broker, goes out as one range), several
   * ranges travel as one CompositeByteBuf (one Netty entry, one writev), and an owned reply keeps its own promise.
   * When the socket takes less than it was given, Netty's buffer passes the high mark, the channel turns unwritable,
   * and handing stops until Netty has drained to the low mark and reports the channel writable again. So Netty holds
   * at most about two quanta, the ring holds the rest, and the kernel's share stays bounded by TCP_NOTSENT_LOWAT or
   * SO_SNDBUF as before.
   *
   * Queued bytes = bytes in the ring + bytes in Netty's buffer not yet written (exact: SpillwayServer turns Netty's
   * per-entry overhead off). The hard limit applies to that sum before a write is accepted; bytes taken by the socket
   * = bytes accepted - bytes queued, and the tick sees progress when that grows.
   *
   * A cut follows seed 000's procedure: one log line; every byte held in the ring released at once; a best-effort
   * final error in the client's protocol (CutNotice) written straight to the socket, not waited for; SO_LINGER 0 and
   * close, so the kernel sends RST and frees its send queue instead of keeping an orphaned socket retrying a reader
   * that does not read; removal from every channel (the session does that when the channel goes inactive, before the
   * loop runs its next task); a counter by reason.
   *
   * Other threads (CLIENT LIST, INFO, /v1/clients, metrics) never read the fields here: the loop publishes an
   * immutable OutboxState on every tick and on each change of class or cut.
   */

  private static final Logger log = LoggerFactory.getLogger("spillway.cut");
  private static final int INITIAL_ENTRIES = 16;
  /** The change of queued bytes at which a drain republishes the state before the next tick. */
  private static final long STATE_STEP_BYTES = 4096;

  private final NanoClock clock;
  private final OutboxObserver observer;
  private final OutboxLimits subscriberLimits;
  private final OutboxLimits normalLimits;
  private final int writeQuantum;
  private OutboxOwner owner;
  /** Where the limits are read when set (CONFIG SET changes them); null: the constructor's, fixed. */
  private LimitsSource live;
  private CutNotice cutNotice = CutNotice.RESP_ERROR;
  private ChannelHandlerContext ctx;
  /**
   * The promise of writes nobody waits for: unlike {@code ctx.voidPromise()} it reports no failure, so the writes a
   * closing connection drops do not each raise an exception through the pipeline.
   */
  private ChannelPromise silent;
  private ChannelOutboundBuffer outbound;
  private ClientClass clientClass = ClientClass.NORMAL;
  private OutboxLimits limits;
  private SlowConsumerDetector detector;

  private Object[] items = new Object[INITIAL_ENTRIES];
  private int[] offsets = new int[INITIAL_ENTRIES];
  private int[] lengths = new int[INITIAL_ENTRIES];
  private int[] messageCounts = new int[INITIAL_ENTRIES];
  private ChannelPromise[] promises = new ChannelPromise[INITIAL_ENTRIES];
  private long softLimitBytes;
  private long handedBound;
  private int head;
  private int count;
  private long ringBytes;
  private long acceptedBytes;
  private boolean draining;
  private boolean flushPending;
  private boolean full;
  private boolean cut;
  private boolean released;
  private volatile OutboxState state;

  /**
   * @param writeQuantum the most bytes handed to the socket in one gathered write, and Netty's high water mark
   */
  public OutboxHandler(
      OutboxLimits subscriberLimits,
      OutboxLimits normalLimits,
      int writeQuantum,
      OutboxObserver observer,
      NanoClock clock) {
    if (writeQuantum < 1) {
      throw new IllegalArgumentException("writeQuantum must be at least 1, was " + writeQuantum);
    }
    this.subscriberLimits = subscriberLimits;
    this.normalLimits = normalLimits;
    this.writeQuantum = writeQuantum;
    this.observer = observer;
    this.clock = clock;
    applyLimits(normalLimits);
  }

  /** Names the client in the cut log line and receives the pacing signal; call before the first write. */
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
    this.silent = ctx.channel().unsafe().voidPromise();
    ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(writeQuantum / 2, writeQuantum));
  }

  /** Reads the limits from {@code live} from now on: a change reaches this client within one tick. */
  public void liveLimits(LimitsSource live) {
    this.live = live;
    applyLimits(limitsOf(clientClass));
  }

  private OutboxLimits limitsOf(ClientClass c) {
    if (live != null) {
      return live.limits(c);
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
  }

  private void applyLimits(OutboxLimits l) {
    limits = l;
    softLimitBytes = l.softLimit().toBytes();
    detector = new SlowConsumerDetector(l, clock);
    publishState();
  }

  /**
   * Queues {@code length} bytes at {@code offset} of {@code frames} for the client: one published message. Takes
   * one hold on {@code frames} if accepted. Returns false if the client is (or is now) cut.
   */
  public boolean deliver(SharedBuffer frames, int offset, int length) {
    return deliver(frames, offset, length, 1);
  }

  /**
   * Queues {@code messages} whole published messages that lie side by side, {@code length} bytes at {@code offset}
   * of {@code frames}, as one entry: the broker's run of messages to one channel. Accepted or refused whole (the
   * hard limit applies to all of it). Takes one hold on {@code frames} if accepted. Returns false if the client is
   * (or is now) cut.
   */
  public boolean deliver(SharedBuffer frames, int offset, int length, int messages) {
    if (!admit(length)) {
      return false;
    }
    frames.hold();
    push(frames, offset, length, null, messages);
    return true;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    if (!admit(buf.readableBytes())) {
      ReferenceCountUtil.release(msg);
      if (!promise.isVoid()) {
        promise.tryFailure(OutboxCutException.INSTANCE);
      }
      return;
    }
    push(buf, buf.readerIndex(), buf.readableBytes(), promise.isVoid() ? null : promise, 0);
  }

  /** The hard limit, and the start of the soft window; cuts the client and returns false when it is broken. */
  private boolean admit(int size) {
    if (cut || released) {
      return false;
    }
    // handedBound >= what Netty still holds (it only shrinks between our writes): below the soft limit with it, the
    // exact figure is not needed, and the hot path reads no field of Netty's.
    long queued = ringBytes + handedBound;
    if (queued + size >= softLimitBytes) {
      handedBound = nettyPending();
      queued = ringBytes + handedBound;
    }
    DisconnectReason reason = detector.onWrite(queued, size);
    if (reason != null) {
      cut(reason, queued);
      return false;
    }
    return true;
  }

  private void push(Object item, int offset, int length, ChannelPromise promise, int messages) {
    if (count == items.length) {
      grow();
    }
    int i = (head + count) & (items.length - 1);
    items[i] = item;
    offsets[i] = offset;
    lengths[i] = length;
    messageCounts[i] = messages;
    if (promise != null) {
      promises[i] = promise;
    }
    count++;
    ringBytes += length;
    acceptedBytes += length;
    if (!full && ringBytes + handedBound >= softLimitBytes) {
      checkFull();
    }
    if (ringBytes >= writeQuantum) {
      drain();
    }
  }

  private void grow() {
    int n = items.length;
    Object[] newItems = new Object[n * 2];
    int[] newOffsets = new int[n * 2];
    int[] newLengths = new int[n * 2];
    int[] newCounts = new int[n * 2];
    ChannelPromise[] newPromises = new ChannelPromise[n * 2];
    for (int k = 0; k < count; k++) {
      int from = (head + k) & (n - 1);
      newItems[k] = items[from];
      newOffsets[k] = offsets[from];
      newLengths[k] = lengths[from];
      newCounts[k] = messageCounts[from];
      newPromises[k] = promises[from];
    }
    items = newItems;
    offsets = newOffsets;
    lengths = newLengths;
    messageCounts = newCounts;
    promises = newPromises;
    head = 0;
  }

  /** Marks this outbox for its loop's end-of-turn flush; false if it already was. For {@code IoLoop}. */
  public boolean markFlushPending() {
    if (flushPending) {
      return false;
    }
    flushPending = true;
    return true;
  }

  /** Clears the mark, before the flush. For {@code IoLoop}. */
  public void clearFlushPending() {
    flushPending = false;
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    drain();
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Hands queued entries to the socket while Netty's buffer is below the high mark. */
  public void drain() {
    if (draining || cut || released || ctx == null) {
      return;
    }
    draining = true;
    try {
      while (count > 0 && ctx.channel().isWritable()) {
        writeBatch();
        ctx.flush();
      }
    } finally {
      draining = false;
    }
    handedBound = nettyPending();
    if (full) {
      checkFull();
    }
    // Keep what other threads read within a few KiB of the truth between ticks (one small object when it moved).
    long queued = ringBytes + handedBound;
    OutboxState published = state;
    if (published == null || Math.abs(queued - published.queuedBytes()) >= STATE_STEP_BYTES
        || (queued == 0) != (published.queuedBytes() == 0)) {
      publishState();
    }
  }

  /** Writes the oldest entries, up to {@link #writeQuantum} bytes (at least one entry), as few Netty writes. */
  private void writeBatch() {
    ByteBuf gathered = null;
    SharedBuffer run = null;
    int runStart = 0;
    int runEnd = 0;
    int runEntries = 0;
    long taken = 0;
    int mask = items.length - 1;
    while (count > 0 && taken < writeQuantum) {
      int i = head;
      Object item = items[i];
      int offset = offsets[i];
      int length = lengths[i];
      ChannelPromise promise = promises[i];
      items[i] = null;
      promises[i] = null;
      head = (i + 1) & mask;
      count--;
      ringBytes -= length;
      handedBound += length;
      taken += length;
      if (item instanceof SharedBuffer frames) {
        if (frames == run && offset == runEnd) {
          runEnd += length;
          runEntries++;
          continue;
        }
        gathered = gather(gathered, run, runStart, runEnd, runEntries);
        run = frames;
        runStart = offset;
        runEnd = offset + length;
        runEntries = 1;
      } else {
        gathered = gather(gathered, run, runStart, runEnd, runEntries);
        run = null;
        if (gathered != null) {
          ctx.write(gathered, silent);
          gathered = null;
        }
        ctx.write(item, promise == null ? silent : promise);
      }
    }
    gathered = gather(gathered, run, runStart, runEnd, runEntries);
    if (gathered != null) {
      ctx.write(gathered, silent);
    }
  }

  /** Adds the run {@code [start, end)} of {@code frames} to {@code gathered}, giving back the run's holds. */
  private ByteBuf gather(ByteBuf gathered, SharedBuffer frames, int start, int end, int entries) {
    if (frames == null) {
      return gathered;
    }
    ByteBuf range = frames.buf().retainedSlice(start, end - start);
    for (int k = 0; k < entries; k++) {
      frames.release();
    }
    if (gathered == null) {
      return range;
    }
    CompositeByteBuf composite;
    if (gathered instanceof CompositeByteBuf c) {
      composite = c;
    } else {
      composite = ctx.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
      composite.addComponent(true, gathered);
    }
    composite.addComponent(true, range);
    return composite;
  }

  /** Tells the owner when the queue reaches the soft limit, and when it is back at half of it. */
  private void checkFull() {
    long soft = limits.softLimit().toBytes();
    long queued = queuedBytes();
    if (!full && queued >= soft) {
      full = true;
      if (owner != null) {
        owner.outboxFull(true);
      }
    } else if (full && queued <= soft / 2) {
      full = false;
      if (owner != null) {
        owner.outboxFull(false);
      }
    }
  }

  /** Applies the time-based rules and publishes the state; called by the event loop's tick. */
  public void tick() {
    if (cut || released || ctx == null) {
      return;
    }
    if (live != null && !limitsOf(clientClass).equals(limits)) {
      applyLimits(limitsOf(clientClass));
    }
    long queued = queuedBytes();
    DisconnectReason reason = detector.observe(queued, acceptedBytes - queued);
    if (reason != null) {
      cut(reason, queued);
      return;
    }
    if (count > 0) {
      drain();
    } else if (full) {
      checkFull();
    }
    publishState();
  }

  /** Bytes accepted for the client and not yet taken by its socket. Event loop only: other threads read {@link #state()}. */
  public long queuedBytes() {
    handedBound = nettyPending();
    return ringBytes + handedBound;
  }

  /** Bytes handed to Netty and not yet written by it. */
  private long nettyPending() {
    ChannelOutboundBuffer out = outbound;
    return out == null ? 0 : out.totalPendingWriteBytes() - out.currentProgress();
  }

  /** The state as last published by the event loop; any thread. */
  public OutboxState state() {
    return state;
  }

  private void publishState() {
    long queued = ctx == null ? ringBytes : queuedBytes();
    state = new OutboxState(queued, count, TimeUnit.NANOSECONDS.toMillis(detector.nanosAboveSoftLimit()),
        clientClass, limits, cut);
  }

  /** Whether the client has been cut. Event loop only. */
  public boolean isCut() {
    return cut;
  }

  private void cut(DisconnectReason reason, long queued) {
    cut = true;
    observer.clientCut(reason);
    if (log.isWarnEnabled()) {
      log.warn(
          "client {} disconnected: {} queued={} class={} hard={} soft={} above_soft_ms={} stalled_ms={} subs={} taken={}",
          owner == null ? ctx.channel().toString() : owner.describe(),
          reason.label(),
          queued,
          clientClass.label(),
          limits.hardLimit().toBytes(),
          limits.softLimit().toBytes(),
          TimeUnit.NANOSECONDS.toMillis(detector.nanosAboveSoftLimit()),
          TimeUnit.NANOSECONDS.toMillis(detector.nanosWithoutProgress()),
          owner == null ? 0 : owner.subscriptionCount(),
          acceptedBytes - queued);
    }
    releaseQueued(OutboxCutException.INSTANCE);
    publishState();
    // A promise of its own: its failure (the usual outcome for a reader that takes nothing) must not be reported.
    ctx.writeAndFlush(cutNotice.encode(ctx.alloc(), reason, queued, limits), ctx.newPromise());
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    released = true;
    releaseQueued(new ClosedChannelException());
    publishState();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    released = true;
    releaseQueued(new ClosedChannelException());
  }

  /**
   * Drops every message not yet handed to the socket (replies are kept): the entries are released, their bytes no
   * longer count as queued. Returns how many were dropped. Event loop only.
   */
  public int discardQueuedMessages() {
    int mask = items.length - 1;
    int kept = 0;
    int dropped = 0;
    for (int k = 0; k < count; k++) {
      int i = (head + k) & mask;
      Object item = items[i];
      if (item instanceof SharedBuffer frames) {
        frames.release();
        ringBytes -= lengths[i];
        dropped += messageCounts[i];
      } else {
        int to = (head + kept) & mask;
        items[to] = item;
        offsets[to] = offsets[i];
        lengths[to] = lengths[i];
        messageCounts[to] = messageCounts[i];
        promises[to] = promises[i];
        kept++;
      }
    }
    for (int k = kept; k < count; k++) {
      int i = (head + k) & mask;
      items[i] = null;
      promises[i] = null;
    }
    count = kept;
    return dropped;
  }

  /** Gives back every hold and buffer in the ring and fails the waiting promises. */
  private void releaseQueued(Throwable cause) {
    int mask = items.length - 1;
    while (count > 0) {
      int i = head;
      Object item = items[i];
      ChannelPromise promise = promises[i];
      items[i] = null;
      promises[i] = null;
      head = (i + 1) & mask;
      count--;
      if (item instanceof SharedBuffer frames) {
        frames.release();
      } else {
        ReferenceCountUtil.release(item);
      }
      if (promise != null) {
        promise.tryFailure(cause);
      }
    }
    ringBytes = 0;
  }
}
