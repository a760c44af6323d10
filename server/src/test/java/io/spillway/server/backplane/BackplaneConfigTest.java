package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.server.config.BackplaneConfig;
import io.spillway.server.config.ConfigException;
import io.spillway.server.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackplaneConfigTest {

  @Test
  void offByDefault() {
    assertThat(BackplaneConfig.DEFAULT.enabled()).isFalse();
    assertThat(Settings.toConfig(Map.of()).backplane().enabled()).isFalse();
  }

  @Test
  void clusterTakesSeveralSeeds() {
    BackplaneConfig c = BackplaneConfig.builder()
        .uri("redis-cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002")
        .build();
    assertThat(c.kind()).isEqualTo(BackplaneConfig.Kind.REDIS_CLUSTER);
    assertThat(c.addresses())
        .extracting(Object::toString)
        .containsExactly("10.0.0.1:7000", "10.0.0.2:7001", "[::1]:7002");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "backplane | http://h:1 | backplane 'http://h:1' is not redis://HOST:PORT or redis-cluster://",
        "backplane | redis://h | backplane 'redis://h' has a bad HOST:PORT 'h'",
        "backplane | redis://:pw@h:1 | backplane 'redis://:pw@h:1' has a bad HOST:PORT",
        "backplane-outbound-queue | 10 | backplane-outbound-queue 10 bytes is out of range",
        "backplane-reconnect-max | 1ms | backplane-reconnect-max PT0.001S is out of range",
      })
  void badValueIsRejectedNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> Settings.toConfig(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
