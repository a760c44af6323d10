package io.spillway.server.config;

import static io.spillway.server.config.SettingType.BYTE_SIZE;
import static io.spillway.server.config.SettingType.CHANNEL_POLICIES;
import static io.spillway.server.config.SettingType.DURATION;
import static io.spillway.server.config.SettingType.INTEGER;
import static io.spillway.server.config.SettingType.STRING;

import io.spillway.core.admission.AdmissionSettings;
import io.spillway.core.config.Spelling;
import io.spillway.core.outbox.OutboxLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of {@link ServerConfig}, in one table: its key in a config file and as a {@code --flag}, what it
 * means, its type, its default, and which builder field it sets. The config file loader, the {@code spillway serve}
 * options and the README's settings table are all generated from this table.
 */
public final class Settings {

  /*
   * Design note.
   *
   * One list, so that a setting cannot exist as a flag and be missing from the file format, the help or the README.
   * SettingsTest sets every key and checks that every accessor of ServerConfig moved, so a field added to
   * ServerConfig without a row here fails the build.
   *
   * Values are applied to a Draft rather than to ServerConfig.Builder directly: the outbox keys each set one field
   * of an OutboxLimits, which the builder only takes whole, and the draft holds one OutboxLimits.Builder per client
   * class until build(). Nothing is validated while applying except parsing; ranges are checked once, by the
   * builders, so that the order of keys never matters (raising a hard limit and a message size together works in
   * either order). OutboxLimits reports "soft limit 70000 bytes is out of range ..."; buildLimits() puts the key in
   * front of that ("subscriber-soft-limit 70000 bytes ..."), falling back to a plain prefix if the wording changes.
   *
   * To add settings (the HTTP port, say): add the field to ServerConfig, add rows here, and if the rows set a nested
   * value object, give Draft a builder for it as it has for the two OutboxLimits.
   */

  private static final List<Setting<?>> ALL = table(ServerConfig.defaults());
  private static final Map<String, Setting<?>> BY_KEY = index(ALL);

  private Settings() {}

