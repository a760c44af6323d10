package io.spillway.server.metrics;

import io.spillway.core.flow.PauseTally;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OverflowStrategy;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.PublishCounters;
import io.spillway.server.outbox.OutboxObserver;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide counters read by {@code INFO} and by {@link SpillwayMetrics}. Thread-safe: counters that change
 * per message live in each event loop's own state and are summed when read; these are the per-connection and
 * per-decision ones.
 */
@SuppressWarnings(
    "EnumOrdinal") // DisconnectReason's ordinal indexes the cut counters; never stored or compared
public final class ServerStats implements OutboxObserver, PublishCounters {

  private final LongAdder connectionsReceived = new LongAdder();
  private final LongAdder rejectedConnections = new LongAdder();
  private final LongAdder commandsProcessed = new LongAdder();
  private final LongAdder protocolErrors = new LongAdder();
  private final LongAdder messagesPublished = new LongAdder();
  private final LongAdder publishRejectedTooLarge = new LongAdder();
  private final AtomicLongArray cuts = new AtomicLongArray(DisconnectReason.values().length);
  private final AtomicLongArray dropped = new AtomicLongArray(OverflowStrategy.values().length);
  private final LongAdder gapNotices = new LongAdder();
  private final LongAdder subscriptionsRefused = new LongAdder();
  private final LongAdder warningNotices = new LongAdder();
  private final long startedAtMillis = System.currentTimeMillis();
  private final PauseTally publisherPauses;
  private final PauseTally blockPauses;

  /** Counters whose pause times read the system clock. */
  public ServerStats() {
    this(NanoClock.SYSTEM);
  }

  /** Counters whose pause times read {@code clock}. */
  public ServerStats(NanoClock clock) {
    this.publisherPauses = new PauseTally(clock);
    this.blockPauses = new PauseTally(clock);
  }

  /** Publishers paused by a congested delivery backlog: how often and for how long. */
  /** Publishers paused by a held {@code block} channel: episodes and time. */
  public PauseTally blockPauses() {
    return blockPauses;
  }

  public PauseTally publisherPauses() {
    return publisherPauses;
  }

  public void connectionReceived() {
    connectionsReceived.increment();
  }

  public void connectionRejected() {
    rejectedConnections.increment();
  }

  public void commandProcessed() {
    commandsProcessed.increment();
  }

  public void protocolError() {
    protocolErrors.increment();
  }

  @Override
  public void published() {
    messagesPublished.increment();
  }

  @Override
  public void tooLarge() {
    publishRejectedTooLarge.increment();
  }

  @Override
  public void clientCut(DisconnectReason reason) {
    cuts.incrementAndGet(reason.ordinal());
  }

  /** A SUBSCRIBE or PSUBSCRIBE was refused: the server's subscription state budget was full. */
  public void subscriptionRefused() {
    subscriptionsRefused.increment();
  }

  /** Subscriptions refused by the subscription state budget. */
  public long subscriptionsRefused() {
    return subscriptionsRefused.sum();
  }

  @Override
  public void messagesDropped(OverflowStrategy strategy, long messages) {
    dropped.addAndGet(strategy.ordinal(), messages);
  }

  @Override
  public void noticeSent(boolean gap) {
    (gap ? gapNotices : warningNotices).increment();
  }

  /** Messages the overflow strategy {@code strategy} dropped, over every client. */
  public long dropped(OverflowStrategy strategy) {
    return dropped.get(strategy.ordinal());
  }

  /** Gap notices (true) or warnings (false) handed to clients' sockets. */
  public long noticesSent(boolean gap) {
    return (gap ? gapNotices : warningNotices).sum();
  }

  public long connectionsReceived() {
    return connectionsReceived.sum();
  }

  public long rejectedConnections() {
    return rejectedConnections.sum();
  }

  public long commandsProcessed() {
    return commandsProcessed.sum();
  }

  public long protocolErrors() {
    return protocolErrors.sum();
  }

  public long messagesPublished() {
    return messagesPublished.sum();
  }

  public long publishRejectedTooLarge() {
    return publishRejectedTooLarge.sum();
  }

  public long cuts(DisconnectReason reason) {
    return cuts.get(reason.ordinal());
  }

  public long totalCuts() {
    long sum = 0;
    for (DisconnectReason r : DisconnectReason.values()) {
      sum += cuts(r);
    }
    return sum;
  }

  public long startedAtMillis() {
    return startedAtMillis;
  }
}
