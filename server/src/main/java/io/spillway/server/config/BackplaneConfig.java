package io.spillway.server.config;

import io.spillway.core.config.ByteSize;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The backplane that joins several servers (issue 13): where it is ({@code redis://HOST:PORT} for a standalone Redis,
 * {@code redis-cluster://HOST:PORT[,HOST:PORT…]} for a Redis 7 Cluster with sharded pub/sub), how to log in and
 * whether to speak TLS, the bound of its outbound queue, and the bounds of the reconnect backoff. Off by default: a
 * single server needs no other service. Immutable; {@link Builder#build()} rejects a bad value naming the setting.
 */
public final class BackplaneConfig {

  /** Most bytes of messages waiting to be sent to the backplane or not yet acknowledged by it. */
  public static final ByteSize DEFAULT_OUTBOUND_QUEUE = ByteSize.ofMebibytes(8);
  /** First reconnect delay after the backplane is lost (before jitter). */
  public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(100);
  /** Longest reconnect delay. */
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(5);

  /** The kind of backplane. */
  public enum Kind {
    /** No backplane: this server is alone (the default). */
    OFF,
    /** A standalone Redis: PUBLISH, SUBSCRIBE, PSUBSCRIBE. */
    REDIS,
    /** A Redis 7 Cluster: SPUBLISH, SSUBSCRIBE (sharded pub/sub); patterns are refused. */
    REDIS_CLUSTER
  }

  /** A host and port of the backplane. */
  public record Address(String host, int port) {
    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  private final String uri;
  private final Kind kind;
  private final List<Address> addresses;
  private final String user;
  private final String password;
  private final boolean tls;
  private final String tlsCaCertFile;
  private final ByteSize outboundQueue;
  private final Duration reconnectMin;
  private final Duration reconnectMax;

  private BackplaneConfig(Builder b, Kind kind, List<Address> addresses) {
    this.uri = b.uri;
    this.kind = kind;
    this.addresses = List.copyOf(addresses);
    this.user = b.user;
    this.password = b.password;
    this.tls = b.tls;
    this.tlsCaCertFile = b.tlsCaCertFile;
    this.outboundQueue = b.outboundQueue;
    this.reconnectMin = b.reconnectMin;
    this.reconnectMax = b.reconnectMax;
  }

  /** No backplane. */
  public static final BackplaneConfig DEFAULT = builder().build();

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.uri = uri;
    b.user = user;
    b.password = password;
    b.tls = tls;
    b.tlsCaCertFile = tlsCaCertFile;
    b.outboundQueue = outboundQueue;
    b.reconnectMin = reconnectMin;
    b.reconnectMax = reconnectMax;
    return b;
  }

  /** The backplane as written ({@code redis://…}, {@code redis-cluster://…}); empty when off. */
  public String uri() {
    return uri;
  }

  /** Whether there is a backplane. */
  public boolean enabled() {
    return kind != Kind.OFF;
  }

  public Kind kind() {
    return kind;
  }

  /** The backplane's addresses (one for standalone Redis, the seed nodes of a Cluster); empty when off. */
  public List<Address> addresses() {
    return addresses;
  }

  /** The ACL user to log in as; empty: the default user (a password alone is Redis's requirepass). */
  public String user() {
    return user;
  }

  /** The password to log in with; empty: none. */
  public String password() {
    return password;
  }

  /** Whether to speak TLS to the backplane. */
  public boolean tls() {
    return tls;
  }

  /** CA certificates (PEM) the backplane's certificate is checked against; empty: the JDK's trust store. */
  public String tlsCaCertFile() {
    return tlsCaCertFile;
  }

  /** The outbound queue's bound: messages beyond it are dropped and counted, never queued. */
  public ByteSize outboundQueue() {
    return outboundQueue;
  }

  public Duration reconnectMin() {
    return reconnectMin;
  }

  public Duration reconnectMax() {
    return reconnectMax;
  }

  /** Builds a {@link BackplaneConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String uri = "";
    private String user = "";
    private String password = "";
    private boolean tls;
    private String tlsCaCertFile = "";
    private ByteSize outboundQueue = DEFAULT_OUTBOUND_QUEUE;
    private Duration reconnectMin = DEFAULT_RECONNECT_MIN;
    private Duration reconnectMax = DEFAULT_RECONNECT_MAX;

    private Builder() {}

    public Builder uri(String v) {
      this.uri = v == null ? "" : v.trim();
      return this;
    }

    public Builder user(String v) {
      this.user = v == null ? "" : v;
      return this;
    }

    public Builder password(String v) {
      this.password = v == null ? "" : v;
      return this;
    }

    public Builder tls(boolean v) {
      this.tls = v;
      return this;
    }

    public Builder tlsCaCertFile(String v) {
      this.tlsCaCertFile = v == null ? "" : v.trim();
      return this;
    }

    public Builder outboundQueue(ByteSize v) {
      this.outboundQueue = v;
      return this;
    }

    public Builder reconnectMin(Duration v) {
      this.reconnectMin = v;
      return this;
    }

    public Builder reconnectMax(Duration v) {
      this.reconnectMax = v;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws IllegalArgumentException naming the setting: a backplane that is not {@code redis://HOST:PORT} or
     *     {@code redis-cluster://HOST:PORT[,HOST:PORT…]}, a queue bound or backoff out of range, an unreadable CA file
     */
    public BackplaneConfig build() {
      Kind kind;
      List<Address> addresses = new ArrayList<>();
      if (uri.isEmpty() || uri.equals("off")) {
        kind = Kind.OFF;
        uri = "";
      } else if (uri.startsWith("redis://")) {
        kind = Kind.REDIS;
        addresses.add(address(uri.substring("redis://".length())));
      } else if (uri.startsWith("redis-cluster://")) {
        kind = Kind.REDIS_CLUSTER;
        for (String part : uri.substring("redis-cluster://".length()).split(",", -1)) {
          addresses.add(address(part));
        }
      } else {
        throw bad("is not redis://HOST:PORT or redis-cluster://HOST:PORT[,HOST:PORT...]");
      }
      long queue = outboundQueue.toBytes();
      if (queue < 1024 || queue > (1L << 30)) {
        throw new IllegalArgumentException(
            "backplane-outbound-queue " + queue + " bytes is out of range [1024, 1073741824]");
      }
      if (reconnectMin.toMillis() < 1 || reconnectMin.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "backplane-reconnect-min " + reconnectMin + " is out of range [1ms, 60s]");
      }
      if (reconnectMax.compareTo(reconnectMin) < 0
          || reconnectMax.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("backplane-reconnect-max " + reconnectMax
            + " is out of range [backplane-reconnect-min, 10m]");
      }
      if (!tlsCaCertFile.isEmpty() && !Files.isReadable(Path.of(tlsCaCertFile))) {
        throw new IllegalArgumentException(
            "backplane-tls-ca-cert-file '" + tlsCaCertFile + "' cannot be read");
      }
      return new BackplaneConfig(this, kind, addresses);
    }

    private Address address(String hostPort) {
      URI parsed;
      try {
        parsed = new URI("redis://" + hostPort);
      } catch (java.net.URISyntaxException e) {
        throw bad("has a bad HOST:PORT '" + hostPort + "'");
      }
      if (parsed.getHost() == null
          || parsed.getPort() < 1
          || parsed.getPort() > 65_535
          || parsed.getPath() == null
          || !parsed.getPath().isEmpty()
          || parsed.getUserInfo() != null) {
        throw bad("has a bad HOST:PORT '" + hostPort
            + "' (a port is needed; the password is backplane-password)");
      }
      String host = parsed.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new Address(host, parsed.getPort());
    }

    private IllegalArgumentException bad(String what) {
      return new IllegalArgumentException("backplane '" + uri + "' " + what);
    }
  }
}
