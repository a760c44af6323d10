package io.spillway.bench.http;

import io.spillway.bench.run.DurationConverter;
import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code http-overload} command line; filled by picocli, then read once by {@link #createScenario()}. */
@Command(
    name = HttpOverloadScenario.NAME,
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "HTTP publish under overload: measures the capacity of POST /v1/publish/{channel} (closed loop), then",
      "offers --levels multiples of it open loop, with admission control on and off, each on a fresh server",
      "started with --server-command (or one running server with --http-port). Latency counts from the intended",
      "send time. Reports goodput (2xx within --deadline), admitted p50/p99/p999, sheds by status and reason,",
      "how fast sheds are answered, late 2xx, errors and client-side drops, per level and mode."
    })
public final class HttpOverloadCommand implements ScenarioCommand {

  @Mixin
  private RunOptions runOptions;

  @Option(
      names = "--levels",
      paramLabel = "L,L,...",
      defaultValue = "0.5,1,2,4",
      description =
          "Offered load as multiples of the measured capacity (default ${DEFAULT-VALUE}).")
  private String levels;

  @Option(
      names = "--admission",
      paramLabel = "on,off",
      defaultValue = "off,on",
      description =
          "Admission modes, in order; capacity is measured on the first (default ${DEFAULT-VALUE}).")
  private String admission;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "Each request's deadline from its intended send time, sent as X-Request-Timeout-Ms "
              + "(default ${DEFAULT-VALUE}).")
  private Duration deadline;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "512",
      description =
          "Keep-alive connections, one request outstanding on each (default ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--client-backlog",
      paramLabel = "N",
      defaultValue = "10000",
      description =
          "Due requests that may wait for a free connection; beyond, they are dropped and counted "
              + "(default ${DEFAULT-VALUE}).")
  private int clientBacklog;

  @Option(
      names = "--subscribers",
      paramLabel = "S",
      defaultValue = "50",
      description =
          "RESP subscribers on the channel, so each publish fans out (default ${DEFAULT-VALUE}).")
  private int subscribers;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      defaultValue = "128",
      description = "Request body size (default ${DEFAULT-VALUE}).")
  private int payload;

  @Option(
      names = "--capacity",
      paramLabel = "REQ_PER_S",
      description = "The capacity the levels multiply; skips calibration. Default: measured.")
  private Double capacity;

  @Option(
      names = "--calibration",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Closed-loop calibration's measured time, after 5 s of warm-up (default ${DEFAULT-VALUE}).")
  private Duration calibration;

  @Option(
      names = "--calibration-connections",
      paramLabel = "N",
      defaultValue = "64",
      description = "Concurrent requests while calibrating (default ${DEFAULT-VALUE}).")
  private int calibrationConnections;

  @Option(
      names = "--server-command",
      paramLabel = "CMD",
      defaultValue = "./spillway serve",
      description =
          "How to start a server, split on spaces; the bench appends --bind, --port, --http-port, "
              + "--http-admission (default '${DEFAULT-VALUE}').")
  private String serverCommand;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description =
          "Extra argument for every started server, repeatable: --server-arg=--http-workers=4.")
  private List<String> serverArgs;

  @Option(
      names = "--http",
      paramLabel = "http://HOST:PORT",
      description =
          "Attach: load the running server's HTTP API at this address (loopback only; its RESP port is "
              + "--target's, for the subscribers) instead of starting servers; one mode, as the server is configured.")
  private String http;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description =
          "Attach: load the running server at --target's host on this HTTP port (its RESP port is "
              + "--target's) instead of starting servers; one mode, as the server is configured.")
  private Integer httpPort;

  @Override
  public RunOptions runOptions() {
    return runOptions;
  }

  @Override
  public Scenario createScenario() {
    if (runOptions.comparing()) {
      throw new IllegalArgumentException(
          "--compare does not apply to http-overload: it compares admission on and "
              + "off itself (--admission)");
    }
    return new HttpOverloadScenario(HttpOverloadConfig.builder()
        .levels(HttpOverloadConfig.parseLevels(levels))
        .modes(Arrays.stream(admission.split(",")).map(String::trim).toList())
        .deadline(deadline)
        .connections(connections)
        .clientBacklog(clientBacklog)
        .subscribers(subscribers)
        .payloadBytes(payload)
        .capacity(capacity == null ? 0 : requirePositive(capacity))
        .calibration(calibration)
        .calibrationConnections(calibrationConnections)
        .serverCommand(Arrays.stream(serverCommand.trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList())
        .serverArgs(serverArgs == null ? List.of() : serverArgs)
        .attachHttpPort(attachPort())
        .duration(runOptions.duration())
        .warmup(runOptions.warmup())
        .build());
  }

  /** The HTTP port to attach to from {@code --http} or {@code --http-port}; 0 to start servers. */
  private int attachPort() {
    if (http != null && httpPort != null) {
      throw new IllegalArgumentException("give --http or --http-port, not both");
    }
    if (http == null) {
      return httpPort == null ? 0 : requirePort(httpPort);
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(http);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "--http '" + http + "' is not a URL like http://127.0.0.1:8080", e);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException(
          "--http '" + http + "' must be http://HOST:PORT, e.g. http://127.0.0.1:8080");
    }
    java.net.InetAddress host;
    try {
      host = java.net.InetAddress.getByName(uri.getHost());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--http host '" + uri.getHost() + "' does not resolve", e);
    }
    if (!host.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "--http " + http + " is not a loopback address: the bench loads loopback only");
    }
    java.net.InetAddress resp = runOptions.targets().get(0).socketAddress().getAddress();
    if (!host.equals(resp)) {
      throw new IllegalArgumentException("--http host " + host.getHostAddress()
          + " differs from --target's " + resp.getHostAddress() + ": one server has both ports");
    }
    return requirePort(uri.getPort());
  }

  private static double requirePositive(double capacity) {
    if (!(capacity > 0)) {
      throw new IllegalArgumentException(
          "--capacity " + capacity + " is not positive (omit it to calibrate)");
    }
    return capacity;
  }

  private static int requirePort(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("--http-port " + port + " is outside 1..65535");
    }
    return port;
  }
}
