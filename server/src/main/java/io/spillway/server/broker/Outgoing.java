package io.spillway.server.broker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The messages one loop has published during its current batch of work, by target loop, handed over at the end of
 * the batch ({@link IoLoop}): this loop's own are delivered at once, every other loop gets one task. Confined to the
 * source loop, except the spare batches, which targets hand back.
 */
final class Outgoing implements Runnable {

  private final Broker broker;
  private final IoLoop source;
  private final IoLoop[] loops;
  private final Batch[] filling;
  private final AtomicReference<Batch>[] spares;

  @SuppressWarnings({"unchecked", "rawtypes"})
  Outgoing(Broker broker, IoLoop source, IoLoop[] loops) {
    this.broker = broker;
    this.source = source;
    this.loops = loops;
    this.filling = new Batch[loops.length];
    this.spares = new AtomicReference[loops.length];
    for (int i = 0; i < loops.length; i++) {
      spares[i] = new AtomicReference<>();
    }
  }

  /** Records one message for the subscribers of {@code topic} on loop {@code target}. */
  void add(
      int target, Topic topic, boolean pattern, byte[] channel, byte[] payload, Subscriber skip) {
    Batch b = filling[target];
    if (b == null) {
      b = spares[target].getAndSet(null);
      if (b == null) {
        b = new Batch(broker, loops[target], loops[target] != source, spares[target]);
      }
      filling[target] = b;
      source.endOfTurnNeeded();
    }
    b.add(topic, pattern, channel, payload, skip);
  }

  /** End of the source loop's turn: hands every batch to its loop. */
  @Override
  public void run() {
    for (int i = 0; i < filling.length; i++) {
      Batch b = filling[i];
      if (b == null) {
        continue;
      }
      filling[i] = null;
      if (loops[i] == source) {
        b.run();
        continue;
      }
      loops[i].backlogAdded(b.bytes());
      try {
        loops[i].eventLoop().execute(b);
      } catch (RejectedExecutionException shuttingDown) {
        b.discard();
      }
    }
  }
}
