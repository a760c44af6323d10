package io.spillway.server.config;

import io.spillway.core.admission.AdmissionSettings;
import io.spillway.core.config.ByteSize;
import io.spillway.core.flow.BacklogPolicy;
import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.OutboxLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code spillway serve} can be told. Immutable; build with {@link #builder()}, whose {@link
 * Builder#build()} rejects a bad value with a message that names the setting, the value and the allowed range.
 * {@link Settings} maps each field to its config-file key and {@code --flag}.
 */
public final class ServerConfig {

  /** Loopback only, so that a server started by hand is not exposed by accident. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  /** One above Redis's 6379, so that Spillway and a redis-server can run side by side. */
  public static final int DEFAULT_PORT = 6380;
  /** Seed 000: "MAX_CLIENTS = 1000". */
  public static final int DEFAULT_MAX_CLIENTS = 1000;
  /**
   * The socket send buffer asked of the kernel for each client; 0 leaves the kernel's autotuning on (bounded by
   * tcp_wmem's maximum). See {@link KernelShare} and the README's "kernel share" section for the trade-off.
   */
  public static final ByteSize DEFAULT_SOCKET_SEND_BUFFER = ByteSize.ofBytes(0);
  /** Unsent bytes the kernel accepts per client before it stops taking more (TCP_NOTSENT_LOWAT, epoll only). */
  public static final ByteSize DEFAULT_TCP_NOTSENT_LOWAT = ByteSize.ofKibibytes(16);
  /** Redis's own limit on one argument is 512 MiB; a pub/sub server needs far less. */
  public static final ByteSize DEFAULT_MAX_BULK_LENGTH = ByteSize.ofKibibytes(512);
  /** Arguments in one command (SUBSCRIBE with many channels is the largest legitimate use). */
  public static final int DEFAULT_MAX_ARGUMENTS = 16_384;
  /** Redis's PROTO_INLINE_MAX_SIZE. */
  public static final ByteSize DEFAULT_MAX_INLINE_LENGTH = ByteSize.ofKibibytes(64);
  /** The sum of one command's arguments. */
  public static final ByteSize DEFAULT_MAX_REQUEST_SIZE = ByteSize.ofMebibytes(1);
  /** A published payload; kept well under the subscriber hard limit so that one message can never cut a reader. */
  public static final ByteSize DEFAULT_MAX_MESSAGE_SIZE = ByteSize.ofKibibytes(32);
  /** A channel name or pattern. */
  public static final ByteSize DEFAULT_MAX_CHANNEL_LENGTH = ByteSize.ofKibibytes(1);
  /** Channels plus patterns one client may hold. */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT = 10_000;
  /** How often the time-based outbox rules are evaluated: the tolerance of a timed cut. */
  public static final Duration DEFAULT_POLICY_TICK = Duration.ofMillis(100);
  /**
   * Heap for subscription state: 64 MiB, a quarter of the launcher's 256 MiB heap (the seed's 1 000 clients x 64 KiB
   * of names each, with room to spare).
   */
  public static final ByteSize DEFAULT_MAX_SUBSCRIPTION_MEMORY = ByteSize.ofMebibytes(64);
  /** Output of all clients together: the seed's 1 000 clients x 64 KiB = 64 MiB. */
  public static final ByteSize DEFAULT_MAX_OUTPUT_MEMORY = ByteSize.ofMebibytes(64);
  /** Pattern bytes per client: 64 KiB (64 patterns of 1 KiB, or thousands of short ones). */
  public static final ByteSize DEFAULT_MAX_PATTERN_BYTES_PER_CLIENT = ByteSize.ofKibibytes(64);
  /**
   * Byte comparisons the patterns held may cost one publish, in all: 2 000 000, about 2 ms of one core (a
   * million patterns indexed by their literal part, or a few hundred such as {@code *error*}).
   */
  public static final int DEFAULT_MAX_PATTERN_MATCH_COST = 2_000_000;
  /** How long a shutdown waits for queued output to reach clients that keep reading: 5 s. */
  public static final Duration DEFAULT_SHUTDOWN_DRAIN = Duration.ofSeconds(5);

  /** Idle time before the first keepalive probe; dead peers are found by TCP keepalive, never by idleness. */
  public static final Duration DEFAULT_TCP_KEEPALIVE = Duration.ofSeconds(60);

  private final String bind;
  private final int port;
  private final String requirePass;
  private final String aclUsers;
  private final int maxClients;
  private final int ioThreads;
  private final ByteSize socketSendBuffer;
  private final ByteSize tcpNotsentLowat;
  private final Duration tcpKeepalive;
  private final OutboxLimits subscriberLimits;
  private final OutboxLimits normalLimits;
  private final ByteSize maxBulkLength;
  private final int maxArguments;
  private final ByteSize maxInlineLength;
  private final ByteSize maxRequestSize;
  private final ByteSize maxMessageSize;
  private final ByteSize maxChannelLength;
  private final int maxSubscriptionsPerClient;
  private final Duration policyTick;
  private final BacklogPolicy backlogPolicy;
  private final Duration shutdownDrain;
  private final ByteSize maxSubscriptionMemory;
  private final ByteSize maxOutputMemory;
  private final ByteSize maxPatternBytesPerClient;
  private final int maxPatternMatchCost;
  private final List<ChannelPolicy> channelPolicies;
  private final HttpConfig http;
  private final TlsConfig tls;
  private final BackplaneConfig backplane;
  private final AdmissionSettings admission;

  private ServerConfig(Builder b) {
    this.bind = b.bind;
    this.port = b.port;
    this.requirePass = b.requirePass;
    this.aclUsers = b.aclUsers;
    this.maxClients = b.maxClients;
    this.ioThreads = b.ioThreads;
    this.socketSendBuffer = b.socketSendBuffer;
    this.tcpNotsentLowat = b.tcpNotsentLowat;
    this.tcpKeepalive = b.tcpKeepalive;
    this.subscriberLimits = b.subscriberLimits;
    this.normalLimits = b.normalLimits;
    this.maxBulkLength = b.maxBulkLength;
    this.maxArguments = b.maxArguments;
    this.maxInlineLength = b.maxInlineLength;
    this.maxRequestSize = b.maxRequestSize;
    this.maxMessageSize = b.maxMessageSize;
    this.maxChannelLength = b.maxChannelLength;
    this.maxSubscriptionsPerClient = b.maxSubscriptionsPerClient;
    this.policyTick = b.policyTick;
    this.backlogPolicy = b.backlogPolicy;
    this.shutdownDrain = b.shutdownDrain;
    this.maxSubscriptionMemory = b.maxSubscriptionMemory;
    this.maxOutputMemory = b.maxOutputMemory;
    this.maxPatternBytesPerClient = b.maxPatternBytesPerClient;
    this.maxPatternMatchCost = b.maxPatternMatchCost;
    this.channelPolicies = List.copyOf(b.channelPolicies);
    this.http = b.http;
    this.tls = b.tls;
    this.backplane = b.backplane;
    this.admission = b.admission;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults, as documented in the README. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bind = bind;
    b.port = port;
    b.requirePass = requirePass;
    b.aclUsers = aclUsers;
    b.maxClients = maxClients;
    b.ioThreads = ioThreads;
    b.socketSendBuffer = socketSendBuffer;
    b.tcpNotsentLowat = tcpNotsentLowat;
    b.tcpKeepalive = tcpKeepalive;
    b.subscriberLimits = subscriberLimits;
    b.normalLimits = normalLimits;
    b.maxBulkLength = maxBulkLength;
    b.maxArguments = maxArguments;
    b.maxInlineLength = maxInlineLength;
    b.maxRequestSize = maxRequestSize;
    b.maxMessageSize = maxMessageSize;
    b.maxChannelLength = maxChannelLength;
    b.maxSubscriptionsPerClient = maxSubscriptionsPerClient;
    b.policyTick = policyTick;
    b.deliveryBacklogHigh = backlogPolicy.highMark();
    b.deliveryBacklogLow = backlogPolicy.lowMark();
    b.channelPolicies = channelPolicies;
    b.shutdownDrain = shutdownDrain;
    b.maxSubscriptionMemory = maxSubscriptionMemory;
    b.maxOutputMemory = maxOutputMemory;
    b.maxPatternBytesPerClient = maxPatternBytesPerClient;
    b.maxPatternMatchCost = maxPatternMatchCost;
    b.http = http;
    b.tls = tls;
    b.backplane = backplane;
    b.admission = admission;
    return b;
  }

  public String bind() {
    return bind;
  }

  /** The RESP port; 0 asks the kernel for a free one (tests). */
  public int port() {
    return port;
  }

  /** The password {@code AUTH} must present, if any. */
  public Optional<String> requirePass() {
    return Optional.ofNullable(requirePass);
  }

  /**
   * The ACL users besides {@code default}, as written ({@code "alice >pw sub&news:*; bob >pw2 allchannels"}); empty
   * when there are none. Parsed by {@link io.spillway.server.auth.AclUser#parseAll}.
   */
  public String aclUsers() {
    return aclUsers;
  }

  public int maxClients() {
    return maxClients;
  }

  /** Netty event loops serving clients. */
  public int ioThreads() {
    return ioThreads;
  }

  /** SO_SNDBUF for each client socket; zero leaves the kernel's autotuning on. */
  public ByteSize socketSendBuffer() {
    return socketSendBuffer;
  }

  /** TCP_NOTSENT_LOWAT for each client socket (epoll only); zero turns it off. */
  public ByteSize tcpNotsentLowat() {
    return tcpNotsentLowat;
  }

  public Duration tcpKeepalive() {
    return tcpKeepalive;
  }

  /** Limits for clients with at least one channel or pattern subscription. */
  public OutboxLimits subscriberLimits() {
    return subscriberLimits;
  }

  /** Limits for every other client. */
  public OutboxLimits normalLimits() {
    return normalLimits;
  }

  public ByteSize maxBulkLength() {
    return maxBulkLength;
  }

  public int maxArguments() {
    return maxArguments;
  }

  public ByteSize maxInlineLength() {
    return maxInlineLength;
  }

  public ByteSize maxRequestSize() {
    return maxRequestSize;
  }

  public ByteSize maxMessageSize() {
    return maxMessageSize;
  }

  public ByteSize maxChannelLength() {
    return maxChannelLength;
  }

  public int maxSubscriptionsPerClient() {
    return maxSubscriptionsPerClient;
  }

  public Duration policyTick() {
    return policyTick;
  }

  /** Delivery backlog of one event loop at which publishers are paused (lossless pushback). */
  public ByteSize deliveryBacklogHigh() {
    return backlogPolicy.highMark();
  }

  /** Delivery backlog at which paused publishers resume. */
  public ByteSize deliveryBacklogLow() {
    return backlogPolicy.lowMark();
  }

  /**
   * The overflow strategies of channels, in order: the first whose pattern matches a channel applies; a channel
   * that none matches gets {@link ChannelPolicy#DEFAULT} ({@code disconnect}).
   */
  public List<ChannelPolicy> channelPolicies() {
    return channelPolicies;
  }

  /**
   * The pattern bytes one client may hold (the sum of its patterns' lengths): the bound on what its patterns cost
   * every publish, since matching is linear in pattern length.
   */
  public ByteSize maxPatternBytesPerClient() {
    return maxPatternBytesPerClient;
  }

  /** Byte comparisons all patterns held may cost one publish (max-pattern-match-cost). */
  public int maxPatternMatchCost() {
    return maxPatternMatchCost;
  }

  /** Heap all clients' subscriptions (channels and patterns) may take, counted per subscription. */
  public ByteSize maxSubscriptionMemory() {
    return maxSubscriptionMemory;
  }

  /** The server-wide output budget: what every outbox together may hold (default 64 MiB, seed 1 000 x 64 KiB). */
  public ByteSize maxOutputMemory() {
    return maxOutputMemory;
  }

  /** How long a shutdown waits for clients that keep reading to receive everything queued for them. */
  public Duration shutdownDrain() {
    return shutdownDrain;
  }

  /** The pushback decision over the two delivery-backlog marks. */
  public BacklogPolicy backlogPolicy() {
    return backlogPolicy;
  }

  /** The HTTP port: where it listens and the limits, deadlines and rate limit of its requests. */
  public HttpConfig http() {
    return http;
  }

  /** TLS for the RESP TLS port and the HTTP port. */
  public TlsConfig tls() {
    return tls;
  }

  /** The backplane shared with other servers; off by default. */
  public BackplaneConfig backplane() {
    return backplane;
  }

  /** The admission queue in front of the HTTP API's workers. */
  public AdmissionSettings admission() {
    return admission;
  }

  @Override
  public String toString() {
    return "bind=" + bind + " port=" + port + " max-clients=" + maxClients + " io-threads="
        + ioThreads
        + " socket-send-buffer=" + socketSendBuffer + " tcp-notsent-lowat=" + tcpNotsentLowat
        + " subscriber={" + subscriberLimits + "} normal={"
        + normalLimits + "}";
  }

  /**
   * The default number of event loops on a machine with {@code cpus} processors: one fewer than the processors, at
   * least one. The spare core is for what is not an event loop but needs CPU under load: the kernel's network work,
   * the HTTP workers, the JVM's garbage collector and compiler, and on a shared machine the clients themselves.
   * Measured on 2 cores with the load generator beside the server (scripts/bench-vs-redis.sh, seed limits, one
   * publisher pipelining 64): one loop against two delivered 1.0-1.1x the messages/s in every case, with p99 at 100
   * subscribers 2.4 ms against 5.8 ms at 128 B and 5.6 against 10.2 ms at 1 KiB; with two loops, three busy threads
   * on two cores, 11 of 1000 subscribers at 1 KiB were cut when the load generator was descheduled, with one none.
   * On a machine that serves remote clients only, io-threads = number of CPUs may deliver more.
   */
  static int defaultIoThreads(int cpus) {
    return Math.max(1, cpus - 1);
  }

  /** Builds a {@link ServerConfig}; setters take values as they are, {@link #build()} validates them all. */
  public static final class Builder {
    private String bind = DEFAULT_BIND;
    private int port = DEFAULT_PORT;
    private String requirePass;
    private String aclUsers = "";
    private int maxClients = DEFAULT_MAX_CLIENTS;
    private int ioThreads = defaultIoThreads(Runtime.getRuntime().availableProcessors());
    private ByteSize socketSendBuffer = DEFAULT_SOCKET_SEND_BUFFER;
    private ByteSize tcpNotsentLowat = DEFAULT_TCP_NOTSENT_LOWAT;
    private Duration tcpKeepalive = DEFAULT_TCP_KEEPALIVE;
    private OutboxLimits subscriberLimits = OutboxLimits.DEFAULT;
    private OutboxLimits normalLimits = OutboxLimits.DEFAULT;
    private ByteSize maxBulkLength = DEFAULT_MAX_BULK_LENGTH;
    private int maxArguments = DEFAULT_MAX_ARGUMENTS;
    private ByteSize maxInlineLength = DEFAULT_MAX_INLINE_LENGTH;
    private ByteSize maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
    private ByteSize maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private ByteSize maxChannelLength = DEFAULT_MAX_CHANNEL_LENGTH;
    private int maxSubscriptionsPerClient = DEFAULT_MAX_SUBSCRIPTIONS_PER_CLIENT;
    private Duration policyTick = DEFAULT_POLICY_TICK;
    private ByteSize deliveryBacklogHigh = BacklogPolicy.DEFAULT_HIGH_MARK;
    private ByteSize deliveryBacklogLow = BacklogPolicy.DEFAULT_LOW_MARK;
    private BacklogPolicy backlogPolicy;
    private List<ChannelPolicy> channelPolicies = List.of();
    private Duration shutdownDrain = DEFAULT_SHUTDOWN_DRAIN;
    private ByteSize maxSubscriptionMemory = DEFAULT_MAX_SUBSCRIPTION_MEMORY;
    private ByteSize maxOutputMemory = DEFAULT_MAX_OUTPUT_MEMORY;
    private ByteSize maxPatternBytesPerClient = DEFAULT_MAX_PATTERN_BYTES_PER_CLIENT;
    private int maxPatternMatchCost = DEFAULT_MAX_PATTERN_MATCH_COST;
    private HttpConfig http = HttpConfig.DEFAULT;
    private TlsConfig tls = TlsConfig.DEFAULT;
    private BackplaneConfig backplane = BackplaneConfig.DEFAULT;
    private AdmissionSettings admission = AdmissionSettings.DEFAULT;

    private Builder() {}

    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind, "bind");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** {@code null} or empty turns authentication off. */
    public Builder requirePass(String requirePass) {
      this.requirePass = requirePass == null || requirePass.isEmpty() ? null : requirePass;
      return this;
    }

    /** ACL users, {@code ;}-separated; {@code null} or empty: none. */
    public Builder aclUsers(String aclUsers) {
      this.aclUsers = aclUsers == null ? "" : aclUsers.trim();
      return this;
    }

    public Builder maxClients(int maxClients) {
      this.maxClients = maxClients;
      return this;
    }

    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    public Builder socketSendBuffer(ByteSize socketSendBuffer) {
      this.socketSendBuffer = Objects.requireNonNull(socketSendBuffer, "socketSendBuffer");
      return this;
    }

    public Builder tcpNotsentLowat(ByteSize tcpNotsentLowat) {
      this.tcpNotsentLowat = Objects.requireNonNull(tcpNotsentLowat, "tcpNotsentLowat");
      return this;
    }

    public Builder tcpKeepalive(Duration tcpKeepalive) {
      this.tcpKeepalive = Objects.requireNonNull(tcpKeepalive, "tcpKeepalive");
      return this;
    }

    public Builder subscriberLimits(OutboxLimits limits) {
      this.subscriberLimits = Objects.requireNonNull(limits, "subscriberLimits");
      return this;
    }

    public Builder normalLimits(OutboxLimits limits) {
      this.normalLimits = Objects.requireNonNull(limits, "normalLimits");
      return this;
    }

    public Builder maxBulkLength(ByteSize v) {
      this.maxBulkLength = Objects.requireNonNull(v, "maxBulkLength");
      return this;
    }

    public Builder maxArguments(int v) {
      this.maxArguments = v;
      return this;
    }

    public Builder maxInlineLength(ByteSize v) {
      this.maxInlineLength = Objects.requireNonNull(v, "maxInlineLength");
      return this;
    }

    public Builder maxRequestSize(ByteSize v) {
      this.maxRequestSize = Objects.requireNonNull(v, "maxRequestSize");
      return this;
    }

    public Builder maxMessageSize(ByteSize v) {
      this.maxMessageSize = Objects.requireNonNull(v, "maxMessageSize");
      return this;
    }

    public Builder maxChannelLength(ByteSize v) {
      this.maxChannelLength = Objects.requireNonNull(v, "maxChannelLength");
      return this;
    }

    public Builder maxSubscriptionsPerClient(int v) {
      this.maxSubscriptionsPerClient = v;
      return this;
    }

    public Builder maxPatternBytesPerClient(ByteSize v) {
      this.maxPatternBytesPerClient = Objects.requireNonNull(v, "maxPatternBytesPerClient");
      return this;
    }

    public Builder maxOutputMemory(ByteSize v) {
      this.maxOutputMemory = Objects.requireNonNull(v, "maxOutputMemory");
      return this;
    }

    public Builder maxPatternMatchCost(int v) {
      this.maxPatternMatchCost = v;
      return this;
    }

    public Builder maxSubscriptionMemory(ByteSize v) {
      this.maxSubscriptionMemory = Objects.requireNonNull(v, "maxSubscriptionMemory");
      return this;
    }

    public Builder shutdownDrain(Duration v) {
      this.shutdownDrain = Objects.requireNonNull(v, "shutdownDrain");
      return this;
    }

    /** The channel policies, in the order they are matched. */
    public Builder channelPolicies(List<ChannelPolicy> v) {
      this.channelPolicies = List.copyOf(v);
      return this;
    }

    public Builder deliveryBacklogHigh(ByteSize v) {
      this.deliveryBacklogHigh = Objects.requireNonNull(v, "deliveryBacklogHigh");
      return this;
    }

    public Builder deliveryBacklogLow(ByteSize v) {
      this.deliveryBacklogLow = Objects.requireNonNull(v, "deliveryBacklogLow");
      return this;
    }

    public Builder policyTick(Duration v) {
      this.policyTick = Objects.requireNonNull(v, "policyTick");
      return this;
    }

    public Builder http(HttpConfig v) {
      this.http = Objects.requireNonNull(v, "http");
      return this;
    }

    public Builder tls(TlsConfig v) {
      this.tls = Objects.requireNonNull(v, "tls");
      return this;
    }

    public Builder backplane(BackplaneConfig v) {
      this.backplane = Objects.requireNonNull(v, "backplane");
      return this;
    }

    public Builder admission(AdmissionSettings v) {
      this.admission = Objects.requireNonNull(v, "admission");
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws IllegalArgumentException naming the setting, the value and the allowed range
     */
    public ServerConfig build() {
      range("port", port, 0, 65_535);
      io.spillway.server.auth.AclUser.parseAll(aclUsers);
      range("max-clients", maxClients, 1, 1_000_000);
      range("io-threads", ioThreads, 1, 1024);
      range(
          "socket-send-buffer",
          socketSendBuffer.toBytes(),
          0,
          ByteSize.ofMebibytes(64).toBytes());
      if (socketSendBuffer.toBytes() > 0 && socketSendBuffer.toBytes() < 2048) {
        throw new IllegalArgumentException("socket-send-buffer " + socketSendBuffer.toBytes()
            + " is out of range: 0 (kernel autotuning) or [2048, 67108864]");
      }
      range(
          "tcp-notsent-lowat",
          tcpNotsentLowat.toBytes(),
          0,
          ByteSize.ofMebibytes(64).toBytes());
      if (tcpKeepalive.isNegative() || tcpKeepalive.toSeconds() > 86_400) {
        throw new IllegalArgumentException(
            "tcp-keepalive " + tcpKeepalive + " is out of range [0s (off), 86400s]");
      }
      range(
          "max-bulk-length",
          maxBulkLength.toBytes(),
          1,
          ByteSize.ofMebibytes(512).toBytes());
      range("max-arguments", maxArguments, 1, 1_048_576);
      range(
          "max-inline-length",
          maxInlineLength.toBytes(),
          16,
          ByteSize.ofMebibytes(1).toBytes());
      range(
          "max-request-size",
          maxRequestSize.toBytes(),
          16,
          ByteSize.ofMebibytes(1024).toBytes());
      range(
          "max-channel-length",
          maxChannelLength.toBytes(),
          1,
          ByteSize.ofMebibytes(1).toBytes());
      range("max-subscriptions-per-client", maxSubscriptionsPerClient, 1, 10_000_000);
      long encodedMax = maxMessageSize.toBytes() + 2 * maxChannelLength.toBytes() + 64;
      long smallestHard = Math.min(
          subscriberLimits.hardLimit().toBytes(), normalLimits.hardLimit().toBytes());
      if (maxMessageSize.toBytes() < 1 || encodedMax > smallestHard) {
        throw new IllegalArgumentException("max-message-size " + maxMessageSize.toBytes()
            + " is out of range [1, "
            + Math.max(1, smallestHard - 2 * maxChannelLength.toBytes() - 64)
            + "]: a message with its channel and pattern names must fit in the smallest hard limit ("
            + smallestHard + " bytes), or every subscriber would be cut by it");
      }
      range("max-pattern-bytes-per-client", maxPatternBytesPerClient.toBytes(), 1, 1L << 30);
      range("max-subscription-memory", maxSubscriptionMemory.toBytes(), 1024 * 1024, 1L << 40);
      range("max-output-memory", maxOutputMemory.toBytes(), 64 * 1024, 1L << 40);
      range("max-pattern-match-cost", maxPatternMatchCost, 1, 1_000_000_000);
      if (shutdownDrain.isNegative() || shutdownDrain.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "shutdown-drain " + shutdownDrain + " is out of range [0s, 60s]");
      }
      try {
        backlogPolicy = BacklogPolicy.builder()
            .highMark(deliveryBacklogHigh)
            .lowMark(deliveryBacklogLow)
            .build();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "delivery-backlog-high " + deliveryBacklogHigh + " / delivery-backlog-low "
                + deliveryBacklogLow + ": " + e.getMessage(),
            e);
      }
      if (policyTick.toMillis() < 1 || policyTick.toMillis() > 1000) {
        throw new IllegalArgumentException(
            "policy-tick " + policyTick + " is out of range [1ms, 1000ms]");
      }
      if (http.enabled() && http.port() != 0 && http.port() == port) {
        throw new IllegalArgumentException(
            "http-port " + http.port() + " is the RESP port too: give it another");
      }
      return new ServerConfig(this);
    }

    private static void range(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " " + value + " is out of range [" + min + ", " + max + "]");
      }
    }
  }
}
