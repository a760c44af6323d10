package io.spillway.server.outbox;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide output budget (max-output-memory): the bytes all outboxes together may hold. The sum of what every
 * outbox holds never exceeds it: an outbox charges its loop's {@link Lease} before it accepts bytes, and a lease
 * takes room from the budget in blocks, so per message only loop-confined arithmetic runs and the shared counter
 * moves once per block.
 *
 * <p>When a loop finds no room, its lease makes some (see {@link Lease#charge}): first by dropping queued messages of
 * lossy channels (drop-oldest, drop-newest, conflate: each dropped message is told in a gap notice), then by cutting
 * the largest consumers on that loop (reason {@code output_budget}), largest first, until the bytes fit.
 *
 * <p>Threading: {@link #max()}, {@link #leased()} and {@link #used()} any thread; a lease on its loop only.
 */
public final class OutputBudget {

  private final long max;
  private final long block;
  private final AtomicLong leased = new AtomicLong();
  private final ArrayList<Lease> leases = new ArrayList<>();

  /** @param max the budget, bytes (at least 64 KiB) */
  public OutputBudget(long max) {
    if (max < 64 * 1024) {
      throw new IllegalArgumentException("max-output-memory must be at least 64 KiB, was " + max);
    }
    this.max = max;
    // Small beside the budget, so that loops that hold room they do not use cannot starve others
    // much.
    this.block = Math.max(4096, Math.min(256 * 1024, max / 256));
  }

  /** A new lease, for one event loop. Before the server starts. */
  public synchronized Lease newLease() {
    Lease l = new Lease();
    leases.add(l);
    return l;
  }

  /** The budget, bytes. */
  public long max() {
    return max;
  }

  /** Bytes taken from the budget by the loops' leases: an upper bound of {@link #used()}, at most {@link #max()}. */
  public long leased() {
    return leased.get();
  }

  /** Bytes the outboxes hold, as last reported by each loop. Any thread; a moment stale. */
  public long used() {
    long sum = 0;
    synchronized (this) {
      for (Lease l : leases) {
        sum += l.charged;
      }
    }
    return sum;
  }

  /** Takes up to {@code want} bytes, at least {@code need}, from the budget; returns what it took (0 if not need). */
  private long take(long need, long want) {
    for (; ; ) {
      long cur = leased.get();
      long free = max - cur;
      if (free < need) {
        return 0;
      }
      long n = Math.min(want, free);
      if (leased.compareAndSet(cur, cur + n)) {
        return n;
      }
    }
  }

  /**
   * One event loop's share of the budget: the room it has taken, the bytes its outboxes hold, and the outboxes, so
   * that it can make room when the budget is used up. Confined to the loop.
   */
  public final class Lease {
    private long held;
    private volatile long charged;
    private final ArrayList<OutboxHandler> outboxes = new ArrayList<>();

    void register(OutboxHandler o) {
      outboxes.add(o);
    }

    void unregister(OutboxHandler o) {
      int i = outboxes.indexOf(o);
      if (i >= 0) {
        int last = outboxes.size() - 1;
        outboxes.set(i, outboxes.get(last));
        outboxes.remove(last);
      }
    }

    /**
     * Charges {@code n} bytes for {@code who}: true if they fit the budget, after making room if needed; false if
     * they do not even then ({@code who} has been cut or must drop them).
     *
     * @param lossyOnly whether the bytes are messages of a lossy channel: such bytes never cut anyone; they are
     *     dropped by their strategy instead
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the loop
    boolean charge(OutboxHandler who, long n, boolean lossyOnly) {
      if (charged + n <= held || grow(n)) {
        charged = charged + n;
        return true;
      }
      // The budget is used up: lossy messages queued on this loop go first.
      long short1 = charged + n - held;
      for (int i = 0; i < outboxes.size() && short1 > 0; i++) {
        OutboxHandler o = outboxes.get(i);
        if (o != who) {
          short1 -= o.shedLossy(short1);
        }
      }
      if (charged + n <= held || grow(n)) {
        charged = charged + n;
        return true;
      }
      if (lossyOnly) {
        return false;
      }
      // Then the largest consumers on this loop, largest first, until the bytes fit.
      for (; ; ) {
        OutboxHandler largest = null;
        long largestBytes = -1;
        for (int i = 0; i < outboxes.size(); i++) {
          OutboxHandler o = outboxes.get(i);
          long b = o.chargedBytes();
          if (!o.isCut() && b > largestBytes) {
            largest = o;
            largestBytes = b;
          }
        }
        if (largest == null || largest == who || largestBytes <= who.chargedBytes()) {
          who.cutForBudget();
          return false;
        }
        largest.cutForBudget();
        if (charged + n <= held || grow(n)) {
          charged = charged + n;
          return true;
        }
      }
    }

    /** Gives back {@code n} charged bytes; returns spare room to the budget beyond two blocks. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the loop
    void refund(long n) {
      charged = charged - n;
      long spare = held - charged;
      if (spare > 2 * block) {
        long back = spare - block;
        held -= back;
        leased.addAndGet(-back);
      }
    }

    private boolean grow(long n) {
      long need = charged + n - held;
      long got = take(need, Math.max(need, block));
      held += got;
      return got > 0;
    }

    /** The budget this lease takes from. */
    public OutputBudget budget() {
      return OutputBudget.this;
    }

    /** Bytes this loop's outboxes hold, as charged. Any thread. */
    public long charged() {
      return charged;
    }
  }
}
