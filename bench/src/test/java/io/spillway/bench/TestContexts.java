package io.spillway.bench;

import io.spillway.bench.run.ClientTransport;
import io.spillway.bench.run.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Run contexts for tests: the system clock, no process probes, progress lines into a buffer the test can read. */
public final class TestContexts {

  private TestContexts() {}

  /** A context on {@code transport} that prints its progress into {@code progress}. */
  public static RunContext of(ClientTransport transport, ByteArrayOutputStream progress) {
    return new RunContext(
        transport,
        System::nanoTime,
        null,
        null,
        new PrintStream(progress, true, StandardCharsets.UTF_8));
  }
}
