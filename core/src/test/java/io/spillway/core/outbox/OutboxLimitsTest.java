package io.spillway.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.config.ByteSize;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxLimitsTest {

  @Test
  void defaultsAreTheSeeds() {
    assertThat(OutboxLimits.DEFAULT.hardLimit().toBytes()).isEqualTo(65_536);
    assertThat(OutboxLimits.DEFAULT.softLimit().toBytes()).isEqualTo(52_428);
    assertThat(OutboxLimits.DEFAULT.softWindow()).isEqualTo(Duration.ofSeconds(5));
    assertThat(OutboxLimits.DEFAULT.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsSoftLimitAboveHardLimitNamingBoth() {
    assertThatThrownBy(() -> OutboxLimits.builder()
            .hardLimit(ByteSize.ofBytes(100))
            .softLimit(ByteSize.ofBytes(101))
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("soft limit 101")
        .hasMessageContaining("hard limit 100");
  }

  @Test
  void rejectsNonPositiveDurations() {
    assertThatThrownBy(() -> OutboxLimits.builder().softWindow(Duration.ZERO).build())
        .hasMessageContaining("soft window");
    assertThatThrownBy(
            () -> OutboxLimits.builder().writeTimeout(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("write timeout");
  }

  @Test
  void toBuilderKeepsValues() {
    OutboxLimits l = OutboxLimits.builder().hardLimit(ByteSize.ofKibibytes(128)).build();
    assertThat(l.toBuilder().build()).isEqualTo(l);
  }
}
