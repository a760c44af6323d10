package io.spillway.server.broker;

import io.spillway.server.client.IoLoop;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * Deliveries one loop has produced during its current batch of work, run when the batch ends: on this loop directly,
 * and as one task per other loop, so a burst of N pipelined publishes costs each other loop one task, not N, and
 * consecutive messages to a channel can be concatenated (see Delivery). Confined to the source loop.
 */
final class Outgoing implements Runnable {

  private final IoLoop source;
  private final IoLoop[] loops;
  private final ArrayList<Delivery>[] pending;
  private final long[] pendingBytes;
  private final int chunkBytes;
  private boolean scheduled;

  @SuppressWarnings({"unchecked", "rawtypes"})
  Outgoing(IoLoop source, IoLoop[] loops, int chunkBytes) {
    this.source = source;
    this.loops = loops;
    this.chunkBytes = chunkBytes;
    this.pending = new ArrayList[loops.length];
    this.pendingBytes = new long[loops.length];
    for (int i = 0; i < loops.length; i++) {
      pending[i] = new ArrayList<>();
    }
  }

  /** Queues {@code d} for loop {@code target}; counted in that loop's backlog at once. */
  void add(int target, Delivery d) {
    pending[target].add(d);
    pendingBytes[target] += d.bytes();
    loops[target].backlogAdded(d.bytes());
    if (!scheduled) {
      scheduled = true;
      source.eventLoop().execute(this);
    }
  }

  @Override
  public void run() {
    scheduled = false;
    for (int i = 0; i < pending.length; i++) {
      if (pending[i].isEmpty()) {
        continue;
      }
      Batch batch = new Batch(loops[i], pending[i], pendingBytes[i], chunkBytes);
      pending[i] = new ArrayList<>();
      pendingBytes[i] = 0;
      if (loops[i] == source) {
        batch.run();
        continue;
      }
      try {
        loops[i].eventLoop().execute(batch);
      } catch (RejectedExecutionException shuttingDown) {
        batch.discard();
      }
    }
  }

  /** The deliveries for one loop from one batch of another's work; runs on the target loop. */
  private static final class Batch implements Runnable {
    private final IoLoop target;
    private final ArrayList<Delivery> deliveries;
    private final long bytes;
    private final int chunkBytes;

    Batch(IoLoop target, ArrayList<Delivery> deliveries, long bytes, int chunkBytes) {
      this.target = target;
      this.deliveries = deliveries;
      this.bytes = bytes;
      this.chunkBytes = chunkBytes;
    }

    @Override
    public void run() {
      try {
        for (int i = 0; i < deliveries.size(); ) {
          i = Delivery.deliverRun(deliveries, i, chunkBytes);
        }
      } finally {
        target.backlogDelivered(bytes);
      }
    }

    void discard() {
      for (Delivery d : deliveries) {
        d.release();
      }
      target.backlogDelivered(bytes);
    }
  }
}