  private static List<Setting<?>> table(ServerConfig d) {
    List<Setting<?>> rows = new ArrayList<>();
    rows.add(Setting.of(
        "bind",
        STRING,
        "Address the RESP port listens on.",
        ServerConfig::bind,
        (x, v) -> x.config.bind(v),
        d));
    rows.add(Setting.of(
        "port",
        INTEGER,
        "TCP port for RESP clients; 0 picks a free one.",
        ServerConfig::port,
        (x, v) -> x.config.port(v),
        d));
    rows.add(Setting.of(
            "requirepass",
            STRING,
            "Password clients must give with AUTH; empty turns authentication off.",
            c -> c.requirePass().orElse(""),
            (x, v) -> x.config.requirePass(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
            "acl-users",
            STRING,
            "ACL users, ';'-separated: 'name >password' then channel patterns it may use: '&p' (publish and subscribe),"
                + " 'pub&p', 'sub&p', 'allchannels'.",
            ServerConfig::aclUsers,
            (x, v) -> x.config.aclUsers(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
        "max-clients",
        INTEGER,
        "Connected clients beyond which new connections are refused.",
        ServerConfig::maxClients,
        (x, v) -> x.config.maxClients(v),
        d));
    rows.add(Setting.of(
            "io-threads",
            INTEGER,
            "Event-loop threads serving clients.",
            ServerConfig::ioThreads,
            (x, v) -> x.config.ioThreads(v),
            d)
        .documentedDefault("number of CPUs - 1, at least 1"));
    rows.add(Setting.of(
        "socket-send-buffer",
        BYTE_SIZE,
        "SO_SNDBUF asked for each client socket; 0 leaves the kernel's autotuning on.",
        ServerConfig::socketSendBuffer,
        (x, v) -> x.config.socketSendBuffer(v),
        d));
    rows.add(Setting.of(
        "tcp-notsent-lowat",
        BYTE_SIZE,
        "TCP_NOTSENT_LOWAT for each client socket (epoll only): unsent bytes the kernel takes; 0 turns it off.",
        ServerConfig::tcpNotsentLowat,
        (x, v) -> x.config.tcpNotsentLowat(v),
        d));
    rows.add(Setting.of(
        "tcp-keepalive",
        DURATION,
        "Idle time before TCP keepalive probes start; 0 turns them off.",
        ServerConfig::tcpKeepalive,
        (x, v) -> x.config.tcpKeepalive(v),
        d));
    outboxRows(
        rows,
        "subscriber",
        "a client with at least one subscription",
        ServerConfig::subscriberLimits,
        x -> x.subscriber,
        d);
    outboxRows(rows, "normal", "any other client", ServerConfig::normalLimits, x -> x.normal, d);
    rows.add(Setting.of(
        "max-bulk-length",
        BYTE_SIZE,
        "Largest single argument of a command.",
        ServerConfig::maxBulkLength,
        (x, v) -> x.config.maxBulkLength(v),
        d));
    rows.add(Setting.of(
        "max-arguments",
        INTEGER,
        "Most arguments in one command.",
        ServerConfig::maxArguments,
        (x, v) -> x.config.maxArguments(v),
        d));
    rows.add(Setting.of(
        "max-inline-length",
        BYTE_SIZE,
        "Longest inline (non-RESP) command line.",
        ServerConfig::maxInlineLength,
        (x, v) -> x.config.maxInlineLength(v),
        d));
    rows.add(Setting.of(
        "max-request-size",
        BYTE_SIZE,
        "Largest total size of one command's arguments.",
        ServerConfig::maxRequestSize,
        (x, v) -> x.config.maxRequestSize(v),
        d));
    rows.add(Setting.of(
        "max-message-size",
        BYTE_SIZE,
        "Largest published payload; with its channel and pattern names it must fit in the smaller hard limit.",
        ServerConfig::maxMessageSize,
        (x, v) -> x.config.maxMessageSize(v),
        d));
    rows.add(Setting.of(
        "max-channel-length",
        BYTE_SIZE,
        "Longest channel name or pattern.",
        ServerConfig::maxChannelLength,
        (x, v) -> x.config.maxChannelLength(v),
        d));
    rows.add(Setting.of(
        "max-subscriptions-per-client",
        INTEGER,
        "Channels plus patterns one client may hold.",
        ServerConfig::maxSubscriptionsPerClient,
        (x, v) -> x.config.maxSubscriptionsPerClient(v),
        d));
    rows.add(Setting.of(
            "channel-policies",
            CHANNEL_POLICIES,
            "Overflow strategy per channel: PATTERN=STRATEGY entries separated by ';' (a list in a config file), first"
                + " match wins; strategies disconnect, drop-oldest, drop-newest, conflate, block (option max-block=DURATION, default 5s).",
            ServerConfig::channelPolicies,
            (x, v) -> x.config.channelPolicies(v),
            d)
        .documentedDefault("none (disconnect)"));
    rows.add(Setting.of(
        "max-pattern-bytes-per-client",
        BYTE_SIZE,
        "Sum of the lengths of the patterns one client may hold (what its patterns cost each publish); more:"
            + " PSUBSCRIBE is refused.",
        ServerConfig::maxPatternBytesPerClient,
        (x, v) -> x.config.maxPatternBytesPerClient(v),
        d));
    rows.add(Setting.of(
        "max-subscription-memory",
        BYTE_SIZE,
        "Heap all subscriptions together may take (about 3 x name length + 256 bytes each); over it SUBSCRIBE and"
            + " PSUBSCRIBE are refused.",
        ServerConfig::maxSubscriptionMemory,
        (x, v) -> x.config.maxSubscriptionMemory(v),
        d));
    rows.add(Setting.of(
        "max-output-memory",
        BYTE_SIZE,
        "Output all clients' outboxes together may hold; when it is used up, queued messages of lossy channels are"
            + " dropped first (with gap notices), then the largest consumers are cut (output_budget).",
        ServerConfig::maxOutputMemory,
        (x, v) -> x.config.maxOutputMemory(v),
        d));
    rows.add(Setting.of(
        "max-pattern-match-cost",
        INTEGER,
        "Byte comparisons the distinct patterns held, together, may cost one publish (a pattern costs 1, plus what"
            + " is matched beyond the literal start or end it is indexed by: max-channel-length per byte searched for"
            + " between two stars); more: PSUBSCRIBE is refused.",
        ServerConfig::maxPatternMatchCost,
        (x, v) -> x.config.maxPatternMatchCost(v),
        d));
    rows.add(Setting.of(
        "shutdown-drain",
        DURATION,
        "On SIGTERM: how long reading stops and queued output drains to clients that keep reading before they are"
            + " closed (WebSocket clients get close 1001).",
        ServerConfig::shutdownDrain,
        (x, v) -> x.config.shutdownDrain(v),
        d));
    rows.add(Setting.of(
        "delivery-backlog-high",
        BYTE_SIZE,
        "Messages handed to one event loop and not yet delivered at which their publishers are paused (lossless"
            + " pushback).",
        ServerConfig::deliveryBacklogHigh,
        (x, v) -> x.config.deliveryBacklogHigh(v),
        d));
    rows.add(Setting.of(
        "delivery-backlog-low",
        BYTE_SIZE,
        "Backlog at which paused publishers resume; below delivery-backlog-high.",
        ServerConfig::deliveryBacklogLow,
        (x, v) -> x.config.deliveryBacklogLow(v),
        d));
    rows.add(Setting.of(
        "policy-tick",
        DURATION,
        "How often the time-based outbox rules are evaluated: the tolerance of a timed disconnect.",
        ServerConfig::policyTick,
        (x, v) -> x.config.policyTick(v),
        d));
    HttpSettings.rows(rows, d);
    TlsSettings.rows(rows, d);
    BackplaneSettings.rows(rows, d);
    return List.copyOf(rows);
  }

  private static void outboxRows(
      List<Setting<?>> rows,
      String prefix,
      String who,
      Function<ServerConfig, OutboxLimits> limits,
      Function<Draft, OutboxLimits.Builder> builder,
      ServerConfig d) {
    rows.add(Setting.of(
        prefix + "-hard-limit",
        BYTE_SIZE,
        "Output queued for " + who + " beyond which it is disconnected at once.",
        c -> limits.apply(c).hardLimit(),
        (x, v) -> builder.apply(x).hardLimit(v),
        d));
    rows.add(Setting.of(
        prefix + "-soft-limit",
        BYTE_SIZE,
        "Output queued for " + who + " that it may stay at or above only for the soft window.",
        c -> limits.apply(c).softLimit(),
        (x, v) -> builder.apply(x).softLimit(v),
        d));
    rows.add(Setting.of(
        prefix + "-soft-window",
        DURATION,
        "How long " + who + " may stay at or above the soft limit before it is disconnected.",
        c -> limits.apply(c).softWindow(),
        (x, v) -> builder.apply(x).softWindow(v),
        d));
    rows.add(Setting.of(
        prefix + "-write-timeout",
        DURATION,
        "How long output queued for " + who
            + " may wait without the socket taking any before it is disconnected.",
        c -> limits.apply(c).writeTimeout(),
        (x, v) -> builder.apply(x).writeTimeout(v),
        d));
  }

  private static Map<String, Setting<?>> index(List<Setting<?>> rows) {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    for (Setting<?> row : rows) {
      if (byKey.put(row.key(), row) != null) {
        throw new AssertionError("two settings named " + row.key());
      }
    }
    return byKey;
  }

  /** Every setting, in the order help texts and the README list them. */
  public static List<Setting<?>> all() {
    return ALL;
  }

  /** The setting with this exact key. */
  public static Optional<Setting<?>> find(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /**
   * The defaults with {@code values} (key to value as written in a file or on the command line) applied.
   *
   * @throws ConfigException naming the key, for an unknown key, a value that does not parse or a value out of range
   */
  public static ServerConfig toConfig(Map<String, String> values) {
    Draft draft = new Draft();
    values.forEach((key, text) -> find(key)
        .orElseThrow(() -> new ConfigException("unknown setting '" + key + "'" + didYouMean(key)))
        .apply(draft, text));
    return draft.build();
  }

  /** The keys that {@code key} may be a misspelling of: close in spelling, or containing it; possibly none. */
  public static List<String> nearMatches(String key) {
    String lower = key.toLowerCase(Locale.ROOT).replace('_', '-');
    List<String> near = new ArrayList<>();
    for (String candidate : BY_KEY.keySet()) {
      if (Spelling.distance(candidate, lower) <= 2
          || (lower.length() >= 4 && candidate.contains(lower))) {
        near.add(candidate);
      }
    }
    return near;
  }

  /** {@code " (did you mean 'port'?)"} when some keys are close to {@code key}, else an empty string. */
  static String didYouMean(String key) {
    List<String> near = nearMatches(key);
    return near.isEmpty() ? "" : " (did you mean '" + String.join("' or '", near) + "'?)";
  }

  /** The README's settings table, in GitHub Markdown: key, default, meaning. */
  public static String markdownTable() {
    StringBuilder table =
        new StringBuilder("| Setting | Default | Meaning |\n| --- | --- | --- |\n");
    for (Setting<?> s : ALL) {
      table
          .append("| `")
          .append(s.key())
          .append("` | ")
          .append(s.defaultText())
          .append(" | ")
          .append(s.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return table.toString();
  }

  /** Values being applied: a {@link ServerConfig.Builder} and the outbox limits it will be given whole. */
  static final class Draft {
    final ServerConfig.Builder config = ServerConfig.builder();
    final OutboxLimits.Builder subscriber = OutboxLimits.DEFAULT.toBuilder();
    final OutboxLimits.Builder normal = OutboxLimits.DEFAULT.toBuilder();
    final HttpConfig.Builder http = HttpConfig.DEFAULT.toBuilder();
    final AdmissionSettings.Builder admission = AdmissionSettings.DEFAULT.toBuilder();
    final TlsConfig.Builder tls = TlsConfig.DEFAULT.toBuilder();
    final BackplaneConfig.Builder backplane = BackplaneConfig.DEFAULT.toBuilder();

    ServerConfig build() {
      config.subscriberLimits(buildLimits("subscriber-", subscriber));
      config.normalLimits(buildLimits("normal-", normal));
      try {
        config.http(http.build());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      config.admission(HttpSettings.buildAdmission(admission));
      try {
        config.tls(tls.build());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      try {
        config.backplane(backplane.build());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      try {
        return config.build();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }

    private static OutboxLimits buildLimits(String prefix, OutboxLimits.Builder limits) {
      try {
        return limits.build();
      } catch (IllegalArgumentException e) {
        String message = e.getMessage();
        for (String field : List.of("hard limit", "soft limit", "soft window", "write timeout")) {
          if (message.startsWith(field + " ")) {
            throw new ConfigException(
                prefix + field.replace(' ', '-') + message.substring(field.length()), e);
          }
        }
        throw new ConfigException(prefix + "limits: " + message, e);
      }
    }
  }
}
