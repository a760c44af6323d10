package io.spillway.bench.slow;

import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.OverflowStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one overflow strategy did in a {@code slow-consumers} run, on its own channel. Immutable; JSON-serialisable.
 *
 * <p>A slow reader's loss is counted from the sequence numbers it received: the gaps between them, plus, unless the
 * server cut it, the tail after the last one (it drained its connection once publishing ended). Its gap notices
 * must add up to the same number, and the server's drop counters ({@code INFO stats}) too.
 *
 * @param strategy the strategy's name
 * @param policy the entry the server applies, {@code slow.block.*=block,max-block=2s}
 * @param channel the channel measured
 * @param publishedPerSBaseline the publisher's rate before the slow readers subscribed
 * @param publishedPerSWithSlow its rate while they were subscribed: {@code block} paces it
 * @param fastLost messages the fast subscribers never received
 * @param fastDisconnects fast subscribers the server closed
 * @param fastP99MsBaseline fast subscribers' p99 delivery latency before the slow readers, or null
 * @param fastP99MsWithSlow the same with them, or null
 * @param slowReceived messages of the channel the slow readers received, all together
 * @param slowLost their loss by sequence numbers: {@code slowLostInGaps + slowLostTail}
 * @param slowLostInGaps sequence numbers skipped between messages they received
 * @param slowLostTail messages after the last one a reader that was not cut received
 * @param slowNoticedLost the sum of the {@code lost} counts of the gap notices they received for the channel
 * @param slowGapNotices gap notices they received for the channel
 * @param slowWarnings warning notices they received
 * @param slowOutOfOrder messages received after a later one
 * @param serverDropped the rise of the server's {@code messages_dropped_*} counters over the run
 * @param slowCut slow readers cut (by the server's client list or their socket)
 * @param cutReasons the reasons whose {@code client_cuts_*} counters rose, {@code buffer_overflow=1}, or {@code -}
 * @param serverCounters every counter of INFO stats that rose over the run, with how much
 * @param serverPeakRssMb the server's peak RSS over the run, or null without {@code --server-pid}
 * @param readers the counts of each slow reader
 */
record StrategyOutcome(
    String strategy,
    String policy,
    String channel,
    double publishedPerSBaseline,
    double publishedPerSWithSlow,
    long fastLost,
    int fastDisconnects,
    Double fastP99MsBaseline,
    Double fastP99MsWithSlow,
    long slowReceived,
    long slowLost,
    long slowLostInGaps,
    long slowLostTail,
    long slowNoticedLost,
    long slowGapNotices,
    long slowWarnings,
    long slowOutOfOrder,
    long serverDropped,
    int slowCut,
    String cutReasons,
    Map<String, Long> serverCounters,
    Double serverPeakRssMb,
    List<Map<String, Object>> readers) {

  /**
   * Sums the slow readers' accounts.
   *
   * @param readers the slow readers, their threads ended
   * @param outcomes their cuts, in the same order
   * @param published PUBLISHes written (sequence numbers 0..published-1)
   * @param serverDifference the INFO stats counters that rose over the run
   * @param serverPeakRssBytes the server's peak RSS, or -1
   */
  static StrategyOutcome of(
      ChannelPolicy policy,
      String channel,
      List<SlowReader> readers,
      List<SlowReaderOutcome> outcomes,
      long published,
      double publishedPerSBaseline,
      double publishedPerSWithSlow,
      FastOutcome fast,
      Map<String, Long> serverDifference,
      long serverPeakRssBytes) {
    long received = 0;
    long gaps = 0;
    long tail = 0;
    long noticed = 0;
    long notices = 0;
    long warnings = 0;
    long outOfOrder = 0;
    int cut = 0;
    List<Map<String, Object>> perReader = new ArrayList<>();
    for (int i = 0; i < readers.size(); i++) {
      SlowStreamAccount a = readers.get(i).account();
      SlowReaderOutcome o = outcomes.get(i);
      boolean wasCut = o.cutServerS() != null || o.cutSocketS() != null;
      long readerTail = wasCut ? 0 : a.tailMissing(published);
      received += a.received();
      gaps += a.lostBySequence();
      tail += readerTail;
      noticed += a.noticedLost();
      notices += a.gapNotices();
      warnings += a.warnings();
      outOfOrder += a.outOfOrder();
      cut += wasCut ? 1 : 0;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", o.name());
      r.put("cut", wasCut);
      r.put("received", a.received());
      r.put("first_sequence", a.firstSequence());
      r.put("last_sequence", a.lastSequence());
      r.put("lost_in_gaps", a.lostBySequence());
      r.put("lost_tail", readerTail);
      r.put("missing_after_cut", wasCut ? a.tailMissing(published) : 0);
      r.put("noticed_lost", a.noticedLost());
      r.put("noticed_before_first", a.noticedBeforeFirst());
      r.put("noticed_tail", a.noticedPending());
      r.put("gap_notices", a.gapNotices());
      r.put("notice_strategy", a.noticeStrategy());
      r.put("warnings", a.warnings());
      r.put("last_warning_state", a.lastWarningState());
      r.put("out_of_order", a.outOfOrder());
      r.put("malformed", a.malformed());
      perReader.add(r);
    }
    return new StrategyOutcome(
        policy.strategy().label(),
        policy.toString(),
        channel,
        publishedPerSBaseline,
        publishedPerSWithSlow,
        fast.lost(),
        fast.disconnects(),
        fast.baseline().getTotalCount() == 0
            ? null
            : SlowConsumersMetrics.percentileMs(fast.baseline(), 99),
        fast.withSlow().getTotalCount() == 0
            ? null
            : SlowConsumersMetrics.percentileMs(fast.withSlow(), 99),
        received,
        gaps + tail,
        gaps,
        tail,
        noticed,
        notices,
        warnings,
        outOfOrder,
        ServerCounters.dropped(serverDifference),
        cut,
        ServerCounters.cutReasons(serverDifference),
        serverDifference,
        serverPeakRssBytes < 0 ? null : serverPeakRssBytes / (1024.0 * 1024.0),
        perReader);
  }

  /** Loss the gap notices do not account for (negative: notices for more than was lost). */
  long unnoticedLoss() {
    return slowLost - slowNoticedLost;
  }

  /** Sentences a reader of the report must see: loss and notices that disagree, order broken. */
  List<String> warnings() {
    List<String> w = new ArrayList<>();
    if (unnoticedLoss() != 0) {
      w.add(strategy + ": the slow readers lost " + slowLost
          + " message(s) by their sequence numbers ("
          + slowLostInGaps + " in gaps, " + slowLostTail
          + " at the tail) but their gap notices say "
          + slowNoticedLost);
    }
    if (serverDropped != slowNoticedLost) {
      w.add(strategy + ": the server counted " + serverDropped + " drop(s) over the run (INFO"
          + " messages_dropped_*, every client) but the slow readers' gap notices say "
          + slowNoticedLost);
    }
    if (slowOutOfOrder > 0) {
      w.add(strategy + ": " + slowOutOfOrder + " message(s) reached a slow reader out of order");
    }
    if (strategy.equals(OverflowStrategy.BLOCK.label()) && slowLost > 0) {
      w.add("block: the slow readers lost " + slowLost + " message(s) on a lossless channel");
    }
    return w;
  }
}
