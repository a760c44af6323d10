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
import io.spillway.core.outbox.OverflowStrategy;
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
   * oldest entries, up to what brings Netty's buffer to two quanta, are gathered into one write: consecutive ranges of the same shared buffer that touch are merged
   * (a run of messages to one channel, concatenated once per loop by the broker, goes out as one range), several
   * ranges travel as one CompositeByteBuf (one Netty entry, one writev), and an owned reply keeps its own promise.
   * When the socket takes less than it was given, Netty's buffer passes the high mark, the channel turns unwritable,
   * and handing stops until Netty has drained to the low mark and reports the channel writable again. So Netty holds
   * at most about two quanta, and a socket that keeps up takes two quanta per writev (32 KiB at the defaults: a
   * flat-out publisher's 32 KiB reads reach each subscriber as one system call, not two), the ring holds the rest, and the kernel's share stays bounded by TCP_NOTSENT_LOWAT or
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
  /** The least time between two such republications. */
  private static final long STATE_MIN_INTERVAL_NANOS = 10_000_000;

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

  private final OutboxQueue queue = new OutboxQueue(INITIAL_ENTRIES);
  private long softLimitBytes;
  private long hardLimitBytes;
  private long handedBound;
  private long acceptedBytes;
  private long droppedMessages;
  private boolean dropping;
  private boolean warnedAboveSoft;
  /** This loop's share of the output budget (max-output-memory); null: no budget. */
  private OutputBudget.Lease lease;
  /** Bytes charged to the budget: at least what the outbox holds. */
  private long charged;

  private long holdingNanos;
  /** Bytes of notice frames handed to Netty and not yet written: they count 0 against the limits. */
  private long noticeBytesInNetty;

  private boolean draining;
  private boolean flushPending;
  private boolean full;
  private boolean cut;
  private boolean released;
  private volatile OutboxState state;
  private long statePublishedAt = Long.MIN_VALUE / 2;

  /**
   * @param writeQuantum Netty's high water mark; one gathered write brings Netty's buffer to at most two of them
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

  /**
   * Charges what this outbox holds to {@code lease}, its loop's share of the output budget (null: no budget); before
   * the first write.
   */
  public void budget(OutputBudget.Lease lease) {
    this.lease = lease;
    if (lease != null) {
      lease.register(this);
    }
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
    ctx.channel()
        .config()
        .setWriteBufferWaterMark(new WriteBufferWaterMark(writeQuantum / 2, writeQuantum));
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
    hardLimitBytes = l.hardLimit().toBytes();
    detector = new SlowConsumerDetector(l, clock);
    detector.holding(holdingNanos);
    publishState();
  }

  /**
   * The client now holds back the publishers of {@code block} channels whose shortest max-block is {@code
   * maxBlockNanos} (0: it holds none back any more); after that long it is cut ({@code max_block}). Called by the
   * owner when it is told its outbox is full or no longer is ({@link OutboxOwner#outboxFull}), and when its
   * subscriptions change meanwhile.
   */
  public void holdingBlockChannels(long maxBlockNanos) {
    holdingNanos = Math.max(0, maxBlockNanos);
    detector.holding(holdingNanos);
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
   * of {@code frames}, as one entry: the broker's run of messages to one channel. What happens when the client
   * cannot take them is the channel's overflow strategy ({@link ChannelTag#strategy()}): {@code disconnect} (and
   * {@code block}) accept or refuse the run whole, cutting the client over its hard limit; {@code drop-newest},
   * {@code drop-oldest} and {@code conflate} drop messages instead and never cut. Takes one hold on {@code frames}
   * if anything is queued. Returns false if the client is (or is now) cut.
   */
  public boolean deliver(SharedBuffer frames, int offset, int length, int messages) {
    if (cut || released) {
      return false;
    }
    ChannelTag tag = frames.tag();
    OverflowStrategy strategy = tag.strategy();
    if (!strategy.lossy()) {
      if (!admit(length, strategy.softWindowExempt() ? 0 : length)) {
        return false;
      }
      frames.hold();
      push(frames, offset, length, messages);
      return true;
    }
    int end = offset + length;
    if (strategy == OverflowStrategy.CONFLATE && behind()) {
      // Behind: only the latest message of the channel is kept; what waits of it and the run's
      // earlier ones go.
      long superseded = queue.evict(tag, strategy, Long.MAX_VALUE, wantsNotices());
      int last = frames.lastMessage(offset, end);
      if (messages > 1) {
        queue.gapAtTail(tag, strategy, messages - 1, wantsNotices());
      }
      dropped(tag, strategy, superseded + messages - 1);
      offset = last;
      length = end - last;
      messages = 1;
    }
    long over = queuedBytes(length) + length - hardLimitBytes;
    if (over > 0 && strategy != OverflowStrategy.DROP_NEWEST) {
      long evicted = queue.evict(tag, strategy, over, wantsNotices());
      dropped(tag, strategy, evicted);
      over -= queue.length;
    }
    if (over > 0 || !charge(length, true)) {
      // No room even so (other channels fill the cap, or the output budget is used up): the new
      // messages are the ones lost.
      queue.gapAtTail(tag, strategy, messages, wantsNotices());
      dropped(tag, strategy, messages);
      return true;
    }
    if (!admit(length, 0)) {
      return false;
    }
    frames.hold();
    push(frames, offset, length, messages);
    return true;
  }

  /**
   * Whether the socket has not taken what it was given: Netty holds a full quantum (it is not writable). Messages
   * queued during this turn of the loop, which its end-of-turn flush hands over, do not make a client behind: a
   * subscriber that gets two runs of a channel in one turn is not slow.
   */
  private boolean behind() {
    return handedBound >= writeQuantum || (ctx != null && !ctx.channel().isWritable());
  }

  /**
   * Queues a gap notice of {@code tag}'s channel whose count cannot be known ({@code "lost":null} with {@code cause}),
   * if the client takes notices and is not cut; the caller asks for the flush. Returns whether one was queued.
   */
  public boolean gapOfUnknownSize(ChannelTag tag, String cause) {
    if (cut || released || !wantsNotices()) {
      return false;
    }
    queue.addNotice(Notice.gapOfUnknownSize(tag, tag.strategy(), cause));
    return true;
  }

  private boolean wantsNotices() {
    return owner != null && owner.wantsNotices();
  }

  /** Counts {@code n} messages dropped, and logs the first drop of an episode (one line, not one per message). */
  private void dropped(ChannelTag tag, OverflowStrategy strategy, long n) {
    if (n <= 0) {
      return;
    }
    droppedMessages += n;
    observer.messagesDropped(strategy, n);
    if (!dropping) {
      dropping = true;
      if (log.isInfoEnabled()) {
        log.info(
            "client {} dropping messages of {}: strategy={} queued={} hard={}",
            owner == null ? ctx.channel().toString() : owner.describe(),
            new String(tag.name(), java.nio.charset.StandardCharsets.UTF_8),
            strategy.label(),
            queuedBytes(),
            hardLimitBytes);
      }
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    if (!admit(buf.readableBytes(), buf.readableBytes())) {
      ReferenceCountUtil.release(msg);
      if (!promise.isVoid()) {
        promise.tryFailure(OutboxCutException.INSTANCE);
      }
      return;
    }
    queue.addOwned(buf, buf.readerIndex(), buf.readableBytes(), promise.isVoid() ? null : promise);
    pushed(buf.readableBytes());
  }

  /**
   * The hard limit, and the start of the soft window, for a write of {@code size} bytes of which {@code softSize}
   * count toward the soft window (0 for a lossy channel's messages); cuts the client and returns false when it is
   * broken.
   */
  private boolean admit(int size, int softSize) {
    if (cut || released) {
      return false;
    }
    long queued = queuedBytes(size);
    detector.hardAllowance(Math.min(queue.blockBytes(), hardLimitBytes));
    DisconnectReason reason =
        detector.onWrite(queued, size, queued - queue.exemptBytes(), softSize);
    if (reason != null) {
      cut(reason, queued);
      return false;
    }
    return charge(size, false);
  }

  /** Bytes charged to the budget beyond what is held that are given back at once. */
  private static final long CHARGE_STEP = 4096;

  /**
   * Charges the budget for {@code size} more bytes (a multiple of CHARGE_STEP at a time, so most writes charge
   * nothing). False if they do not fit: a lossy channel's messages are then dropped; for anything else the lease has
   * cut this client (or larger ones first, and then they fit).
   */
  private boolean charge(int size, boolean lossy) {
    if (lease == null) {
      return true;
    }
    long need = queue.bytes() + handedBound + size - charged;
    if (need <= 0) {
      return true;
    }
    long step = (need + CHARGE_STEP - 1) / CHARGE_STEP * CHARGE_STEP;
    if (lease.charge(this, step, true)) {
      charged += step;
      return true;
    }
    if (!lease.charge(this, need, lossy)) {
      return false;
    }
    charged += need;
    return true;
  }

  /** Gives back to the budget what is charged beyond what the outbox holds now ({@code queued}). */
  private void refundDownTo(long queued) {
    if (lease != null && charged - queued >= 2 * CHARGE_STEP) {
      long back = charged - Math.max(0, queued);
      charged -= back;
      lease.refund(back);
    }
  }

  /** Bytes charged to the output budget. For the lease. */
  long chargedBytes() {
    return charged;
  }

  /**
   * Drops queued messages of lossy channels, oldest first, to give the budget {@code bytes} back (each loss told in a
   * gap notice); returns the bytes given back. For the lease, when the budget is used up.
   */
  long shedLossy(long bytes) {
    if (cut || released) {
      return 0;
    }
    for (ChannelTag tag; queue.bytes() > 0 && (tag = queue.oldestLossyTag()) != null; ) {
      long before = queue.bytes();
      long lost = queue.evict(tag, tag.strategy(), bytes, wantsNotices());
      dropped(tag, tag.strategy(), lost);
      long freed = before - queue.bytes();
      if (freed <= 0 || freed >= bytes) {
        break;
      }
      bytes -= freed;
    }
    // Everything freed goes back at once, whatever the slack refundDownTo keeps.
    long back = charged - (queue.bytes() + handedBound);
    if (back > 0) {
      charged -= back;
      lease.refund(back);
      publishState(); // so that INFO and /v1/stats do not show what just went
      return back;
    }
    return 0;
  }

  /** The output budget is used up and this is the largest consumer on its loop: cut ({@code output_budget}). */
  void cutForBudget() {
    if (!cut && !released) {
      cut(DisconnectReason.OUTPUT_BUDGET, queuedBytes());
    }
  }

  /**
   * Queued bytes for the hard limit, at least: handedBound is at least what Netty still holds (that only shrinks
   * between our writes), so below the soft limit the exact figure is not needed and the hot path reads no field of
   * Netty's; near it, the exact figure is read.
   */
  private long queuedBytes(int size) {
    long queued = queue.bytes() + handedBound;
    if (queued + size >= softLimitBytes) {
      handedBound = nettyPending();
      queued = queue.bytes() + handedBound;
    }
    return queued;
  }

  private void push(SharedBuffer frames, int offset, int length, int messages) {
    queue.addMessages(frames, offset, length, messages);
    pushed(length);
  }

  private void pushed(int length) {
    acceptedBytes += length;
    long queued = queue.bytes() + handedBound;
    if (queued >= softLimitBytes) {
      if (!full) {
        checkFull();
      }
      if (!warnedAboveSoft) {
        warnedAboveSoft = true;
        if (wantsNotices()) {
          queue.addNotice(Notice.warning(true, queued, softLimitBytes, hardLimitBytes));
        }
      }
    }
    if (queue.bytes() >= 2L * writeQuantum) {
      drain();
    }
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
      while (!queue.isEmpty() && ctx.channel().isWritable()) {
        writeBatch(2L * writeQuantum - nettyPending());
        ctx.flush();
      }
    } finally {
      draining = false;
    }
    handedBound = nettyPending();
    long queued = queue.bytes() + handedBound;
    refundDownTo(queued);
    if (full) {
      checkFull();
    }
    if (queued < softLimitBytes && warnedAboveSoft) {
      warnedAboveSoft = false;
      if (wantsNotices()) {
        queue.addNotice(Notice.warning(false, queued, softLimitBytes, hardLimitBytes));
      }
    }
    if (dropping && queued <= softLimitBytes / 2 && !behind()) {
      // Caught up (for conflate, which keeps the queue short while it drops: nothing waits any
      // more).
      dropping = false;
    }
    // Keep what other threads read within a few KiB of the truth between ticks: one small object
    // when it moved,
    // at most one per STATE_MIN_INTERVAL, so the hot path does not allocate one per flush.
    OutboxState published = state;
    if (published == null
        || Math.abs(queued - published.queuedBytes()) >= STATE_STEP_BYTES
        || (queued == 0) != (published.queuedBytes() == 0)) {
      long now = clock.nanoTime();
      if (now - statePublishedAt >= STATE_MIN_INTERVAL_NANOS) {
        statePublishedAt = now;
        publishState();
      }
    }
  }

  /** Writes the oldest entries, up to {@code limit} bytes (at least one entry), as few Netty writes. */
  private void writeBatch(long limit) {
    ByteBuf gathered = null;
    SharedBuffer run = null;
    int runStart = 0;
    int runEnd = 0;
    int runEntries = 0;
    long taken = 0;
    while (!queue.isEmpty() && (taken == 0 || taken < limit)) {
      queue.poll();
      Object item = queue.item;
      int offset = queue.offset;
      int length = queue.length;
      ChannelPromise promise = queue.promise;
      handedBound += length;
      taken += length;
      if (item instanceof Notice notice) {
        ByteBuf frame = owner.noticeFrame(ctx.alloc(), notice.json());
        observer.noticeSent(notice.isGap());
        // A notice counts 0 bytes against the limits, in the outbox and in Netty's buffer alike:
        // its bytes are
        // left out of what Netty holds until they are written.
        int n = frame.readableBytes();
        noticeBytesInNetty += n;
        promise = ctx.newPromise();
        promise.addListener(f -> noticeBytesInNetty -= n);
        item = frame;
      }
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
    detector.hardAllowance(Math.min(queue.blockBytes(), hardLimitBytes));
    DisconnectReason reason =
        detector.observe(queued, queued - queue.exemptBytes(), acceptedBytes - queued);
    if (reason != null) {
      cut(reason, queued);
      return;
    }
    if (!queue.isEmpty()) {
      drain();
    } else if (full) {
      checkFull();
    }
    publishState();
  }

  /** Bytes accepted for the client and not yet taken by its socket. Event loop only: other threads read {@link #state()}. */
  public long queuedBytes() {
    handedBound = nettyPending();
    return queue.bytes() + handedBound;
  }

  /** Bytes handed to Netty and not yet written by it, notices left out. */
  private long nettyPending() {
    ChannelOutboundBuffer out = outbound;
    return out == null
        ? 0
        : Math.max(0, out.totalPendingWriteBytes() - out.currentProgress() - noticeBytesInNetty);
  }

  /** The state as last published by the event loop; any thread. */
  public OutboxState state() {
    return state;
  }

  private void publishState() {
    long queued = ctx == null ? queue.bytes() : queuedBytes();
    state = new OutboxState(
        queued,
        queue.size(),
        droppedMessages,
        TimeUnit.NANOSECONDS.toMillis(detector.nanosAboveSoftLimit()),
        clientClass,
        limits,
        cut);
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
    returnBudget();
    publishState();
    // A promise of its own: its failure (the usual outcome for a reader that takes nothing) must
    // not be reported.
    ctx.writeAndFlush(cutNotice.encode(ctx.alloc(), reason, queued, limits), ctx.newPromise());
    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    released = true;
    releaseQueued(new ClosedChannelException());
    returnBudget();
    if (lease != null) {
      lease.unregister(this);
    }
    publishState();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    released = true;
    releaseQueued(new ClosedChannelException());
    returnBudget();
    if (lease != null) {
      lease.unregister(this);
    }
  }

  /** Gives back every byte charged: the outbox holds nothing any more (what Netty still holds is being freed). */
  private void returnBudget() {
    if (lease != null && charged > 0) {
      lease.refund(charged);
      charged = 0;
    }
  }

  /**
   * Drops every message not yet handed to the socket (replies are kept): the entries are released, their bytes no
   * longer count as queued. Returns how many were dropped. Event loop only.
   */
  public long discardQueuedMessages() {
    return queue.discardMessages();
  }

  /** Gives back every hold and buffer in the ring and fails the waiting promises. */
  private void releaseQueued(Throwable cause) {
    queue.releaseAll(cause);
  }
}
