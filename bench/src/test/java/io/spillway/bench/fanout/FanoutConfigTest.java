package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FanoutConfigTest {

  @Test
  void defaultsAreTheIssuesReferenceLoad() {
    FanoutConfig c = FanoutConfig.builder().build();

    assertThat(c.publishers()).isEqualTo(1);
    assertThat(c.subscribers()).isEqualTo(100);
    assertThat(c.channels()).isEqualTo(1);
    assertThat(c.payloadBytes()).isEqualTo(128);
    assertThat(c.pipeline()).isEqualTo(64);
    assertThat(c.rate()).isEmpty();
  }

  @Test
  void spreadsSubscribersRoundRobinOverChannels() {
    FanoutConfig c = FanoutConfig.builder().subscribers(10).channels(3).build();

    assertThat(c.subscribersOn(0)).isEqualTo(4);
    assertThat(c.subscribersOn(1)).isEqualTo(3);
    assertThat(c.subscribersOn(2)).isEqualTo(3);
  }

  @Test
  void rejectsValuesOutsideTheirRangeNamingTheOption() {
    assertThatThrownBy(() -> FanoutConfig.builder().payloadBytes(27).build())
        .hasMessageContaining("--payload 27")
        .hasMessageContaining("28-byte header");
    assertThatThrownBy(() -> FanoutConfig.builder().pipeline(0).build())
        .hasMessageContaining("--pipeline 0");
    assertThatThrownBy(() -> FanoutConfig.builder().respVersion(4).build())
        .hasMessageContaining("--resp 4");
  }
}
