package io.spillway.client;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes to a Spillway server over its HTTP API ({@code POST /v1/publish/{channel}}), on the JDK's
 * {@link HttpClient}, and behaves well when the server is overloaded:
 * <ul>
 *   <li>every call has a deadline ({@link Builder#timeout}, or per call), sent as {@code X-Request-Timeout-Ms} so
 *       that the server drops the request rather than run it late, and never exceeded by retries;
 *   <li>only what was certainly not published is retried: 503, 429, a Spillway 504 ({@code X-Spillway-Shed}, "not
 *       run"/"not published"), and a connection refused before the request was sent. Never another 4xx, a 500, or
 *       an I/O error after the request went out (it may have been published: a retry could duplicate it);
 *   <li>retries wait exponential backoff with full jitter, never less than the server's {@code Retry-After};
 *   <li>retries draw on a {@link RetryBudget} (Finagle's shape: 10 % of calls plus 2/s, over 10 s, so at most
 *       1.2 requests per call from 20 calls/s up); when it is
 *       spent the call fails fast with {@link RetryBudgetExhaustedException};
 *   <li>a {@link CircuitBreaker} (on by default) fails calls fast with {@link LocalRejectionException} while the
 *       server keeps failing;
 *   <li>optionally, {@link AdaptiveThrottle adaptive throttling} refuses calls locally in proportion to what the
 *       server has been refusing.
 * </ul>
 *
 * <pre>{@code
 * SpillwayClient client = SpillwayClient.builder(URI.create("http://127.0.0.1:8080"))
 *     .timeout(Duration.ofSeconds(2))
 *     .build();
 * long receivers = client.publish("news", "hello".getBytes(UTF_8));        // or publishAsync(...)
 * }</pre>
 *
 * <p>Thread-safe: one client is meant to be shared by every thread of an application (the budget, breaker and
 * throttle are per client, which is what makes them work).
 */
public final class SpillwayClient {

  /** The header carrying a call's remaining time to the server, in milliseconds. */
  public static final String DEADLINE_HEADER = "X-Request-Timeout-Ms";
  /** A call's deadline: 1 s, the server's default publish deadline. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  /** Requests per call at most, the first included: 3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /*
   * Design. A call is a small state machine (Call) driven by the HttpClient's completions: send, classify the answer,
   * then complete, fail or schedule the next attempt on a delayed executor. Nothing blocks except publish(), which
   * waits on the future. Each decision reads the injected clock and random source, so the policies (Backoff,
   * RetryBudget, CircuitBreaker, AdaptiveThrottle) are tested on a fake clock, and the client itself against a real
   * server. Order of checks before each request: deadline, throttle, breaker; a retry additionally needs attempts
   * left, a delay that ends before the deadline, and a token from the budget (taken last, so that a retry that
   * could not happen anyway does not spend one).
   */

  private static final Pattern RECEIVERS = Pattern.compile("\"receivers\"\\s*:\\s*(\\d+)");

  private final URI base;
  private final HttpClient http;
  private final String token;
  private final Duration timeout;
  private final int maxAttempts;
  private final Backoff backoff;
  private final RetryBudget budget;
  private final CircuitBreaker breaker;
  private final AdaptiveThrottle throttle;
  private final ClientListener listener;
  private final LongSupplier clock;
  private final DoubleSupplier random;
  private final Executor executor;

  private SpillwayClient(Builder b) {
    this.base = b.base;
    this.http = b.http != null
        ? b.http
        : HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.timeout)
            .build();
    this.token = b.token;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.clock = b.clock;
    this.random = b.random;
    this.listener = b.listener;
    this.budget = b.budget != null ? b.budget : RetryBudget.withDefaults(b.clock);
    this.breaker = b.breaker == null
        ? null
        : new CircuitBreaker(b.breaker, b.clock, listener::onBreakerTransition);
    this.throttle =
        b.throttleK > 0 ? new AdaptiveThrottle(b.throttleK, b.throttleWindow, b.clock) : null;
    this.executor = b.executor;
  }

  /** A builder for a client of the server at {@code base} ({@code http://host:port}). */
  public static Builder builder(URI base) {
    return new Builder(base);
  }

  /**
   * Publishes {@code message} to {@code channel} within the default timeout, retrying as the class comment says;
   * blocks the calling thread until done.
   *
   * @return the number of subscribers that received it
   * @throws SpillwayException (a subclass) if it could not be published
   */
  public long publish(String channel, byte[] message) {
    return publish(channel, message, timeout);
  }

  /** As {@link #publish(String, byte[])} with this call's own deadline, {@code timeout} from now. */
  public long publish(String channel, byte[] message, Duration timeout) {
    try {
      return publishAsync(channel, message, timeout).get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpillwayException("publish to " + channel + ": interrupted while waiting", e);
    }
  }

  /** As {@link #publish(String, byte[])}, without blocking: the future fails with a {@link SpillwayException}. */
  public CompletableFuture<Long> publishAsync(String channel, byte[] message) {
    return publishAsync(channel, message, timeout);
  }

  /** As {@link #publishAsync(String, byte[])} with this call's own deadline, {@code timeout} from now. */
  public CompletableFuture<Long> publishAsync(String channel, byte[] message, Duration timeout) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(message, "message");
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("channel is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout " + timeout + " must be positive");
    }
    Call call = new Call(channel, message, clock.getAsLong(), timeout.toNanos());
    budget.deposit();
    call.send();
    return call.result;
  }

  /** The circuit breaker's state; {@link CircuitBreaker.State#CLOSED} when there is none. */
  public CircuitBreaker.State breakerState() {
    return breaker == null ? CircuitBreaker.State.CLOSED : breaker.state();
  }

  /** The retry budget this client draws on. */
  public RetryBudget retryBudget() {
    return budget;
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    return new SpillwayException(String.valueOf(t), t);
  }

  /** One call: its attempts, from the caller's thread and then the HttpClient's. */
  private final class Call {
    final String channel;
    final byte[] body;
    final long start;
    final long deadline;
    final CompletableFuture<Long> result = new CompletableFuture<>();
    int attempts;
    ShedException last;

    Call(String channel, byte[] body, long start, long timeoutNanos) {
      this.channel = channel;
      this.body = body;
      this.start = start;
      this.deadline = start + timeoutNanos;
    }

    void send() {
      long left = deadline - clock.getAsLong();
      if (left <= 0) {
        fail(new DeadlineExceededException(
            "publish to " + channel + ": deadline passed before attempt " + (attempts + 1),
            last,
            true));
        return;
      }
      if (throttle != null && !throttle.tryAcquire(random.getAsDouble())) {
        rejectLocally(LocalRejectionException.Reason.THROTTLED);
        return;
      }
      if (breaker != null && !breaker.tryAcquire()) {
        rejectLocally(LocalRejectionException.Reason.CIRCUIT_OPEN);
        return;
      }
      attempts++;
      listener.onAttempt(channel, attempts);
      HttpRequest.Builder r = HttpRequest.newBuilder(uri(channel))
          .timeout(Duration.ofNanos(left))
          .header(DEADLINE_HEADER, Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))))
          .header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (token != null) {
        r.header("Authorization", "Bearer " + token);
      }
      CompletableFuture<HttpResponse<String>> sent;
      try {
        sent =
            http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        settleBreaker(Outcome.IGNORED);
        fail(new SpillwayException("publish to " + channel + ": " + e, e));
        return;
      }
      sent.whenComplete(this::answered);
    }

    private void rejectLocally(LocalRejectionException.Reason reason) {
      listener.onLocalRejection(channel, reason);
      fail(new LocalRejectionException(channel, reason, last));
    }

    private void answered(HttpResponse<String> response, Throwable error) {
      try {
        if (error != null) {
          failed(
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error);
        } else {
          classify(response);
        }
      } catch (RuntimeException unexpected) {
        fail(new SpillwayException("publish to " + channel + ": " + unexpected, unexpected));
      }
    }

    private void failed(Throwable cause) {
      settleBreaker(Outcome.FAILURE);
      if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
        retryOrFail(new ShedException(
            0,
            "connect_failed",
            0,
            "publish to " + channel + ": could not connect to " + base + ": " + cause,
            cause));
      } else if (cause instanceof HttpTimeoutException) {
        fail(new DeadlineExceededException(
            "publish to " + channel + ": no answer within the deadline; it may "
                + "or may not have been published",
            cause,
            false));
      } else {
        fail(new SpillwayException(
            "publish to " + channel + ": " + cause + " after the request was sent; it may "
                + "or may not have been published",
            cause));
      }
    }

    private void classify(HttpResponse<String> response) {
      int status = response.statusCode();
      String shed = response.headers().firstValue("X-Spillway-Shed").orElse(null);
      if (throttle != null
          && !(status == 503 || status == 429 || (status == 504 && shed != null))) {
        throttle.onAccepted();
      }
      if (status >= 200 && status < 300) {
        settleBreaker(Outcome.SUCCESS);
        Matcher m = RECEIVERS.matcher(response.body());
        long receivers = m.find() ? Long.parseLong(m.group(1)) : 0;
        listener.onCallEnded(channel, attempts, clock.getAsLong() - start, null);
        result.complete(receivers);
      } else if (status == 503 || status == 429 || (status == 504 && shed != null)) {
        settleBreaker(Outcome.FAILURE);
        retryOrFail(new ShedException(
            status,
            shed,
            retryAfterSeconds(response),
            "publish to " + channel + ": HTTP " + status + (shed == null ? "" : " (" + shed + ")")
                + ": " + response.body(),
            null));
      } else {
        settleBreaker(status >= 500 ? Outcome.FAILURE : Outcome.IGNORED);
        fail(new PublishRejectedException(channel, status, response.body()));
      }
    }

    private void retryOrFail(ShedException shed) {
      last = shed;
      if (attempts >= maxAttempts) {
        fail(shed);
        return;
      }
      long delay =
          backoff.delayNanos(attempts, random, TimeUnit.SECONDS.toNanos(shed.retryAfterSeconds()));
      if (clock.getAsLong() + delay - deadline >= 0) {
        fail(shed); // honouring Retry-After, no retry fits before the deadline
        return;
      }
      if (!budget.tryWithdraw()) {
        listener.onBudgetExhausted(channel);
        fail(new RetryBudgetExhaustedException(channel, shed));
        return;
      }
      listener.onRetry(channel, attempts + 1, delay, shed);
      CompletableFuture.runAsync(
          this::send, CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS, executor));
    }

    private void settleBreaker(Outcome outcome) {
      if (breaker == null) {
        return;
      }
      switch (outcome) {
        case SUCCESS:
          breaker.onSuccess();
          break;
        case FAILURE:
          breaker.onFailure();
          break;
        default:
          breaker.onIgnored();
      }
    }

    private void fail(SpillwayException e) {
      listener.onCallEnded(channel, attempts, clock.getAsLong() - start, e);
      result.completeExceptionally(e);
    }
  }

  private enum Outcome {
    SUCCESS,
    FAILURE,
    IGNORED
  }

  private URI uri(String channel) {
    String path =
        "/v1/publish/" + URLEncoder.encode(channel, StandardCharsets.UTF_8).replace("+", "%20");
    return base.resolve(path);
  }

  /** {@code Retry-After} as delay-seconds; 0 if absent or an HTTP date (Spillway sends seconds). */
  static long retryAfterSeconds(HttpResponse<?> response) {
    String v = response.headers().firstValue("Retry-After").orElse("").trim();
    if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || v.length() > 9) {
      return 0;
    }
    return Long.parseLong(v);
  }

  /** Builds a {@link SpillwayClient}; setters reject bad values at once, naming them. */
  public static final class Builder {
    private final URI base;
    private HttpClient http;
    private String token;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Backoff backoff = Backoff.DEFAULT;
    private RetryBudget budget;
    private CircuitBreaker.Settings breaker = CircuitBreaker.Settings.DEFAULT;
    private double throttleK;
    private Duration throttleWindow = AdaptiveThrottle.DEFAULT_WINDOW;
    private ClientListener listener = new ClientListener() {};
    private LongSupplier clock = System::nanoTime;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Executor executor = ForkJoinPool.commonPool();

    private Builder(URI base) {
      Objects.requireNonNull(base, "base");
      if (!"http".equalsIgnoreCase(base.getScheme())
          && !"https".equalsIgnoreCase(base.getScheme())) {
        throw new IllegalArgumentException(
            "base " + base + " must be http://host:port or https://host:port");
      }
      if (base.getHost() == null) {
        throw new IllegalArgumentException("base " + base + " has no host");
      }
      this.base = base;
    }

    /** A bearer token for {@code Authorization} (the server's {@code http-tokens}); none by default. */
    public Builder token(String token) {
      this.token = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** Each call's deadline unless given per call: positive; default 1 s. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout " + timeout + " must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** Requests per call at most, the first included: 1 (no retry) to 10; default 3. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException(
            "maxAttempts " + maxAttempts + " is out of range [1, 10]");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The backoff between attempts; default 50 ms doubling to 1 s, full jitter. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * The retry budget; default a budget of this client's own with {@link RetryBudget}'s defaults (10 % of calls +
     * 2/s over 10 s) on the builder's clock. Pass one budget to several clients to bound them together.
     */
    public Builder retryBudget(RetryBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /** The circuit breaker's settings; default {@link CircuitBreaker.Settings#DEFAULT}. */
    public Builder circuitBreaker(CircuitBreaker.Settings settings) {
      this.breaker = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** No circuit breaker: every call is sent. */
    public Builder noCircuitBreaker() {
      this.breaker = null;
      return this;
    }

    /** Turns adaptive throttling on with the SRE book's K = 2 over 2 minutes. Off by default. */
    public Builder adaptiveThrottling() {
      return adaptiveThrottling(AdaptiveThrottle.DEFAULT_K, AdaptiveThrottle.DEFAULT_WINDOW);
    }

    /** Turns adaptive throttling on: K at least 1 (lower refuses sooner), window at least 1 s. */
    public Builder adaptiveThrottling(double k, Duration window) {
      new AdaptiveThrottle(k, window, clock); // validates
      this.throttleK = k;
      this.throttleWindow = window;
      return this;
    }

    /** Receives attempts, retries, budget and breaker events; none by default. */
    public Builder listener(ClientListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The time source of deadlines, budget, breaker and throttle; default {@code System::nanoTime}. */
    public Builder clock(LongSupplier nanoClock) {
      this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
      return this;
    }

    /** Uniform numbers in [0, 1) for jitter and throttling; default {@link ThreadLocalRandom}. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The HttpClient to send with; default an HTTP/1.1 client of the client's own. */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** Where delayed retries start; default the common fork-join pool. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public SpillwayClient build() {
      return new SpillwayClient(this);
    }
  }
}
