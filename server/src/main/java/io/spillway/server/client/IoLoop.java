package io.spillway.server.client;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state one Netty event loop owns: its clients, the flushes it has deferred to the end of its current batch of
 * work, and its share of the delivery counters. Every method except the counter readers must be called on {@link
 * #eventLoop()}.
 */
public final class IoLoop {

  /*
   * Design notes.
   *
   * Flush batching: a delivery writes to a subscriber without flushing and asks markForFlush(). The first request of a
   * batch schedules one flush task at the end of the loop's task queue, so N publishes that arrive together cost each
   * subscriber one writev, not N. The outbox handler still flushes early when unflushed bytes pass its threshold, so a
   * large batch never piles up in user space waiting for the end of the queue.
   *
   * Counters: the per-message counters are written by this loop only (lazySet: no fence on the hot path) and read by
   * INFO from any thread.
   *
   * Backlog: messages other loops have handed to this one and it has not yet delivered, in bytes. It is bounded: a
   * publisher whose publish finds a loop at or above BACKLOG_HIGH_BYTES stops being read until that loop has worked
   * its backlog down to BACKLOG_LOW_BYTES (lossless publisher pushback). Without it a publisher on one loop could
   * queue work for another faster than that loop runs it, an unbounded queue by another name.
   */

  /** Cross-loop backlog at which publishers are paused. */
  public static final long BACKLOG_HIGH_BYTES = 1024 * 1024;
  /** Cross-loop backlog at which paused publishers resume. */
  public static final long BACKLOG_LOW_BYTES = 256 * 1024;

  private final int index;
  private final EventLoop eventLoop;
  private final ArrayList<ClientSession> clients = new ArrayList<>();
  private final ArrayList<ClientSession> pendingFlush = new ArrayList<>();
  private final Runnable flushTask = this::flushPending;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong backlogBytes = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> drainWaiters = new ConcurrentLinkedQueue<>();
  private boolean flushScheduled;
  private ScheduledFuture<?> tick;

  public IoLoop(int index, EventLoop eventLoop) {
    this.index = index;
    this.eventLoop = eventLoop;
  }

  /** This loop's position among the server's loops, from 0. */
  public int index() {
    return index;
  }

  public EventLoop eventLoop() {
    return eventLoop;
  }

  void register(ClientSession client) {
    clients.add(client);
  }

  void unregister(ClientSession client) {
    int i = clients.indexOf(client);
    if (i >= 0) {
      int last = clients.size() - 1;
      clients.set(i, clients.get(last));
      clients.remove(last);
    }
    client.flushPending = false;
  }

  /** Asks for {@code client} to be flushed once this loop's current batch of work is done. */
  public void markForFlush(ClientSession client) {
    if (client.flushPending) {
      return;
    }
    client.flushPending = true;
    pendingFlush.add(client);
    if (!flushScheduled) {
      flushScheduled = true;
      eventLoop.execute(flushTask);
    }
  }

  private void flushPending() {
    flushScheduled = false;
    ArrayList<ClientSession> list = pendingFlush;
    for (int i = 0; i < list.size(); i++) {
      ClientSession c = list.get(i);
      if (c.flushPending) {
        c.flushPending = false;
        c.channel().flush();
      }
    }
    list.clear();
  }

  /** Starts evaluating every client's time-based outbox rules each {@code periodNanos}. */
  public void startTicking(long periodNanos) {
    tick = eventLoop.scheduleAtFixedRate(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Stops the tick; called at shutdown. */
  public void stopTicking() {
    if (tick != null) {
      tick.cancel(false);
    }
  }

  private void tick() {
    // Iterate backwards: a cut may unregister the client being looked at.
    for (int i = clients.size() - 1; i >= 0; i--) {
      if (i < clients.size()) {
        clients.get(i).outbox().tick();
      }
    }
  }

  /** Records {@code n} messages accepted into subscribers' outboxes. */
  public void addDelivered(long n) {
    delivered.lazySet(delivered.get() + n);
  }

  /** Another loop hands this one {@code bytes} of messages to deliver; any thread. */
  public void backlogAdded(long bytes) {
    backlogBytes.addAndGet(bytes);
  }

  /** This loop has delivered {@code bytes} of its backlog; wakes paused publishers once it is low. Loop thread. */
  public void backlogDelivered(long bytes) {
    if (backlogBytes.addAndGet(-bytes) <= BACKLOG_LOW_BYTES) {
      wakeDrainWaiters();
    }
  }

  /** Whether publishers should pause for this loop; any thread. */
  public boolean congested() {
    return backlogBytes.get() >= BACKLOG_HIGH_BYTES;
  }

  public long backlogBytes() {
    return backlogBytes.get();
  }

  /**
   * Runs {@code waiter} (on this loop's thread, or at once on the caller's if the backlog is already low) once the
   * backlog is at or below the low mark. Any thread.
   */
  public void whenDrained(Runnable waiter) {
    drainWaiters.add(waiter);
    if (backlogBytes.get() <= BACKLOG_LOW_BYTES) {
      wakeDrainWaiters();
    }
  }

  private void wakeDrainWaiters() {
    for (Runnable r; (r = drainWaiters.poll()) != null; ) {
      r.run();
    }
  }

  /** Any thread. */
  public long delivered() {
    return delivered.get();
  }
}
