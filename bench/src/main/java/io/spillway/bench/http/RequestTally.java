package io.spillway.bench.http;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Counts of what became of requests, and the latency of the admitted ones (every 2xx, from intended send time).
 * A load shard keeps one for the measured window and one for the current progress interval. Not thread-safe: one
 * event loop writes it; other threads get a {@link #copy()} made on that loop.
 */
final class RequestTally {

  /** Highest latency recorded as is: 60 s; above it a latency is recorded as 60 s and counted clamped. */
  static final long HIGHEST_LATENCY_NANOS = 60_000_000_000L;

  private final Histogram admitted = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);
  /** How long shed requests took to be answered (503/429/504), from intended send time. */
  private final Histogram shedAnswer = new Histogram(1, HIGHEST_LATENCY_NANOS, 3);

  private final Map<Integer, Long> shedByStatus = new TreeMap<>();
  private final Map<String, Long> shedByReason = new TreeMap<>();
  private final Map<Integer, Long> otherByStatus = new TreeMap<>();
  long scheduled;
  long sent;
  long ok;
  long late;
  long shed;
  long otherStatus;
  long errors;
  long timeouts;
  long backlogDropped;
  long expired;
  long latencyClamped;
  long receiversMin = Long.MAX_VALUE;
  long receiversMax = Long.MIN_VALUE;

  /** Counts one response, by {@link ResponseOutcome#classify}; {@code receivers} is -1 when not read. */
  ResponseOutcome response(
      int status, String shedHeader, long latencyNanos, long deadlineNanos, long receivers) {
    ResponseOutcome outcome =
        ResponseOutcome.classify(status, shedHeader, latencyNanos, deadlineNanos);
    switch (outcome) {
      case OK:
      case LATE:
        if (outcome == ResponseOutcome.OK) {
          ok++;
        } else {
          late++;
        }
        recordLatency(latencyNanos);
        if (receivers >= 0) {
          receiversMin = Math.min(receiversMin, receivers);
          receiversMax = Math.max(receiversMax, receivers);
        }
        break;
      case SHED:
        shed++;
        shedAnswer.recordValue(Math.max(1, Math.min(HIGHEST_LATENCY_NANOS, latencyNanos)));
        shedByStatus.merge(status, 1L, Long::sum);
        shedByReason.merge(ResponseOutcome.shedReason(status, shedHeader), 1L, Long::sum);
        break;
      default:
        otherStatus++;
        otherByStatus.merge(status, 1L, Long::sum);
    }
    return outcome;
  }

  private void recordLatency(long latencyNanos) {
    if (latencyNanos > HIGHEST_LATENCY_NANOS) {
      latencyClamped++;
      latencyNanos = HIGHEST_LATENCY_NANOS;
    }
    admitted.recordValue(Math.max(1, latencyNanos));
  }

  /** Adds {@code other}'s counts and latencies into this one. */
  void add(RequestTally other) {
    admitted.add(other.admitted);
    shedAnswer.add(other.shedAnswer);
    other.shedByStatus.forEach((k, v) -> shedByStatus.merge(k, v, Long::sum));
    other.shedByReason.forEach((k, v) -> shedByReason.merge(k, v, Long::sum));
    other.otherByStatus.forEach((k, v) -> otherByStatus.merge(k, v, Long::sum));
    scheduled += other.scheduled;
    sent += other.sent;
    ok += other.ok;
    late += other.late;
    shed += other.shed;
    otherStatus += other.otherStatus;
    errors += other.errors;
    timeouts += other.timeouts;
    backlogDropped += other.backlogDropped;
    expired += other.expired;
    latencyClamped += other.latencyClamped;
    receiversMin = Math.min(receiversMin, other.receiversMin);
    receiversMax = Math.max(receiversMax, other.receiversMax);
  }

  /** An independent copy. */
  RequestTally copy() {
    RequestTally c = new RequestTally();
    c.add(this);
    return c;
  }

  /** 2xx responses, in the deadline or not. */
  long admittedCount() {
    return ok + late;
  }

  /** Requests whose fate is known: answered, failed, timed out, or given up by the client. */
  long settled() {
    return ok + late + shed + otherStatus + errors + timeouts + backlogDropped + expired;
  }

  /** The latency of the 2xx responses, in nanoseconds from intended send time; read-only by convention. */
  Histogram admitted() {
    return admitted;
  }

  /** How long shed requests took to be answered, in nanoseconds from intended send time; read-only. */
  Histogram shedAnswer() {
    return shedAnswer;
  }

  /** Sheds per HTTP status, ascending. */
  Map<Integer, Long> shedByStatus() {
    return shedByStatus;
  }

  /** Sheds per {@code X-Spillway-Shed} reason ({@code status_NNN} without the header), sorted. */
  Map<String, Long> shedByReason() {
    return shedByReason;
  }

  /** Non-2xx, non-shed responses per status. */
  Map<Integer, Long> otherByStatus() {
    return otherByStatus;
  }
}
