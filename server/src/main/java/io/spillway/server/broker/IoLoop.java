package io.spillway.server.broker;

import io.netty.channel.EventLoop;
import io.spillway.core.flow.BacklogPolicy;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.outbox.OutputBudget;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state one Netty event loop owns: the outboxes of its clients, the work it defers to the end of its current
 * batch (deliveries, then flushes), its share of the delivery counters, and its delivery backlog. Every method must
 * be called on {@link #eventLoop()} unless its Javadoc says otherwise.
 */
public final class IoLoop {

  /*
   * Design notes.
   *
   * End of turn: a publish only records its message (Outgoing); a delivery only queues references in outboxes and
   * asks markForFlush(). The first of them in a batch of work schedules one task at the end of the loop's task queue,
   * which hands every other loop its deliveries as one task, delivers this loop's own, and then hands each marked
   * outbox's queue to its socket: N publishes that arrive together cost each other loop one task and each subscriber
   * one writev, not N.
   *
   * Counters: the per-message counters are written by this loop only (lazySet: no fence on the hot path) and read by
   * INFO and the metrics from any thread.
   *
   * Backlog: bytes of messages other loops have handed to this one and it has not yet delivered. BacklogPolicy (core)
   * decides when publishers pause on it and when they resume; this class counts it and wakes the paused.
   */

  private final int index;
  private final EventLoop eventLoop;
  private final BacklogPolicy backlogPolicy;
  private final ArrayList<OutboxHandler> outboxes = new ArrayList<>();
  private final ArrayList<OutboxHandler> pendingFlush = new ArrayList<>();
  private final Runnable endOfTurnTask = this::endOfTurn;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong backlogBytes = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> drainWaiters = new ConcurrentLinkedQueue<>();
  private Runnable deliveries = () -> {};
  private boolean endOfTurnScheduled;
  private ScheduledFuture<?> tick;
  private OutputBudget.Lease budget;

  public IoLoop(int index, EventLoop eventLoop, BacklogPolicy backlogPolicy) {
    this.index = index;
    this.eventLoop = eventLoop;
    this.backlogPolicy = backlogPolicy;
  }

  /** This loop's position among the server's loops, from 0. Any thread. */
  public int index() {
    return index;
  }

  /** Any thread. */
  public EventLoop eventLoop() {
    return eventLoop;
  }

  /** Gives this loop its share of the output budget; before the first client. */
  public void budget(OutputBudget.Lease lease) {
    this.budget = lease;
  }

  /** Bytes all outboxes hold, as charged to the output budget of {@code loops}; 0 without one. Any thread. */
  public static long outputMemoryUsed(IoLoop[] loops) {
    OutputBudget.Lease l = loops.length == 0 ? null : loops[0].budget;
    return l == null ? 0 : l.budget().used();
  }

  /** The output budget (max-output-memory) of {@code loops}; 0 without one. Any thread. */
  public static long outputMemoryMax(IoLoop[] loops) {
    OutputBudget.Lease l = loops.length == 0 ? null : loops[0].budget;
    return l == null ? 0 : l.budget().max();
  }

  /** This loop's share of the output budget, for its clients' outboxes (null: no budget). */
  public OutputBudget.Lease budget() {
    return budget;
  }

  /** The broker's end-of-turn work for this loop, run before the flushes. Once, at construction of the broker. */
  void deliveries(Runnable work) {
    this.deliveries = work;
  }

  /** Starts ticking and flushing {@code outbox}, a client that lives on this loop. */
  public void register(OutboxHandler outbox) {
    outboxes.add(outbox);
  }

  /** Stops ticking {@code outbox}; its client has gone. */
  public void unregister(OutboxHandler outbox) {
    int i = outboxes.indexOf(outbox);
    if (i >= 0) {
      int last = outboxes.size() - 1;
      outboxes.set(i, outboxes.get(last));
      outboxes.remove(last);
    }
  }

  /** Asks for the end-of-turn task: the broker has deliveries to run. */
  void endOfTurnNeeded() {
    if (!endOfTurnScheduled) {
      endOfTurnScheduled = true;
      eventLoop.execute(endOfTurnTask);
    }
  }

  /** Asks for {@code outbox} to be handed to its socket once this loop's current batch of work is done. */
  public void markForFlush(OutboxHandler outbox) {
    if (outbox.markFlushPending()) {
      pendingFlush.add(outbox);
      endOfTurnNeeded();
    }
  }

  private void endOfTurn() {
    endOfTurnScheduled = false;
    deliveries.run();
    ArrayList<OutboxHandler> list = pendingFlush;
    for (int i = 0; i < list.size(); i++) {
      OutboxHandler o = list.get(i);
      o.clearFlushPending();
      o.drain();
    }
    list.clear();
  }

  /**
   * Bytes this loop still has to hand to sockets: its delivery backlog plus every outbox's queued bytes, as the
   * loop sees them now. Loop thread (the graceful shutdown asks it with a task).
   */
  public long pendingOutput() {
    long sum = backlogBytes.get();
    for (int i = 0; i < outboxes.size(); i++) {
      sum += outboxes.get(i).queuedBytes();
    }
    return sum + (endOfTurnScheduled ? 1 : 0);
  }

  /** Starts evaluating every outbox's time-based rules each {@code periodNanos}. Any thread. */
  public void startTicking(long periodNanos) {
    tick =
        eventLoop.scheduleAtFixedRate(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Stops the tick; called at shutdown. */
  public void stopTicking() {
    if (tick != null) {
      tick.cancel(false);
    }
  }

  private void tick() {
    // Backwards: a cut may unregister the outbox being looked at.
    for (int i = outboxes.size() - 1; i >= 0; i--) {
      if (i < outboxes.size()) {
        outboxes.get(i).tick();
      }
    }
  }

  /** Records {@code n} messages accepted into subscribers' outboxes. */
  public void addDelivered(long n) {
    delivered.lazySet(delivered.get() + n);
  }

  /** Messages accepted into this loop's subscribers' outboxes so far. Any thread. */
  public long delivered() {
    return delivered.get();
  }

  /** Another loop hands this one {@code bytes} of messages to deliver. Any thread. */
  public void backlogAdded(long bytes) {
    backlogBytes.addAndGet(bytes);
  }

  /** This loop has delivered {@code bytes} of its backlog; wakes paused publishers once it has drained. */
  public void backlogDelivered(long bytes) {
    if (backlogPolicy.drained(backlogBytes.addAndGet(-bytes))) {
      wakeDrainWaiters();
    }
  }

  /** Whether publishers should pause for this loop. Any thread. */
  public boolean congested() {
    return backlogPolicy.congested(backlogBytes.get());
  }

  /** Bytes handed to this loop and not yet delivered. Any thread. */
  public long backlogBytes() {
    return backlogBytes.get();
  }

  /**
   * Runs {@code waiter} once the backlog has drained to the low mark: on this loop's thread, or at once on the
   * caller's if it already has. Any thread.
   */
  public void whenDrained(Runnable waiter) {
    drainWaiters.add(waiter);
    if (backlogPolicy.drained(backlogBytes.get())) {
      wakeDrainWaiters();
    }
  }

  private void wakeDrainWaiters() {
    for (Runnable r; (r = drainWaiters.poll()) != null; ) {
      r.run();
    }
  }
}
