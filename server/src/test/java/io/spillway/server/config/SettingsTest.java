package io.spillway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.admission.AdmissionSettings;
import io.spillway.core.outbox.OutboxLimits;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

  private static final Set<String> NOT_SETTINGS =
      Set.of("toBuilder", "toString", "hashCode", "getClass");

  /** A value other than the default for every key, consistent enough to build. */
  private static Map<String, String> nonDefaults() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("bind", "0.0.0.0");
    v.put("port", "7001");
    v.put("requirepass", "secret");
    v.put("acl-users", "alice >pw &news:*");
    v.put("max-clients", "50");
    v.put("io-threads", String.valueOf(ServerConfig.defaults().ioThreads() + 1));
    v.put("socket-send-buffer", "32kb");
    v.put("tcp-notsent-lowat", "8kb");
    v.put("tcp-keepalive", "30s");
    v.put("subscriber-hard-limit", "128kb");
    v.put("subscriber-soft-limit", "100kb");
    v.put("subscriber-soft-window", "2s");
    v.put("subscriber-write-timeout", "3s");
    v.put("normal-hard-limit", "256kb");
    v.put("normal-soft-limit", "200kb");
    v.put("normal-soft-window", "7s");
    v.put("normal-write-timeout", "9s");
    v.put("max-bulk-length", "256kb");
    v.put("max-arguments", "100");
    v.put("max-inline-length", "4kb");
    v.put("max-request-size", "2mb");
    v.put("max-message-size", "16kb");
    v.put("max-channel-length", "512");
    v.put("max-subscriptions-per-client", "500");
    v.put("channel-policies", "prices.*=conflate;orders=drop-oldest");
    v.put("max-pattern-bytes-per-client", "32kb");
    v.put("max-subscription-memory", "32mb");
    v.put("max-output-memory", "32mb");
    v.put("max-pattern-match-cost", "500000");
    v.put("shutdown-drain", "2s");
    v.put("delivery-backlog-high", "2mb");
    v.put("delivery-backlog-low", "512kb");
    v.put("policy-tick", "50ms");
    v.put("http-port", "8081");
    v.put("http-tokens", "a,b");
    v.put("http-allowed-origins", "https://app.example.com");
    v.put("http-max-connections", "10");
    v.put("http-max-header-size", "4kb");
    v.put("http-max-body-size", "64kb");
    v.put("http-request-timeout", "3s");
    v.put("http-idle-timeout", "20s");
    v.put("http-admission", "off");
    v.put("http-workers", "3");
    v.put("http-queue-capacity", "64");
    v.put("http-burst-queue-capacity", "2048");
    v.put("http-burst-allowance", "2s");
    v.put("http-assumed-service-time", "5ms");
    v.put("http-publish-deadline", "2s");
    v.put("http-query-deadline", "3s");
    v.put("http-max-deadline", "10s");
    v.put("http-codel-target", "10ms");
    v.put("http-codel-interval", "200ms");
    v.put("http-sheddable-queue-share", "0.25");
    v.put("http-normal-queue-share", "0.75");
    v.put("http-concurrency-limit", "gradient2");
    v.put("http-min-limit", "2");
    v.put("http-max-limit", "50");
    v.put("http-aimd-timeout", "2s");
    v.put("http-retry-after-max", "10s");
    v.put("http-rate-limit", "100");
    v.put("http-rate-burst", "20");
    v.put("tls-port", "6390");
    v.put("http-tls", "true");
    v.put("tls-cert-file", "pom.xml");
    v.put("tls-key-file", "pom.xml");
    v.put("tls-ca-cert-file", "pom.xml");
    v.put("tls-auth-clients", "optional");
    v.put("backplane", "redis://127.0.0.1:6379");
    v.put("backplane-user", "spillway");
    v.put("backplane-password", "secret");
    v.put("backplane-tls", "true");
    v.put("backplane-tls-ca-cert-file", "pom.xml");
    v.put("backplane-outbound-queue", "1mb");
    v.put("backplane-reconnect-min", "50ms");
    v.put("backplane-reconnect-max", "2s");
    return v;
  }

  @Test
  void everyAccessorOfServerConfigIsReachableByAKey() throws Exception {
    assertThat(nonDefaults().keySet())
        .containsExactlyElementsOf(
            Settings.all().stream().map(Setting::key).collect(Collectors.toList()));

    ServerConfig changed = Settings.toConfig(nonDefaults());
    ServerConfig defaults = ServerConfig.defaults();

    for (Method accessor : accessors(ServerConfig.class)) {
      Object before = accessor.invoke(defaults);
      Object after = accessor.invoke(changed);
      if (before instanceof OutboxLimits
          || before instanceof HttpConfig
          || before instanceof AdmissionSettings
          || before instanceof TlsConfig
          || before instanceof BackplaneConfig) {
        for (Method limit : accessors(before.getClass())) {
          if (limit.getName().equals("enabled")) {
            continue;
          }
          assertThat(limit.invoke(after))
              .as(accessor.getName() + "()." + limit.getName() + "()")
              .isNotEqualTo(limit.invoke(before));
        }
      } else {
        assertThat(after).as(accessor.getName() + "()").isNotEqualTo(before);
      }
    }
  }

  private static List<Method> accessors(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() == 0 && !NOT_SETTINGS.contains(m.getName()))
        .collect(Collectors.toList());
  }

  @Test
  void noValuesGiveTheDefaults() {
    assertThat(ConfigFile.toYaml(Settings.toConfig(Map.of())))
        .isEqualTo(ConfigFile.toYaml(ServerConfig.defaults()));
  }

  @Test
  void documentedDefaultsAreTheDefaults() {
    assertThat(Settings.find("port").orElseThrow().defaultText()).isEqualTo("6380");
    assertThat(Settings.find("bind").orElseThrow().defaultText()).isEqualTo("127.0.0.1");
    assertThat(Settings.find("subscriber-hard-limit").orElseThrow().defaultText())
        .isEqualTo("64KiB");
    assertThat(Settings.find("normal-soft-window").orElseThrow().defaultText()).isEqualTo("5s");
    assertThat(Settings.find("policy-tick").orElseThrow().defaultText()).isEqualTo("100ms");
    assertThat(Settings.find("requirepass").orElseThrow().defaultText()).isEqualTo("none");
    assertThat(Settings.find("io-threads").orElseThrow().defaultText())
        .isEqualTo("number of CPUs - 1, at least 1");

    Map<String, String> asDocumented = new LinkedHashMap<>();
    for (Setting<?> s : Settings.all()) {
      if (!Set.of(
              "requirepass",
              "acl-users",
              "io-threads",
              "http-tokens",
              "http-allowed-origins",
              "http-workers",
              "http-max-limit",
              "tls-cert-file",
              "tls-key-file",
              "tls-ca-cert-file",
              "backplane",
              "backplane-user",
              "backplane-password",
              "backplane-tls-ca-cert-file",
              "channel-policies")
          .contains(s.key())) {
        asDocumented.put(s.key(), s.defaultText());
      }
    }
    assertThat(ConfigFile.toYaml(Settings.toConfig(asDocumented)))
        .isEqualTo(ConfigFile.toYaml(ServerConfig.defaults()));
  }

  @Test
  void keysAreKebabCase() {
    assertThat(Settings.all())
        .allSatisfy(s -> assertThat(s.key()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "port                   | abc    | port: 'abc' is not an integer",
        "port                   | 70000  | port 70000 is out of range [0, 65535]",
        "max-clients            | 0      | max-clients 0 is out of range [1, 1000000]",
        "subscriber-hard-limit  | lots   | subscriber-hard-limit: 'lots' is not a byte size",
        "subscriber-soft-limit  | 100kb  | subscriber-soft-limit 102400 bytes is out of range [1, hard limit 65536]",
        "normal-hard-limit      | 0      | normal-hard-limit 0 bytes is out of range [1, 1073741824]",
        "normal-soft-window     | 0s     | normal-soft-window PT0S must be positive",
        "subscriber-write-timeout | later | subscriber-write-timeout: 'later' is not a duration",
        "policy-tick            | 5s     | policy-tick PT5S is out of range [1ms, 1000ms]",
        "max-message-size       | 64kb   | max-message-size 65536 is out of range",
      })
  void badValueIsRejectedNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> Settings.toConfig(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void unknownKeyIsRejectedWithNearMatches() {
    assertThatThrownBy(() -> Settings.toConfig(Map.of("prot", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown setting 'prot' (did you mean 'port'?)");
    assertThatThrownBy(() -> Settings.toConfig(Map.of("hard-limit", "1kb")))
        .hasMessage(
            "unknown setting 'hard-limit' (did you mean 'subscriber-hard-limit' or 'normal-hard-limit'?)");
    assertThatThrownBy(() -> Settings.toConfig(Map.of("zzz", "1")))
        .hasMessage("unknown setting 'zzz'");
  }

  @Test
  void orderOfKeysDoesNotMatter() {
    Map<String, String> raiseTogether = new LinkedHashMap<>();
    raiseTogether.put("max-message-size", "100kb");
    raiseTogether.put("subscriber-hard-limit", "1mb");
    raiseTogether.put("normal-hard-limit", "1mb");
    assertThat(Settings.toConfig(raiseTogether).maxMessageSize().toBytes()).isEqualTo(100 * 1024);
  }

  @Test
  void markdownTableHasOneRowPerSetting() {
    List<String> lines = Settings.markdownTable().lines().collect(Collectors.toList());
    assertThat(lines).hasSize(2 + Settings.all().size());
    assertThat(lines.get(0)).isEqualTo("| Setting | Default | Meaning |");
    assertThat(lines)
        .contains("| `port` | 6380 | TCP port for RESP clients; 0 picks a free one. |");
  }
}
