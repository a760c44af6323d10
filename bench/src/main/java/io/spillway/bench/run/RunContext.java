package io.spillway.bench.run;

import io.spillway.bench.probe.ProcessProbe;
import java.io.PrintStream;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What a {@link Scenario} run is given: the shared event loops, the clock, probes of the server and of the load
 * generator, and where to write progress. Immutable; handed to one run at a time.
 */
public final class RunContext {

  private final ClientTransport transport;
  private final LongSupplier nanoClock;
  private final ProcessProbe serverProbe;
  private final ProcessProbe loadGeneratorProbe;
  private final PrintStream progress;

  /**
   * @param nanoClock monotonic nanoseconds; every timestamp of the run, on every thread, comes from it
   * @param serverProbe the server's process, or null if no {@code --server-pid} was given
   * @param loadGeneratorProbe this process, or null where /proc cannot be read
   * @param progress where phase changes are reported (stderr), never the results
   */
  public RunContext(
      ClientTransport transport,
      LongSupplier nanoClock,
      ProcessProbe serverProbe,
      ProcessProbe loadGeneratorProbe,
      PrintStream progress) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.serverProbe = serverProbe;
    this.loadGeneratorProbe = loadGeneratorProbe;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public ClientTransport transport() {
    return transport;
  }

  public LongSupplier nanoClock() {
    return nanoClock;
  }

  public Optional<ProcessProbe> serverProbe() {
    return Optional.ofNullable(serverProbe);
  }

  public Optional<ProcessProbe> loadGeneratorProbe() {
    return Optional.ofNullable(loadGeneratorProbe);
  }

  public PrintStream progress() {
    return progress;
  }
}
