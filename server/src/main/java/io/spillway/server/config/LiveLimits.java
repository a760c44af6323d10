package io.spillway.server.config;

import io.spillway.core.config.ByteSize;
import io.spillway.core.config.DurationParser;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.server.outbox.ClientClass;
import io.spillway.server.outbox.LimitsSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings that may change while the server runs ({@code CONFIG SET}): the outbox limits of each client class
 * and max-clients. Starts from the {@link ServerConfig} the server was started with; every other setting stays as
 * started. Reads are lock-free from any thread (one volatile read); {@link #set} is serialised and all-or-nothing.
 */
public final class LiveLimits implements LimitsSource {

  /*
   * Design note. The live values are kept as a whole ServerConfig, rebuilt by its own builder on each change, so
   * that a change is checked by the same rules as start-up (a soft limit above the hard one, a max-message-size that
   * no longer fits the smaller hard limit) and a reader never sees half of a change. An OutboxHandler compares the
   * limits it applies with these on each policy tick, so a change reaches connected clients within one tick.
   */

  /** The keys {@link #set} accepts: the outbox limits of both classes and max-clients. */
  public static final Set<String> KEYS = Set.of(
      "max-clients",
      "subscriber-hard-limit",
      "subscriber-soft-limit",
      "subscriber-soft-window",
      "subscriber-write-timeout",
      "normal-hard-limit",
      "normal-soft-limit",
      "normal-soft-window",
      "normal-write-timeout");

  private volatile ServerConfig current;

  public LiveLimits(ServerConfig started) {
    this.current = started;
  }

  /** The configuration in force: the started one with every change made by {@link #set}. */
  public ServerConfig current() {
    return current;
  }

  @Override
  public OutboxLimits limits(ClientClass clientClass) {
    return clientClass == ClientClass.SUBSCRIBER ? subscriberLimits() : normalLimits();
  }

  public OutboxLimits subscriberLimits() {
    return current.subscriberLimits();
  }

  public OutboxLimits normalLimits() {
    return current.normalLimits();
  }

  public int maxClients() {
    return current.maxClients();
  }

  /**
   * Applies {@code values} (key of {@link #KEYS} to its text, as in a config file) together, or none of them.
   *
   * @throws ConfigException naming the key and value, for a key not in {@link #KEYS}, a value that does not parse,
   *     or a combination that start-up would refuse too
   */
  public synchronized void set(Map<String, String> values) {
    ServerConfig c = current;
    OutboxLimits.Builder subscriber = c.subscriberLimits().toBuilder();
    OutboxLimits.Builder normal = c.normalLimits().toBuilder();
    ServerConfig.Builder next = c.toBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      String text = e.getValue();
      if (!KEYS.contains(key)) {
        throw new ConfigException("'" + key + "' cannot be changed while the server runs");
      }
      try {
        if (key.equals("max-clients")) {
          next.maxClients(parseInt(text));
          continue;
        }
        OutboxLimits.Builder b = key.startsWith("subscriber-") ? subscriber : normal;
        switch (key.substring(key.indexOf('-') + 1)) {
          case "hard-limit":
            b.hardLimit(ByteSize.parse(text));
            break;
          case "soft-limit":
            b.softLimit(ByteSize.parse(text));
            break;
          case "soft-window":
            b.softWindow(duration(text));
            break;
          default:
            b.writeTimeout(duration(text));
        }
      } catch (IllegalArgumentException bad) {
        throw new ConfigException(key + ": " + bad.getMessage(), bad);
      }
    }
    next.subscriberLimits(build("subscriber-", subscriber)).normalLimits(build("normal-", normal));
    try {
      current = next.build();
    } catch (IllegalArgumentException bad) {
      throw new ConfigException(bad.getMessage(), bad);
    }
  }

  private static Duration duration(String text) {
    return DurationParser.parse(text);
  }

  private static int parseInt(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer", e);
    }
  }

  private static OutboxLimits build(String prefix, OutboxLimits.Builder b) {
    try {
      return b.build();
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
