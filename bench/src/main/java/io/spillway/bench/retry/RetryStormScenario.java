package io.spillway.bench.retry;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.http.ProcessServerLauncher;
import io.spillway.bench.http.ServerLauncher;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.Scenario;
import io.spillway.client.CircuitBreaker;
import io.spillway.client.RetryBudget;
import io.spillway.client.RetryBudgetExhaustedException;
import io.spillway.client.ShedException;
import io.spillway.client.SpillwayClient;
import io.spillway.client.SpillwayException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Retry storms: see {@link RetryStormCommand}. Per mode a fresh server (admission on, rate-limited), the calls
 * started open loop for the duration, every call waited for, then the server's count of publish responses read
 * from its {@code /metrics}. Immutable; called by the runner's thread.
 */
final class RetryStormScenario implements Scenario {

  static final String NAME = "retry-storm";

  private static final List<String> HEADER = List.of(
      "callers",
      "calls",
      "not started",
      "server requests",
      "amplification",
      "ok",
      "goodput/s",
      "ok p99 ms",
      "failures");

  /*
   * Design: the naive caller is what an application without a client library writes: catch the error, send again,
   * a few times, at once. The other two are SpillwayClient, which is the point: the same calls, the same server,
   * and the server's own count of what it had to answer. The server is rate-limited rather than CPU-bound so that
   * its capacity is the same in every mode and on any machine; its 429s carry Retry-After like its 503s.
   */

  private final RetryStormConfig config;
  private final ServerLauncher launcher;

  RetryStormScenario(RetryStormConfig config) {
    this(config, new ProcessServerLauncher(config.serverCommand(), config.allServerArgs()));
  }

