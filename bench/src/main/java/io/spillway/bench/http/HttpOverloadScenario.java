package io.spillway.bench.http;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.Scenario;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP publish under overload: see {@link HttpOverloadCommand} for the options and {@link OverloadResults} for
 * what is reported. Immutable; each {@link #run} starts its own servers (or attaches), with fresh connections and
 * a fresh channel name.
 */
final class HttpOverloadScenario implements Scenario {

  static final String NAME = "http-overload";

  /*
   * Design: one run is the whole experiment, both admission modes, because its question is a comparison at the
   * same offered rates: capacity is measured once, on the first mode's server (off by default: without shedding
   * the closed loop measures what the workers complete), and every level of every mode multiplies that one
   * figure. Each mode gets a fresh server so that one mode's queues, limits and JIT state do not carry over.
   * Per mode: server up, RESP subscribers confirmed, HTTP pool connected, [calibrate], the levels in order (each
   * drained before the next), then everything closed, server stopped.
   */

  private final HttpOverloadConfig config;
  private final ServerLauncher launcher;

  HttpOverloadScenario(HttpOverloadConfig config) {
    this(
        config,
        config.attached()
            ? attach(config.attachHttpPort())
            : new ProcessServerLauncher(config.serverCommand(), config.serverArgs()));
  }

  /** With a given launcher: tests start in-process servers. */
  HttpOverloadScenario(HttpOverloadConfig config, ServerLauncher launcher) {
    this.config = config;
    this.launcher = launcher;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    return config.parameters();
  }

  @Override
  public ScenarioResult run(Target target, RunContext context)
      throws BenchException, InterruptedException {
    PrintStream progress = context.progress();
    String channel =
        "spillway-bench:http:" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    byte[] payload = new byte[config.payloadBytes()];
    Arrays.fill(payload, (byte) 'x');
    double capacity = config.capacity();
    String method = capacity > 0 ? "given with --capacity" : null;
    PhaseResult calibration = null;
    List<PhaseResult> phases = new ArrayList<>();
    Map<String, Object> perMode = new LinkedHashMap<>();
    for (String mode : config.modes()) {
      try (ServerLauncher.RunningServer server = launcher.start(mode, target, progress);
          FanoutSubscribers subscribers = new FanoutSubscribers();
          HttpLoadGenerator load = new HttpLoadGenerator(
              context.transport(),
              context.nanoClock(),
              server.http(),
              channel,
              payload,
              config.deadline(),
              config.clientBacklog(),
              progress)) {
        if (config.subscribers() > 0) {
          progress.printf(
              "  [%s] subscribing %d RESP subscriber(s) at %s%n",
              mode, config.subscribers(), hostPort(server.resp()));
          subscribers.open(context.transport(), server.resp(), channel, config.subscribers());
        }
        progress.printf(
            "  [%s] connecting %d HTTP connection(s) to %s%n",
            mode, poolSize(), hostPort(server.http()));
        load.connect(poolSize());
        if (capacity <= 0) {
          calibration = load.runClosedLoop(
              mode,
              config.calibrationConnections(),
              HttpOverloadConfig.CALIBRATION_WARMUP,
              config.calibration());
          capacity = calibration.admittedPerSecond();
          method = String.format(
              Locale.ROOT,
              "closed loop on the '%s' server: %d concurrent requests, %.1f s "
                  + "measured after %.1f s, 2xx responses per second",
              mode,
              config.calibrationConnections(),
              config.calibration().toMillis() / 1e3,
              HttpOverloadConfig.CALIBRATION_WARMUP.toMillis() / 1e3);
          if (!(capacity > 0)) {
            throw new BenchException(
                "calibration against " + hostPort(server.http()) + " got no 2xx response: "
                    + calibration.tally().shedByStatus() + " shed, "
                    + calibration.tally().otherByStatus()
                    + " other statuses, " + calibration.tally().errors
                    + " errors; is POST /v1/publish served?");
          }
          progress.printf(Locale.ROOT, "  capacity: %,.0f req/s (%s)%n", capacity, method);
        }
        for (double level : config.levels()) {
          phases.add(
              load.runOpenLoop(mode, level, capacity * level, config.warmup(), config.duration()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_pid", server.pid() > 0 ? server.pid() : null);
        m.put("http", hostPort(server.http()));
        m.put("reconnects", load.reconnects());
        m.put("connect_failures", load.connectFailures());
        m.put("last_connection_error", load.lastError());
        m.put("subscriber_disconnects", subscribers.disconnects());
        m.put("subscriber_bytes_received", subscribers.bytesReceived());
        perMode.put(mode, m);
      }
    }
    return OverloadResults.build(capacity, method, calibration, phases, perMode);
  }

  private static String hostPort(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private int poolSize() {
    return Math.max(
        config.connections(), config.capacity() > 0 ? 0 : config.calibrationConnections());
  }

  /** A launcher that starts nothing: the server at the target's host, RESP on its port, HTTP on {@code port}. */
  static ServerLauncher attach(int httpPort) {
    return (mode, target, progress) -> {
      InetSocketAddress resp = target.socketAddress();
      InetSocketAddress http = new InetSocketAddress(resp.getAddress(), httpPort);
      return new ServerLauncher.RunningServer() {
        @Override
        public InetSocketAddress http() {
          return http;
        }

        @Override
        public InetSocketAddress resp() {
          return resp;
        }

        @Override
        public long pid() {
          return -1;
        }

        @Override
        public void close() {}
      };
    };
  }
}
