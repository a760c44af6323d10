package io.spillway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.config.ByteSize;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The heap sized from the budgets: the computation, {@code --print-heap}, and the refusal of a too-small heap. */
class HeapBudgetTest {

  @Test
  void defaultsNeedOutputPlusSubscriptionStatePlusBase() {
    ServerConfig c = ServerConfig.builder().build();
    long expected = 1_000L * 65_536 + (64L << 20) + (128L << 20);
    assertThat(HeapBudget.requiredBytes(c)).isEqualTo(expected);
    assertThat(HeapBudget.xmx(c)).isEqualTo("255m");
  }

  @Test
  void largerHardLimitOfEitherClassCounts() {
    ServerConfig c = ServerConfig.builder()
        .maxClients(10_000)
        .normalLimits(OutboxLimits.builder()
            .hardLimit(ByteSize.ofKibibytes(256))
            .softLimit(ByteSize.ofKibibytes(128))
            .build())
        .maxSubscriptionMemory(ByteSize.ofMebibytes(256))
        .maxOutputMemory(ByteSize.ofMebibytes(4096))
        .build();
    assertThat(HeapBudget.outputBytes(c)).isEqualTo(10_000L * 256 * 1024);
    assertThat(HeapBudget.xmx(c)).isEqualTo((10_000L * 256 / 1024 + 256 + 128) + "m");
  }

  @Test
  void outputIsCountedNoHigherThanMaxOutputMemory() {
    ServerConfig c = ServerConfig.builder().maxClients(10_000).build();
    assertThat(HeapBudget.outputBytes(c)).isEqualTo(64L << 20);
    assertThat(HeapBudget.xmx(c)).isEqualTo((64 + 64 + 128) + "m");
  }

  @Test
  void heapThatHoldsTheBudgetsIsAcceptedAndSmallerOneRefusedWithTheFigures() {
    ServerConfig c = ServerConfig.builder().build();
    long needed = HeapBudget.requiredBytes(c);
    assertThat(HeapBudget.refusal(c, needed)).isNull();
    assertThat(HeapBudget.refusal(c, needed - 1))
        .startsWith("the heap (")
        .contains(
            "cannot hold the configured budgets: output min(1000 clients x 65536 bytes, max-output-memory)")
        .contains("max-subscription-memory 64.0 MiB")
        .contains("-Xmx255m");
  }

  @Test
  void printHeapPrintsTheXmxTheLauncherUses() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = SpillwayCommand.create(config -> {
      throw new AssertionError("--print-heap must not serve");
    });
    commandLine.setOut(new PrintWriter(out, true));
    int status = commandLine.execute(
        "serve", "--max-clients", "2000", "--max-output-memory", "200mb", "--print-heap");
    assertThat(status).isZero();
    assertThat(out.toString().trim()).isEqualTo((2000 * 64 / 1024 + 64 + 128) + "m");
  }

  @Test
  void serverRefusesToStartInAHeapTooSmallForItsBudgets() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(
            java.toString(),
            "-Xmx48m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.spillway.server.cli.Main",
            "serve",
            "--port",
            "0",
            "--http-port",
            "0"))
        .redirectErrorStream(true)
        .start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isEqualTo(1);
      assertThat(output)
          .contains(
              "spillway: cannot start: the heap (48.0 MiB) cannot hold the configured budgets")
          .contains("-Xmx255m");
    } finally {
      p.destroyForcibly();
    }
  }
}
