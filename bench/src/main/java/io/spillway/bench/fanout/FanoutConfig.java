package io.spillway.bench.fanout;

import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.run.DurationConverter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The settings of a fan-out run. Immutable; build with {@link #builder()}, which starts from the defaults below
 * and rejects, at {@link Builder#build()}, any value outside its range with a message naming the option.
 */
final class FanoutConfig {

  /** One publisher: the reference load. */
  static final int DEFAULT_PUBLISHERS = 1;
  /** 100 subscribers: the reference load. */
  static final int DEFAULT_SUBSCRIBERS = 100;
  /** All subscribers on one channel. */
  static final int DEFAULT_CHANNELS = 1;
  /** 128-byte payloads, header included. */
  static final int DEFAULT_PAYLOAD_BYTES = 128;
  /** Up to 64 un-replied PUBLISHes per publisher. */
  static final int DEFAULT_PIPELINE = 64;
  /** RESP2; 3 sends HELLO 3 first and receives messages as {@code >} pushes. */
  static final int DEFAULT_RESP_VERSION = 2;

  static final int MAX_CONNECTIONS = 100_000;
  static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
  static final int MAX_PIPELINE = 65_536;
  static final long MAX_RATE = 100_000_000L;

  private final int publishers;
  private final int subscribers;
  private final int channels;
  private final int payloadBytes;
  private final int pipeline;
  private final long rate;
  private final int respVersion;
  private final Duration duration;
  private final Duration warmup;
  private final List<InetSocketAddress> spread;

  private FanoutConfig(Builder b) {
    this.publishers = b.publishers;
    this.subscribers = b.subscribers;
    this.channels = b.channels;
    this.payloadBytes = b.payloadBytes;
    this.pipeline = b.pipeline;
    this.rate = b.rate;
    this.respVersion = b.respVersion;
    this.duration = b.duration;
    this.warmup = b.warmup;
    this.spread = List.copyOf(b.spread);
  }

  /**
   * Other servers, joined to the target by a backplane, over which subscribers and publishers are spread round-robin
   * (connection i goes to server i mod (1 + spread)); empty: all on the target. A PUBLISH then counts the receivers
   * of its own server only, so deliveries are expected for every subscriber of the channel, wherever it is.
   */
  List<InetSocketAddress> spread() {
    return spread;
  }

  static Builder builder() {
    return new Builder();
  }

  int publishers() {
    return publishers;
  }

  int subscribers() {
    return subscribers;
  }

  int channels() {
    return channels;
  }

  int payloadBytes() {
    return payloadBytes;
  }

  /** In-flight PUBLISH window per publisher. */
  int pipeline() {
    return pipeline;
  }

  /** Total intended PUBLISHes per second over all publishers, or empty for flat out. */
  OptionalLong rate() {
    return rate > 0 ? OptionalLong.of(rate) : OptionalLong.empty();
  }

  int respVersion() {
    return respVersion;
  }

  Duration duration() {
    return duration;
  }

  Duration warmup() {
    return warmup;
  }

  /** Subscribers on channel {@code c}: subscriber s is on channel s % channels. */
  int subscribersOn(int c) {
    return subscribers / channels + (c < subscribers % channels ? 1 : 0);
  }

  /** The settings as reported. */
  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("publishers", publishers);
    p.put("subscribers", subscribers);
    p.put("channels", channels);
    p.put("payload_bytes", payloadBytes);
    p.put("pipeline", pipeline);
    p.put("rate", rate > 0 ? Long.toString(rate) : "max");
    p.put("resp", respVersion);
    p.put("duration", DurationConverter.format(duration));
    p.put("warmup", DurationConverter.format(warmup));
    if (!spread.isEmpty()) {
      p.put(
          "spread",
          spread.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
    }
    return p;
  }

  /** Collects settings; {@link #build()} checks them. Not thread-safe. */
  static final class Builder {
    private int publishers = DEFAULT_PUBLISHERS;
    private int subscribers = DEFAULT_SUBSCRIBERS;
    private int channels = DEFAULT_CHANNELS;
    private int payloadBytes = DEFAULT_PAYLOAD_BYTES;
    private int pipeline = DEFAULT_PIPELINE;
    private long rate;
    private int respVersion = DEFAULT_RESP_VERSION;
    private Duration duration = Duration.ofSeconds(10);
    private Duration warmup = Duration.ofSeconds(2);
    private List<InetSocketAddress> spread = List.of();

    private Builder() {}

    /** Other servers to spread connections over ({@link FanoutConfig#spread()}). */
    Builder spread(List<InetSocketAddress> servers) {
      this.spread = List.copyOf(servers);
      return this;
    }

    Builder publishers(int n) {
      this.publishers = n;
      return this;
    }

    Builder subscribers(int n) {
      this.subscribers = n;
      return this;
    }

    Builder channels(int n) {
      this.channels = n;
      return this;
    }

    Builder payloadBytes(int n) {
      this.payloadBytes = n;
      return this;
    }

    Builder pipeline(int n) {
      this.pipeline = n;
      return this;
    }

    /** Total PUBLISHes per second; 0 for flat out. */
    Builder rate(long perSecond) {
      this.rate = perSecond;
      return this;
    }

    Builder respVersion(int version) {
      this.respVersion = version;
      return this;
    }

    Builder duration(Duration d) {
      this.duration = d;
      return this;
    }

    Builder warmup(Duration d) {
      this.warmup = d;
      return this;
    }

    /** @throws IllegalArgumentException naming the option, the value and the allowed range */
    FanoutConfig build() {
      check("--publishers", publishers, 1, MAX_CONNECTIONS);
      check("--subscribers", subscribers, 1, MAX_CONNECTIONS);
      check("--channels", channels, 1, MAX_CONNECTIONS);
      if (payloadBytes < PayloadHeader.LENGTH || payloadBytes > MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException("--payload " + payloadBytes + " is outside "
            + PayloadHeader.LENGTH + ".." + MAX_PAYLOAD_BYTES + " (every payload carries a "
            + PayloadHeader.LENGTH + "-byte header)");
      }
      check("--pipeline", pipeline, 1, MAX_PIPELINE);
      check("--rate", rate, 0, MAX_RATE);
      if (respVersion != 2 && respVersion != 3) {
        throw new IllegalArgumentException("--resp " + respVersion + " is not 2 or 3");
      }
      if (duration.toNanos() <= 0 || warmup.isNegative()) {
        throw new IllegalArgumentException("duration must be positive and warm-up not negative");
      }
      return new FanoutConfig(this);
    }

    private static void check(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            option + " " + value + " is outside " + min + ".." + max);
      }
    }
  }
}
