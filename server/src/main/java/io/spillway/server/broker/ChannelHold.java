package io.spillway.server.broker;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pushback of one {@code block} channel (or pattern): whether its publishers must pause, and who to wake when
 * they may go on. Only topics whose strategy is {@code block} have one; no other publish touches it.
 *
 * <p>Publishers pause while either (1) a subscriber of the channel holds it back: its outbox is at or above its soft
 * limit and has not yet drained to half of it, or (2) the channel's messages in flight (published, not yet in the
 * subscribers' outboxes: the end-of-turn hand-over between loops) reach the window. A publisher learns of (1) only
 * once its earlier messages have been delivered, so (2) bounds what can still reach a subscriber after it reached
 * its soft limit: the window plus one message per publisher of the channel (each stops right after the request that
 * found the channel held: the RESP decoder pauses between requests). The outbox takes those messages even past the
 * hard limit, by up to one hard limit more; that is the strategy's memory bound.
 *
 * <p>Threading: any thread. Holders change on subscribers' loops, the flight count on publishers' (up) and
 * subscribers' loops (down); waiters run on the thread that releases the hold, and must hand their work to their
 * own loop.
 */
public final class ChannelHold {

  private final long windowBytes;
  private final long maxBlockNanos;
  private final AtomicInteger holders = new AtomicInteger();
  private final AtomicLong inFlight = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  ChannelHold(long windowBytes, long maxBlockNanos) {
    this.windowBytes = Math.max(1, windowBytes);
    this.maxBlockNanos = maxBlockNanos;
  }

  /** Whether publishers of the channel must pause now. */
  public boolean held() {
    return holders.get() > 0 || inFlight.get() >= windowBytes;
  }

  /**
   * Runs {@code waiter} once the channel is no longer held: at once on the caller's thread if it is not, else on the
   * thread that releases it. A waiter may find it held again by the time its work runs; it checks and waits again.
   */
  public void whenReleased(Runnable waiter) {
    waiters.add(waiter);
    if (!held()) {
      wake();
    }
  }

  /** The channel's max-block: the longest one subscriber may hold it back before it is cut. */
  long maxBlockNanos() {
    return maxBlockNanos;
  }

  /** Subscribers holding the channel back now. */
  int holders() {
    return holders.get();
  }

  void hold() {
    holders.incrementAndGet();
  }

  void release() {
    if (holders.decrementAndGet() <= 0 && !held()) {
      wake();
    }
  }

  /** {@code bytes} of one message handed to another loop's batch, or this loop's, for delivery. */
  void sent(long bytes) {
    inFlight.addAndGet(bytes);
  }

  /** {@code bytes} of the channel's messages are in the outboxes now (or dropped at shutdown). */
  void delivered(long bytes) {
    if (inFlight.addAndGet(-bytes) < windowBytes && !waiters.isEmpty() && !held()) {
      wake();
    }
  }

  private void wake() {
    for (Runnable r; (r = waiters.poll()) != null; ) {
      r.run();
    }
  }
}
