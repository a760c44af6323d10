package io.spillway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.config.ByteSize;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONFIG GET's names and CONFIG SET's mapping onto the live limits, without a server. */
class ConfigParametersTest {

  private final LiveLimits live = new LiveLimits(ServerConfig.builder().port(0).build());
  private final ConfigParameters parameters = new ConfigParameters(live);

  private static Map<String, String> pairs(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void globMatchesAsRedisStringmatchDoes() {
    assertThat(ConfigParameters.Glob.matches("max*", "maxclients")).isTrue();
    assertThat(ConfigParameters.Glob.matches("*-soft-*", "subscriber-soft-window"))
        .isTrue();
    assertThat(ConfigParameters.Glob.matches("m?xclients", "maxclients")).isTrue();
    assertThat(ConfigParameters.Glob.matches("[ab]ppendonly", "appendonly")).isTrue();
    assertThat(ConfigParameters.Glob.matches("[^a]ppendonly", "appendonly")).isFalse();
    assertThat(ConfigParameters.Glob.matches("[a-c]*", "bind")).isTrue();
    assertThat(ConfigParameters.Glob.matches("port\\*", "port*")).isTrue();
    assertThat(ConfigParameters.Glob.matches("port", "ports")).isFalse();
  }

  @Test
  void getMatchesEachParameterOnceWhateverThePatterns() {
    Map<String, String> got = parameters.get(List.of("maxclients", "max*", "MAXCLIENTS"));
    assertThat(got).containsEntry("maxclients", "1000").containsEntry("max-clients", "1000");
    assertThat(got.keySet()).doesNotHaveDuplicates();
  }

  @Test
  void clientOutputBufferLimitSetsTheSubscriberAndNormalLimitsInRedisUnits() {
    parameters.set(pairs(
        "client-output-buffer-limit",
        "normal 128kb 100kb 3 replica 256mb 64mb 60 pubsub 1mb 512kb 9"));
    assertThat(live.normalLimits().hardLimit()).isEqualTo(ByteSize.ofKibibytes(128));
    assertThat(live.normalLimits().softLimit()).isEqualTo(ByteSize.ofKibibytes(100));
    assertThat(live.normalLimits().softWindow()).isEqualTo(Duration.ofSeconds(3));
    assertThat(live.subscriberLimits().hardLimit()).isEqualTo(ByteSize.ofMebibytes(1));
    assertThat(live.subscriberLimits().softWindow()).isEqualTo(Duration.ofSeconds(9));
    assertThat(
            parameters.get(List.of("client-output-buffer-limit")).get("client-output-buffer-limit"))
        .isEqualTo("normal 131072 102400 3 replica 0 0 0 pubsub 1048576 524288 9");
    parameters.set(pairs("client-output-buffer-limit", "pubsub 64m 52m 5"));
    assertThat(live.subscriberLimits().hardLimit().toBytes()).isEqualTo(64_000_000L);
  }

  @Test
  void aRefusedSetChangesNothing() {
    assertThatThrownBy(
            () -> parameters.set(pairs("maxclients", "10", "subscriber-soft-limit", "1mb")))
        .isInstanceOf(ConfigParameters.Refused.class)
        .hasMessageContaining("subscriber-soft-limit 1048576 bytes is out of range")
        .extracting(e -> ((ConfigParameters.Refused) e).parameter)
        .isEqualTo("subscriber-soft-limit");
    assertThat(live.maxClients()).isEqualTo(1000);
    assertThatThrownBy(() -> parameters.set(pairs("client-output-buffer-limit", "pubsub 0 0 0")))
        .extracting(e -> ((ConfigParameters.Refused) e).parameter)
        .isEqualTo("client-output-buffer-limit");
    assertThatThrownBy(() -> parameters.set(pairs("client-output-buffer-limit", "pubsub 1mb 1mb")))
        .hasMessage("Wrong number of arguments in buffer limit configuration.");
    assertThatThrownBy(
            () -> parameters.set(pairs("client-output-buffer-limit", "master 1mb 1mb 1")))
        .hasMessage("Invalid client class specified in buffer limit configuration.");
    assertThatThrownBy(() -> parameters.set(pairs("port", "1")))
        .hasMessage("can't set immutable config");
    assertThatThrownBy(() -> parameters.set(pairs("nosuch", "1")))
        .matches(e -> ((ConfigParameters.Refused) e).unknown);
  }

  @Test
  void aLimitThatNoLongerFitsTheLargestMessageIsRefusedAsAtStartUp() {
    assertThatThrownBy(() ->
            parameters.set(pairs("subscriber-hard-limit", "16kb", "subscriber-soft-limit", "8kb")))
        .isInstanceOf(ConfigParameters.Refused.class)
        .hasMessageContaining("max-message-size");
  }

  @Test
  void httpTokensAreNeverShown() {
    LiveLimits withTokens = new LiveLimits(ServerConfig.builder()
        .port(0)
        .http(HttpConfig.builder().tokens("s3cret").build())
        .build());
    assertThat(new ConfigParameters(withTokens).get(List.of("*")))
        .containsEntry("http-tokens", "(hidden)")
        .doesNotContainValue("s3cret");
  }
}
