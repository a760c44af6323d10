package io.spillway.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosConfigTest {

  private static ChaosConfig config(int httpPort, int floodConnections, int slowloris) {
    return new ChaosConfig(
        httpPort,
        200,
        Duration.ofMillis(10),
        2000,
        1000,
        floodConnections,
        slowloris,
        Duration.ofSeconds(20));
  }

  @Test
  void rejectsValuesOutOfRangeNamingTheOption() {
    assertThatThrownBy(() -> config(0, 0, 20)).hasMessageContaining("--http-port");
    assertThatThrownBy(() -> config(-1, 5000, 20))
        .hasMessageContaining("--flood-connections")
        .hasMessageContaining("5000");
    assertThatThrownBy(() -> config(-1, 0, -1)).hasMessageContaining("--slowloris");
    assertThatThrownBy(() ->
            new ChaosConfig(-1, 0, Duration.ofMillis(10), 2000, 0, 0, 0, Duration.ofSeconds(1)))
        .hasMessageContaining("--bystander-rate");
  }

  @Test
  void reportsItsParameters() {
    assertThat(config(8080, 0, 20).parameters())
        .containsEntry("http_port", 8080)
        .containsEntry("patterns", 1000)
        .containsEntry("flood_payload", 1024);
  }
}
