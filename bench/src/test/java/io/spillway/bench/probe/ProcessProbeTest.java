package io.spillway.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessProbeTest {

  @Test
  void readsRssFromStatus() {
    String status = "Name:\tredis-server\nVmPeak:\t  70040 kB\nVmRSS:\t   14864 kB\nThreads:\t5\n";

    assertThat(ProcessProbe.parseRssBytes(status)).isEqualTo(14_864L * 1024);
  }

  @Test
  void readsUserPlusSystemTimeEvenWithSpacesAndParenthesesInTheName() {
    String stat =
        "10997 (redis (a) b) S 1 10997 10 0 -1 4194560 300 0 0 0 250 120 0 0 20 0 5 0 100 71 3716 "
            + "18446744073709551615 1 1 0 0 0 0 0 4097 17664 0 0 0 17 1 0 0 0 0 0";

    assertThat(ProcessProbe.parseCpuNanos(stat)).isEqualTo((250 + 120) * 10_000_000L);
  }

  @Test
  void readsThisProcess() throws Exception {
    ProcessSample s = ProcessProbe.self().sample();

    assertThat(s.rssBytes()).isPositive();
    assertThat(s.cpuNanos()).isPositive();
  }

  @Test
  void refusesAPidThatCannotBeRead() {
    assertThatThrownBy(() -> ProcessProbe.of(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process " + Integer.MAX_VALUE);
  }

  @Test
  void readsTheMachinesBusyTime() {
    String stat = "cpu  100 5 50 9000 7 1 2 3 0 0\ncpu0 50 2 25 4500 3 0 1 1 0 0\n";

    assertThat(MachineCpuProbe.parseBusyNanos(stat))
        .isEqualTo((100 + 5 + 50 + 1 + 2 + 3) * 10_000_000L);
  }
}
