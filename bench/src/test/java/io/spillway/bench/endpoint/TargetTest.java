package io.spillway.bench.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void parsesHostPortAndLabel() {
    Target t = Target.parse("resp://127.0.0.1:6399#redis");

    assertThat(t.host()).isEqualTo("127.0.0.1");
    assertThat(t.port()).isEqualTo(6399);
    assertThat(t.label()).isEqualTo("redis");
    assertThat(t.uri()).isEqualTo("resp://127.0.0.1:6399");
    assertThat(t.socketAddress().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void defaultsToRedisPortAndHostPortLabel() {
    Target t = Target.parse("resp://127.0.0.1");

    assertThat(t.port()).isEqualTo(Target.DEFAULT_RESP_PORT);
    assertThat(t.label()).isEqualTo("127.0.0.1:6379");
  }

  @Test
  void acceptsLocalhostWholeLoopbackRangeAndIpv6Loopback() {
    assertThat(Target.parse("resp://localhost:7000").port()).isEqualTo(7000);
    assertThat(Target.parse("resp://127.1.2.3:7000").host()).isEqualTo("127.1.2.3");
    assertThat(Target.parse("resp://[::1]:7000").socketAddress().getAddress().isLoopbackAddress())
        .isTrue();
  }

  @Test
  void refusesNonLoopbackHostsNamingTheAddress() {
    assertThatThrownBy(() -> Target.parse("resp://10.1.2.3:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.1.2.3")
        .hasMessageContaining("not a loopback address");
    assertThatThrownBy(() -> Target.parse("resp://0.0.0.0:6379"))
        .hasMessageContaining("not a loopback address");
  }

  @Test
  void refusesOtherSchemesPathsCredentialsAndBadPorts() {
    assertThatThrownBy(() -> Target.parse("http://127.0.0.1:8080"))
        .hasMessageContaining("scheme 'http'");
    assertThatThrownBy(() -> Target.parse("127.0.0.1:6379"))
        .hasMessageContaining("expected resp://HOST:PORT");
    assertThatThrownBy(() -> Target.parse("resp://127.0.0.1:6379/0"))
        .hasMessageContaining("no path");
    assertThatThrownBy(() -> Target.parse("resp://user:pw@127.0.0.1:6379"))
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> Target.parse("resp://127.0.0.1:99999"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Target.parse("resp://no-such-host.invalid:6379"))
        .hasMessageContaining("does not resolve");
  }
}
