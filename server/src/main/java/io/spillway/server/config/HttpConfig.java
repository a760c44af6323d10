package io.spillway.server.config;

import io.spillway.core.config.ByteSize;
import io.spillway.core.config.DurationParser;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP port's settings: where it listens, the limits every request is held to, the deadlines and the per-client
 * rate limit. Immutable; {@link Builder#build()} rejects a bad value naming the setting, the value and the range.
 * The admission queue's own settings (workers, queue, CoDel, priorities, adaptive limit) are in
 * {@link io.spillway.core.admission.AdmissionSettings}.
 */
public final class HttpConfig {

  /** The HTTP API's port; {@value #OFF} turns the HTTP port off, 0 picks a free port. */
  public static final int DEFAULT_PORT = 8080;
  /** Port value that turns the HTTP port off. */
  public static final int OFF = -1;
  /** Open HTTP connections (WebSocket ones included) beyond which new ones get 503 and are closed. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  /** Request line plus headers; more is answered 431 (414 for the request line alone). Tomcat's and Jetty's 8 KiB. */
  public static final ByteSize DEFAULT_MAX_HEADER_SIZE = ByteSize.ofKibibytes(8);
  /** A request body; more is answered 413. A publish body is also held to max-message-size. */
  public static final ByteSize DEFAULT_MAX_BODY_SIZE = ByteSize.ofMebibytes(1);
  /** Time from a request's first byte to its last; a slower request (slowloris) is answered 408 and closed. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** A keep-alive connection with no request in progress is closed after this long without a byte. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Deadline of a publish that does not send {@code X-Request-Timeout-Ms}. */
  public static final Duration DEFAULT_PUBLISH_DEADLINE = Duration.ofSeconds(1);
  /** Deadline of the read-only API routes (channels, clients, stats) without {@code X-Request-Timeout-Ms}. */
  public static final Duration DEFAULT_QUERY_DEADLINE = Duration.ofSeconds(5);
  /** The longest deadline a request may ask for; longer asks are clamped to it. */
  public static final Duration DEFAULT_MAX_DEADLINE = Duration.ofSeconds(60);

  private final int port;
  private final List<String> tokens;
  private final List<String> allowedOrigins;
  private final boolean admission;
  private final int maxConnections;
  private final ByteSize maxHeaderSize;
  private final ByteSize maxBodySize;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final Duration publishDeadline;
  private final Duration queryDeadline;
  private final Duration maxDeadline;
  private final int rateLimit;
  private final int rateBurst;

  private HttpConfig(Builder b) {
    this.port = b.port;
    this.tokens = b.tokens;
    this.allowedOrigins = b.allowedOrigins;
    this.admission = b.admission;
    this.maxConnections = b.maxConnections;
    this.maxHeaderSize = b.maxHeaderSize;
    this.maxBodySize = b.maxBodySize;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.publishDeadline = b.publishDeadline;
    this.queryDeadline = b.queryDeadline;
    this.maxDeadline = b.maxDeadline;
    this.rateLimit = b.rateLimit;
    this.rateBurst = b.rateBurst;
  }

  /** The defaults, as documented in the README. */
  public static final HttpConfig DEFAULT = builder().build();

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.port = port;
    b.tokens = tokens;
    b.allowedOrigins = allowedOrigins;
    b.admission = admission;
    b.maxConnections = maxConnections;
    b.maxHeaderSize = maxHeaderSize;
    b.maxBodySize = maxBodySize;
    b.requestTimeout = requestTimeout;
    b.idleTimeout = idleTimeout;
    b.publishDeadline = publishDeadline;
    b.queryDeadline = queryDeadline;
    b.maxDeadline = maxDeadline;
    b.rateLimit = rateLimit;
    b.rateBurst = rateBurst;
    return b;
  }

  public boolean enabled() {
    return port != OFF;
  }

  public int port() {
    return port;
  }

  /**
   * The bearer tokens the API, WebSocket and publish accept (any one of them), in place of {@code requirepass}; empty:
   * {@code requirepass}, if set, protects the HTTP port (see {@link io.spillway.server.auth.Authenticator}). With
   * tokens, rate limits are kept per token.
   */
  public List<String> tokens() {
    return tokens;
  }

  /**
   * The browser origins ({@code scheme://host[:port]}, lower case) allowed to publish, to open a WebSocket and to
   * read API answers (CORS); {@code "*"} allows every origin. Empty (the default): only requests without an
   * {@code Origin} header, that is not from a browser page, may change state.
   */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** False only for comparison runs: an unbounded FIFO in front of the workers, no shedding, no deadlines. */
  public boolean admission() {
    return admission;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public ByteSize maxHeaderSize() {
    return maxHeaderSize;
  }

  public ByteSize maxBodySize() {
    return maxBodySize;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration publishDeadline() {
    return publishDeadline;
  }

  public Duration queryDeadline() {
    return queryDeadline;
  }

  public Duration maxDeadline() {
    return maxDeadline;
  }

  /** Requests per second each client (token, or remote address) may make; 0 turns rate limiting off. */
  public int rateLimit() {
    return rateLimit;
  }

  /** Requests a client may make at once after being idle: the token bucket's size. */
  public int rateBurst() {
    return rateBurst;
  }

  /** Builds an {@link HttpConfig}; setters take values as they are, {@link #build()} validates them all. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private List<String> tokens = List.of();
    private List<String> allowedOrigins = List.of();
    private boolean admission = true;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private ByteSize maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
    private ByteSize maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration publishDeadline = DEFAULT_PUBLISH_DEADLINE;
    private Duration queryDeadline = DEFAULT_QUERY_DEADLINE;
    private Duration maxDeadline = DEFAULT_MAX_DEADLINE;
    private int rateLimit;
    private int rateBurst;

    private Builder() {}

    public Builder port(int v) {
      this.port = v;
      return this;
    }

    /** Comma-separated tokens; {@code null} or empty turns authentication off. */
    public Builder tokens(String commaSeparated) {
      this.tokens = commaSeparated == null
          ? List.of()
          : Arrays.stream(commaSeparated.split(","))
              .map(String::trim)
              .filter(t -> !t.isEmpty())
              .toList();
      return this;
    }

    /** Comma-separated origins such as {@code https://app.example.com}, or {@code *}; empty allows none. */
    public Builder allowedOrigins(String commaSeparated) {
      this.allowedOrigins = commaSeparated == null
          ? List.of()
          : Arrays.stream(commaSeparated.split(","))
              .map(String::trim)
              .filter(o -> !o.isEmpty())
              .map(o -> o.toLowerCase(java.util.Locale.ROOT))
              .toList();
      return this;
    }

    public Builder admission(boolean v) {
      this.admission = v;
      return this;
    }

    public Builder maxConnections(int v) {
      this.maxConnections = v;
      return this;
    }

    public Builder maxHeaderSize(ByteSize v) {
      this.maxHeaderSize = Objects.requireNonNull(v, "maxHeaderSize");
      return this;
    }

    public Builder maxBodySize(ByteSize v) {
      this.maxBodySize = Objects.requireNonNull(v, "maxBodySize");
      return this;
    }

    public Builder requestTimeout(Duration v) {
      this.requestTimeout = Objects.requireNonNull(v, "requestTimeout");
      return this;
    }

    public Builder idleTimeout(Duration v) {
      this.idleTimeout = Objects.requireNonNull(v, "idleTimeout");
      return this;
    }

    public Builder publishDeadline(Duration v) {
      this.publishDeadline = Objects.requireNonNull(v, "publishDeadline");
      return this;
    }

    public Builder queryDeadline(Duration v) {
      this.queryDeadline = Objects.requireNonNull(v, "queryDeadline");
      return this;
    }

    public Builder maxDeadline(Duration v) {
      this.maxDeadline = Objects.requireNonNull(v, "maxDeadline");
      return this;
    }

    public Builder rateLimit(int v) {
      this.rateLimit = v;
      return this;
    }

    /** 0 means "the same as the rate" (one second's worth). */
    public Builder rateBurst(int v) {
      this.rateBurst = v;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws IllegalArgumentException naming the setting, the value and the allowed range
     */
    public HttpConfig build() {
      range("http-port", port, OFF, 65_535);
      range("http-max-connections", maxConnections, 1, 1_000_000);
      range(
          "http-max-header-size",
          maxHeaderSize.toBytes(),
          256,
          ByteSize.ofMebibytes(1).toBytes());
      range(
          "http-max-body-size",
          maxBodySize.toBytes(),
          1,
          ByteSize.ofMebibytes(64).toBytes());
      millis("http-request-timeout", requestTimeout, 10, 3_600_000);
      millis("http-idle-timeout", idleTimeout, 10, 86_400_000);
      millis("http-max-deadline", maxDeadline, 1, 3_600_000);
      millis("http-publish-deadline", publishDeadline, 1, maxDeadline.toMillis());
      millis("http-query-deadline", queryDeadline, 1, maxDeadline.toMillis());
      range("http-rate-limit", rateLimit, 0, 10_000_000);
      range("http-rate-burst", rateBurst, 0, 10_000_000);
      for (String origin : allowedOrigins) {
        if (!origin.equals("*") && !origin.matches("[a-z][a-z0-9+.-]*://[^/?#\\s]+")) {
          throw new IllegalArgumentException(
              "http-allowed-origins '" + origin + "' is not an origin: give"
                  + " scheme://host[:port] (no path, no trailing slash), or *");
        }
      }
      return new HttpConfig(this);
    }

    private static void millis(String name, Duration value, long min, long max) {
      if (value.toMillis() < min || value.toMillis() > max) {
        throw new IllegalArgumentException(name + " " + DurationParser.format(value)
            + " is out of range [" + DurationParser.format(Duration.ofMillis(min)) + ", "
            + DurationParser.format(Duration.ofMillis(max)) + "]");
      }
    }

    private static void range(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " " + value + " is out of range [" + min + ", " + max + "]");
      }
    }
  }
}
