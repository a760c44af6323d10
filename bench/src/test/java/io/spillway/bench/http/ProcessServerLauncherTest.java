package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.run.BenchException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessServerLauncherTest {

  private final PrintStream progress =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @Test
  void appendsPortsAndAdmissionModeThenTheExtraArguments() {
    ProcessServerLauncher l =
        new ProcessServerLauncher(List.of("./spillway", "serve"), List.of("--http-workers=2"));

    assertThat(l.commandLine("off", "127.0.0.1", 7001, 7002))
        .containsExactly(
            "./spillway",
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            "7001",
            "--http-port",
            "7002",
            "--http-admission",
            "off",
            "--http-workers=2");
  }

  @Test
  void reportsAServerThatExitsBeforeItsPortsOpenWithItsLog() {
    ProcessServerLauncher l = new ProcessServerLauncher(
        List.of("sh", "-c", "echo no such setting >&2; exit 2"), List.of());

    assertThatThrownBy(() -> l.start("on", Target.parse("resp://127.0.0.1:1"), progress))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("exited with status 2")
        .hasMessageContaining("no such setting");
  }

  @Test
  void reportsACommandThatCannotBeStarted() {
    ProcessServerLauncher l =
        new ProcessServerLauncher(List.of("/nonexistent/spillway"), List.of());

    assertThatThrownBy(() -> l.start("on", Target.parse("resp://127.0.0.1:1"), progress))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("cannot start the server");
  }
}
