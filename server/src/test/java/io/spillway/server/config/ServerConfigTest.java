package io.spillway.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void eventLoopsLeaveOneCoreForEverythingElseButNeverFallToZero() {
    assertThat(ServerConfig.defaultIoThreads(1)).isEqualTo(1);
    assertThat(ServerConfig.defaultIoThreads(2)).isEqualTo(1);
    assertThat(ServerConfig.defaultIoThreads(8)).isEqualTo(7);
  }

  @Test
  void theDefaultConfigurationUsesThatRule() {
    assertThat(ServerConfig.defaults().ioThreads())
        .isEqualTo(ServerConfig.defaultIoThreads(Runtime.getRuntime().availableProcessors()));
  }
}
