package io.spillway.server.command;

import io.spillway.core.time.NanoClock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code CLIENT PAUSE timeout [WRITE|ALL]} and {@code CLIENT UNPAUSE}, as Redis 7.0 has them: while a pause lasts, a
 * client's command that it covers (every command under ALL; PUBLISH, Redis's one "may replicate" command here, under
 * WRITE) is held, unanswered, and the client's later commands wait behind it; it runs when the pause ends or is
 * lifted. Deliveries to subscribers go on. Thread-safe.
 */
final class ClientPause {

  /*
   * Design note. A held client stops reading (its decoder pauses, so what it pipelines stays in its socket) and
   * re-checks on its own event loop when the pause is due to end; UNPAUSE runs every waiter at once. Like Redis, a
   * new pause never shortens one in force nor weakens ALL to WRITE.
   */

  private final NanoClock clock;
  private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
  private long untilNanos;
  private boolean all;
  private boolean active;

  ClientPause(NanoClock clock) {
    this.clock = clock;
  }

  /** Pauses for {@code millis} from now; {@code all}: every command, else only writes (PUBLISH). */
  synchronized void pause(long millis, boolean all) {
    long until = clock.nanoTime() + millis * 1_000_000L;
    if (!active || until - untilNanos > 0) {
      untilNanos = until;
    }
    this.all = (active && this.all) || all;
    active = true;
  }

  /** Lifts the pause and runs every held client's waiter. */
  void unpause() {
    synchronized (this) {
      active = false;
      all = false;
    }
    // A copy: each waiter runs once, by whoever removes it from the set first
    for (Runnable r : java.util.List.copyOf(waiters)) {
      if (waiters.remove(r)) {
        r.run();
      }
    }
  }

  /**
   * Nanoseconds the pause still holds a command of this kind, or 0 when it is not held.
   *
   * @param write whether the command publishes
   */
  synchronized long holds(boolean write) {
    if (!active) {
      return 0;
    }
    long left = untilNanos - clock.nanoTime();
    if (left <= 0) {
      active = false;
      all = false;
      return 0;
    }
    return all || write ? left : 0;
  }

  /** Runs {@code r} (once) when {@link #unpause()} is called; the caller also re-checks when the time is up. */
  void onUnpause(Runnable r) {
    waiters.add(r);
  }

  void cancel(Runnable r) {
    waiters.remove(r);
  }
}
