package io.spillway.server.broker;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pushback of one {@code block} channel (or pattern): whether its publishers must pause, and who to wake when
 * they may go on. Only topics whose strategy is {@code block} have one; no other publish touches it.
 *
 * <p>Publishers pause while either (1) a subscriber of the channel holds it back: its outbox is at or above its soft
 * limit and has not yet drained to half of it, or (2) the channel's messages in flight to one loop (published, not yet
 * in the outboxes of that loop's subscribers: the end-of-turn hand-over between loops) reach the window. Flight is
 * counted per target loop because a subscriber lives on one loop and receives each message once: what can still reach
 * it is what is in flight to its loop, however many other loops the same messages go to. A publisher learns of (1) only
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
  /** Per target loop: bytes of the channel's messages handed to that loop's batch and not yet in its outboxes. */
  private final AtomicLong[] inFlight;

  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  ChannelHold(long windowBytes, long maxBlockNanos, int loops) {
    this.windowBytes = Math.max(1, windowBytes);
    this.maxBlockNanos = maxBlockNanos;
    this.inFlight = new AtomicLong[loops];
    for (int i = 0; i < loops; i++) {
      inFlight[i] = new AtomicLong();
    }
  }

  /** Whether publishers of the channel must pause now. */
  public boolean held() {
    if (holders.get() > 0) {
      return true;
    }
    for (AtomicLong f : inFlight) {
      if (f.get() >= windowBytes) {
        return true;
      }
    }
    return false;
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

  /** {@code bytes} of one message handed to loop {@code loop}'s batch (another loop's, or this loop's) for delivery. */
  void sent(int loop, long bytes) {
    inFlight[loop].addAndGet(bytes);
  }

  /** {@code bytes} of the channel's messages are in the outboxes of loop {@code loop} now (or dropped at shutdown). */
  void delivered(int loop, long bytes) {
    if (inFlight[loop].addAndGet(-bytes) < windowBytes && !waiters.isEmpty() && !held()) {
      wake();
    }
  }

  private void wake() {
    for (Runnable r; (r = waiters.poll()) != null; ) {
      r.run();
    }
  }
}