  /** With a given launcher: tests start in-process servers (which must apply the rate limit themselves). */
  RetryStormScenario(RetryStormConfig config, ServerLauncher launcher) {
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
    List<Metric> metrics = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    table.add(HEADER);
    Map<String, Object> perMode = new LinkedHashMap<>();
    byte[] payload = new byte[config.payloadBytes()];
    java.util.Arrays.fill(payload, (byte) 'x');
    for (String mode : config.modes()) {
      try (ServerLauncher.RunningServer server = launcher.start("on", target, progress)) {
        HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
        long before = ServerResponses.publishResponses(http, server.http());
        progress.printf(
            Locale.ROOT,
            "  [%s] %.0f calls/s for %.1f s against %s%n",
            mode,
            config.rate(),
            config.duration().toMillis() / 1e3,
            server.http());
        CallTally tally = run(mode, http, server.http(), payload);
        long seen = ServerResponses.publishResponses(http, server.http()) - before;
        long calls = tally.startedCount();
        double amplification = calls == 0 ? 0 : (double) seen / calls;
        double seconds = config.duration().toNanos() / 1e9;
        double goodput = tally.succeededCount() / seconds;
        double p99 = tally.successP99Millis();
        progress.printf(
            Locale.ROOT,
            "  [%s] %d calls, server answered %d requests: amplification %.2f, goodput "
                + "%.0f/s, ok p99 %.0f ms, failures %s%n",
            mode,
            calls,
            seen,
            amplification,
            goodput,
            p99,
            tally.failuresByKind());
        metrics.add(Metric.lower(mode + "_amplification", "x", amplification));
        metrics.add(Metric.higher(mode + "_goodput_per_s", "calls/s", goodput));
        metrics.add(Metric.lower(mode + "_ok_p99_ms", "ms", p99));
        metrics.add(Metric.neither(mode + "_calls", "calls", calls));
        metrics.add(Metric.neither(mode + "_server_requests", "req", seen));
        table.add(List.of(
            mode,
            Long.toString(calls),
            Long.toString(tally.notStartedCount()),
            Long.toString(seen),
            String.format(Locale.ROOT, "%.2f", amplification),
            Long.toString(tally.succeededCount()),
            String.format(Locale.ROOT, "%.0f", goodput),
            String.format(Locale.ROOT, "%.0f", p99),
            tally.failuresByKind().toString()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", calls);
        m.put("not_started", tally.notStartedCount());
        m.put("server_requests", seen);
        m.put("amplification", amplification);
        m.put("succeeded", tally.succeededCount());
        m.put("failures", tally.failuresByKind());
        perMode.put(mode, m);
      } catch (IOException e) {
        throw new BenchException("retry-storm (" + mode + "): " + e.getMessage(), e);
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("table", table);
    details.put("modes", perMode);
    return new ScenarioResult(metrics, details, List.of());
  }

  /** Starts the calls open loop for the duration, then waits for every one to end. */
  private CallTally run(String mode, HttpClient http, InetSocketAddress server, byte[] payload)
      throws InterruptedException {
    URI base =
        URI.create("http://" + server.getAddress().getHostAddress() + ":" + server.getPort());
    Caller caller =
        mode.equals("naive") ? new NaiveCaller(http, base, config) : clientCaller(mode, http, base);
    CallTally tally = new CallTally();
    Semaphore slots = new Semaphore(config.callers());
    long start = System.nanoTime();
    long end = start + config.duration().toNanos();
    long interval = (long) (1e9 / config.rate());
    for (long due = start; due - end < 0; due += interval) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!slots.tryAcquire()) {
        tally.notStarted();
        continue;
      }
      tally.started();
      long began = System.nanoTime();
      caller.call(payload).whenComplete((ok, failure) -> {
        if (failure == null) {
          tally.succeeded(System.nanoTime() - began);
        } else {
          tally.failed(kind(failure));
        }
        slots.release();
      });
    }
    long drain = config.deadline().toNanos() + TimeUnit.SECONDS.toNanos(5);
    if (!slots.tryAcquire(config.callers(), drain, TimeUnit.NANOSECONDS)) {
      tally.failed("unfinished");
    }
    return tally;
  }

  private SpillwayClient.Builder clientBuilder(HttpClient http, URI base) {
    return SpillwayClient.builder(base)
        .httpClient(http)
        .timeout(config.deadline())
        .retryBudget(new RetryBudget(
            RetryBudget.DEFAULT_PERCENT_CAN_RETRY,
            config.budgetMinPerSecond(),
            RetryBudget.DEFAULT_TTL,
            System::nanoTime));
  }

  private Caller clientCaller(String mode, HttpClient http, URI base) {
    SpillwayClient.Builder b = clientBuilder(http, base);
    if (mode.equals("budget")) {
      b.noCircuitBreaker();
    } else {
      b.circuitBreaker(CircuitBreaker.Settings.DEFAULT);
    }
    SpillwayClient client = b.build();
    return payload -> client.publishAsync("storm", payload);
  }

  private static String kind(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    if (t instanceof RetryBudgetExhaustedException) {
      return "budget_spent";
    }
    if (t instanceof ShedException s) {
      return "shed_" + s.status();
    }
    if (t instanceof IOException && t.getMessage() != null && t.getMessage().startsWith("HTTP ")) {
      return "shed_" + t.getMessage().substring(5); // a naive call's last answer
    }
    if (t instanceof IOException && "deadline".equals(t.getMessage())) {
      return "deadline";
    }
    if (t instanceof SpillwayException) {
      return t.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT);
    }
    return t.getClass().getSimpleName();
  }

  /** Makes one logical call. */
  @FunctionalInterface
  interface Caller {
    CompletableFuture<Long> call(byte[] payload);
  }

  /** Retries at once on anything retryable, up to the configured retries, within the deadline. */
  static final class NaiveCaller implements Caller {
    private final HttpClient http;
    private final URI uri;
    private final RetryStormConfig config;

    NaiveCaller(HttpClient http, URI base, RetryStormConfig config) {
      this.http = http;
      this.uri = base.resolve("/v1/publish/storm");
      this.config = config;
    }

    @Override
    public CompletableFuture<Long> call(byte[] payload) {
      CompletableFuture<Long> result = new CompletableFuture<>();
      attempt(payload, 0, System.nanoTime() + config.deadline().toNanos(), result);
      return result;
    }

    private void attempt(
        byte[] payload, int retries, long deadline, CompletableFuture<Long> result) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        result.completeExceptionally(new IOException("deadline"));
        return;
      }
      HttpRequest r = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofNanos(left))
          .header("X-Request-Timeout-Ms", Long.toString(Math.max(1, left / 1_000_000)))
          .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
          .build();
      http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
        boolean retryable = err != null
            ? err.getCause() instanceof ConnectException
            : resp.statusCode() == 503 || resp.statusCode() == 429 || resp.statusCode() == 504;
        if (err == null && resp.statusCode() == 200) {
          result.complete(1L);
        } else if (retryable && retries < config.naiveRetries()) {
          attempt(payload, retries + 1, deadline, result);
        } else {
          result.completeExceptionally(
              err != null ? err : new IOException("HTTP " + resp.statusCode()));
        }
      });
    }
  }
}
