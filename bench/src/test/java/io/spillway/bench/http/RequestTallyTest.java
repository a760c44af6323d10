package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTallyTest {

  private static final long DEADLINE = 1_000_000_000L;

  @Test
  void counts2xxWithinTheDeadlineAsGoodputAndAfterItAsLate() {
    RequestTally t = new RequestTally();

    assertThat(t.response(200, null, DEADLINE, DEADLINE, 50)).isEqualTo(ResponseOutcome.OK);
    assertThat(t.response(200, null, DEADLINE + 1, DEADLINE, 50)).isEqualTo(ResponseOutcome.LATE);

    assertThat(t.ok).isEqualTo(1);
    assertThat(t.late).isEqualTo(1);
    assertThat(t.admitted().getTotalCount()).isEqualTo(2);
  }

  @Test
  void countsShedsByStatusAndByTheServersReason() {
    RequestTally t = new RequestTally();

    t.response(503, "queue_full", 1, DEADLINE, -1);
    t.response(503, "codel", 1, DEADLINE, -1);
    t.response(503, "queue_full", 1, DEADLINE, -1);
    t.response(429, "rate_limit", 1, DEADLINE, -1);
    t.response(504, null, 1, DEADLINE, -1);

    assertThat(t.shed).isEqualTo(5);
    assertThat(t.shedByStatus()).isEqualTo(Map.of(503, 3L, 429, 1L, 504, 1L));
    assertThat(t.shedByReason())
        .isEqualTo(Map.of("queue_full", 2L, "codel", 1L, "rate_limit", 1L, "status_504", 1L));
    assertThat(t.admitted().getTotalCount()).isZero();
  }

  @Test
  void countsAnyResponseMarkedShedAsShedWhateverItsStatus() {
    assertThat(ResponseOutcome.classify(500, "priority", 1, DEADLINE))
        .isEqualTo(ResponseOutcome.SHED);
    assertThat(ResponseOutcome.classify(500, null, 1, DEADLINE))
        .isEqualTo(ResponseOutcome.OTHER_STATUS);
    assertThat(ResponseOutcome.classify(404, null, 1, DEADLINE))
        .isEqualTo(ResponseOutcome.OTHER_STATUS);
  }

  @Test
  void keepsUnexpectedStatusesApartFromSheds() {
    RequestTally t = new RequestTally();

    t.response(404, null, 1, DEADLINE, -1);

    assertThat(t.otherStatus).isEqualTo(1);
    assertThat(t.otherByStatus()).isEqualTo(Map.of(404, 1L));
    assertThat(t.shed).isZero();
  }

  @Test
  void tracksTheReceiverCountsOfAdmittedPublishes() {
    RequestTally t = new RequestTally();

    t.response(200, null, 1, DEADLINE, 50);
    t.response(200, null, 1, DEADLINE, 49);
    t.response(200, null, 1, DEADLINE, -1);

    assertThat(t.receiversMin).isEqualTo(49);
    assertThat(t.receiversMax).isEqualTo(50);
  }

  @Test
  void clampsLatencyAboveTheHistogramsRange() {
    RequestTally t = new RequestTally();

    t.response(200, null, RequestTally.HIGHEST_LATENCY_NANOS * 2, Long.MAX_VALUE, -1);

    assertThat(t.latencyClamped).isEqualTo(1);
    assertThat(t.admitted().getMaxValue())
        .isGreaterThanOrEqualTo(RequestTally.HIGHEST_LATENCY_NANOS);
  }

  @Test
  void mergesEveryCountAndLatency() {
    RequestTally a = new RequestTally();
    a.response(200, null, 5_000_000, DEADLINE, 3);
    a.response(503, "queue_full", 1, DEADLINE, -1);
    a.scheduled = 3;
    a.sent = 2;
    a.backlogDropped = 1;
    RequestTally b = new RequestTally();
    b.response(200, null, 2 * DEADLINE, DEADLINE, 7);
    b.response(503, "queue_full", 1, DEADLINE, -1);
    b.scheduled = 4;
    b.sent = 2;
    b.expired = 1;
    b.errors = 1;

    RequestTally sum = a.copy();
    sum.add(b);

    assertThat(sum.scheduled).isEqualTo(7);
    assertThat(sum.sent).isEqualTo(4);
    assertThat(sum.ok).isEqualTo(1);
    assertThat(sum.late).isEqualTo(1);
    assertThat(sum.shedByReason()).isEqualTo(Map.of("queue_full", 2L));
    assertThat(sum.settled()).isEqualTo(7);
    assertThat(sum.admitted().getTotalCount()).isEqualTo(2);
    assertThat(sum.receiversMin).isEqualTo(3);
    assertThat(sum.receiversMax).isEqualTo(7);
    assertThat(a.scheduled).as("copy is independent").isEqualTo(3);
  }
}
