package io.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BenchMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void refusesANonLoopbackTargetAsAUsageError() {
    assertThat(run("fanout", "--target", "resp://192.0.2.1:6379")).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("192.0.2.1", "not a loopback address");
  }

  @Test
  void refusesTargetAndCompareTogether() {
    int code = run(
        "fanout",
        "--target",
        "resp://127.0.0.1:1",
        "--compare",
        "resp://127.0.0.1:2",
        "resp://127.0.0.1:3");

    assertThat(code).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("exclude each other");
  }

  @Test
  void requiresOneServerPidPerComparedTarget() {
    int code =
        run("fanout", "--compare", "resp://127.0.0.1:2", "resp://127.0.0.1:3", "--server-pid", "1");

    assertThat(code).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("--server-pid given 1 time(s) for 2 target(s)");
  }

  @Test
  void requiresAScenario() {
    assertThat(run()).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("a scenario is required");
  }

  @Test
  void reportsARefusedConnectionAsAFailedRun() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    int code =
        run("fanout", "--target", "resp://127.0.0.1:" + port, "--duration", "1s", "--warmup", "0s");

    assertThat(code).isEqualTo(BenchMain.EXIT_RUN_FAILED);
    assertThat(errText()).contains("cannot connect to resp://127.0.0.1:" + port);
  }

  @Test
  void refusesCompareForHttpOverloadWhichComparesAdmissionModesItself() {
    int code = run("http-overload", "--compare", "resp://127.0.0.1:2", "resp://127.0.0.1:3");

    assertThat(code).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("--compare does not apply to http-overload");
  }

  @Test
  void refusesUnreadableHttpOverloadLevels() {
    assertThat(run("http-overload", "--levels", "1,lots")).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("--levels '1,lots'");
  }

  @Test
  void refusesAnHttpTargetThatIsNotLoopbackOrNotAUrl() {
    assertThat(run("http-overload", "--http", "http://8.8.8.8:8080"))
        .isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("is not a loopback address");
    assertThat(run("http-overload", "--http", "127.0.0.1:8080")).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("'127.0.0.1:8080' is not a URL");
    assertThat(run("http-overload", "--http", "http://127.0.0.1:8080", "--http-port", "8080"))
        .isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("not both");
  }
}
