package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  @Test
  void showsElapsedSentOkShedAndP99SoFar() {
    RequestTally t = new RequestTally();
    t.sent = 1_200;
    t.response(200, null, 3_000_000, 1_000_000_000, 1);
    t.response(503, "queue_full", 1, 1_000_000_000, -1);

    String line = ProgressLine.format("on 2x", 3, t, 17);

    assertThat(line)
        .contains("[on 2x]", "3.0s", "sent 1,200", "ok 1", "shed 1", "p99 3.0ms", "backlog 17");
  }

  @Test
  void showsADashForP99BeforeAnyAdmittedResponse() {
    assertThat(ProgressLine.format("off 1x", 1, new RequestTally(), 0)).contains("p99 -");
  }

  @Test
  void samplesAnIntervalForTheReport() {
    RequestTally t = new RequestTally();
    t.sent = 2;
    t.response(200, null, 2_000_000, 1_000_000_000, 1);

    Map<String, Object> s = ProgressLine.sample(1.0, true, t, 0, 1);

    assertThat(s)
        .containsEntry("t_s", 1.0)
        .containsEntry("measured", true)
        .containsEntry("sent", 2L)
        .containsEntry("ok", 1L)
        .containsEntry("outstanding", 1)
        .containsKey("admitted_p99_ms");
  }
}
