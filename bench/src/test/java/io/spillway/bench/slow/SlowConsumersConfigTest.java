package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowConsumersConfigTest {

  @Test
  void baselineIsAThirdOfTheDurationButAtLeastThreeSeconds() {
    assertThat(new SlowConsumersConfig(20, 1, 1, 4096, 1024, 10, 64, Duration.ofSeconds(15))
            .baseline())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            new SlowConsumersConfig(20, 1, 1, 4096, 1024, 10, 64, Duration.ofSeconds(3)).baseline())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void rejectsValuesOutOfRangeNamingTheOption() {
    assertThatThrownBy(
            () -> new SlowConsumersConfig(20, 1, 1, 4096, 8, 10, 64, Duration.ofSeconds(3)))
        .hasMessageContaining("--payload 8");
    assertThatThrownBy(
            () -> new SlowConsumersConfig(20, 0, 1, 4096, 1024, 10, 64, Duration.ofSeconds(3)))
        .hasMessageContaining("--slow 0");
    assertThatThrownBy(
            () -> new SlowConsumersConfig(20, 1, -1, 4096, 1024, 10, 64, Duration.ofSeconds(3)))
        .hasMessageContaining("--slow-rate -1");
    assertThatThrownBy(
            () -> new SlowConsumersConfig(20, 1, 1, 4096, 1024, 0, 0, Duration.ofSeconds(3)))
        .hasMessageContaining("--pipeline 0");
  }
}
