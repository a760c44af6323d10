package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCountersTest {

  @Test
  void readsTheCutAndDropCountersAndTellsWhatRose() {
    Map<String, Long> before = ServerCounters.parse(String.join(
        "\r\n",
        "# Stats",
        "client_cuts:0",
        "client_cuts_buffer_overflow:1",
        "client_cuts_max_block:0",
        "messages_dropped_conflate:10",
        "gap_notices_sent:3",
        "uptime:9"));
    Map<String, Long> after = ServerCounters.parse(String.join(
        "\r\n",
        "client_cuts:2",
        "client_cuts_buffer_overflow:1",
        "client_cuts_max_block:2",
        "messages_dropped_conflate:25",
        "gap_notices_sent:4"));

    Map<String, Long> rose = ServerCounters.difference(before, after);

    assertThat(before).doesNotContainKeys("client_cuts", "uptime");
    assertThat(rose)
        .containsOnly(
            Map.entry("client_cuts_max_block", 2L),
            Map.entry("messages_dropped_conflate", 15L),
            Map.entry("gap_notices_sent", 1L));
    assertThat(ServerCounters.cutReasons(rose)).isEqualTo("max_block=2");
    assertThat(ServerCounters.dropped(rose)).isEqualTo(15);
    assertThat(ServerCounters.cutReasons(Map.of())).isEqualTo("-");
  }
}
