package io.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --assert} on the command line: usage errors are caught before any connection. */
class BenchMainAssertTest {

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
  void exitsWithUsageOnASyntaxErrorBeforeConnecting() {
    // Port 1 has no server: had a run started, it would fail to connect and exit 1.
    int code = run(
        "fanout", "--target", "resp://127.0.0.1:1", "--assert", "lost==0", "--assert", "lost = 0");

    assertThat(code).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("--assert: expected an operator", "at column 6 in 'lost = 0'");
    assertThat(errText()).doesNotContain("[run ", "cannot connect");
  }

  @Test
  void exitsWithUsageOnAnUnqualifiedNameWhenComparingBeforeConnecting() {
    int code = run(
        "fanout",
        "--compare",
        "resp://127.0.0.1:1#redis",
        "resp://127.0.0.1:2#spillway",
        "--assert",
        "lost==0");

    assertThat(code).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(errText()).contains("'lost' is ambiguous", "redis.lost", "spillway.lost");
    assertThat(errText()).doesNotContain("[run ", "cannot connect");
  }

  @Test
  void documentsTheExitStatusInTheScenarioHelp() {
    assertThat(run("fanout", "--help")).isEqualTo(BenchMain.EXIT_OK);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--assert=EXPR", "Exit 1 if one is false");
  }
}
