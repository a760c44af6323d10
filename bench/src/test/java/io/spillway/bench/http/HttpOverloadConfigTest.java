package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpOverloadConfigTest {

  @Test
  void defaultsToTheIssuesFourLevelsBothModesAndA1sDeadline() {
    HttpOverloadConfig c = HttpOverloadConfig.builder().build();

    assertThat(c.levels()).containsExactly(0.5, 1.0, 2.0, 4.0);
    assertThat(c.modes()).containsExactly("off", "on");
    assertThat(c.deadline()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.connections()).isEqualTo(512);
    assertThat(c.subscribers()).isEqualTo(50);
    assertThat(c.attached()).isFalse();
    assertThat(c.parameters())
        .containsEntry("levels", "[0.5x, 1x, 2x, 4x]")
        .containsKey("calibration");
  }

  @Test
  void runsOneAttachedModeWhenGivenAnHttpPort() {
    HttpOverloadConfig c = HttpOverloadConfig.builder().attachHttpPort(8080).build();

    assertThat(c.modes()).containsExactly("attached");
    assertThat(c.parameters()).containsEntry("http_port", 8080).doesNotContainKey("server_command");
  }

  @Test
  void namesLevelsWithoutDotsForMetricNames() {
    assertThat(HttpOverloadConfig.levelKey(0.5)).isEqualTo("x0_5");
    assertThat(HttpOverloadConfig.levelKey(4)).isEqualTo("x4");
    assertThat(HttpOverloadConfig.levelLabel(1.5)).isEqualTo("1.5x");
  }

  @Test
  void readsLevelsWithOrWithoutTheirX() {
    assertThat(HttpOverloadConfig.parseLevels("0.5, 1x,2,4X")).containsExactly(0.5, 1.0, 2.0, 4.0);
    assertThatThrownBy(() -> HttpOverloadConfig.parseLevels("1,two"))
        .hasMessageContaining("--levels")
        .hasMessageContaining("'two'");
  }

  @Test
  void rejectsValuesOutsideTheirRangeNamingTheOption() {
    assertThatThrownBy(() -> HttpOverloadConfig.builder().levels(List.of(0.0)).build())
        .hasMessageContaining("--levels");
    assertThatThrownBy(
            () -> HttpOverloadConfig.builder().modes(List.of("maybe")).build())
        .hasMessageContaining("--admission maybe");
    assertThatThrownBy(
            () -> HttpOverloadConfig.builder().modes(List.of("on", "on")).build())
        .hasMessageContaining("--admission on,on");
    assertThatThrownBy(() -> HttpOverloadConfig.builder().connections(0).build())
        .hasMessageContaining("--connections 0 is outside 1..65536");
    assertThatThrownBy(() -> HttpOverloadConfig.builder().clientBacklog(0).build())
        .hasMessageContaining("--client-backlog 0");
    assertThatThrownBy(
            () -> HttpOverloadConfig.builder().deadline(Duration.ZERO).build())
        .hasMessageContaining("--deadline 0");
    assertThatThrownBy(
            () -> HttpOverloadConfig.builder().serverCommand(List.of()).build())
        .hasMessageContaining("--server-command");
  }
}
