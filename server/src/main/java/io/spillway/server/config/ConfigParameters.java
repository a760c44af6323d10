package io.spillway.server.config;

import io.spillway.core.outbox.OutboxLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters {@code CONFIG GET} shows and {@code CONFIG SET} changes: every Spillway setting under its own key,
 * and the Redis names that operators' tools ask for, mapped onto Spillway's ({@code maxclients}, {@code
 * client-output-buffer-limit}, {@code proto-max-bulk-len}...) or answered with the value that is true here ({@code
 * save} is empty, {@code appendonly} is {@code no}: nothing is persisted). Stateless; reads {@link LiveLimits}.
 */
public final class ConfigParameters {

  /*
   * Design note. Redis's client-output-buffer-limit has three classes; Spillway has two (subscriber, normal) and no
   * replicas. "normal H S SECONDS" maps to normal-hard-limit, normal-soft-limit and normal-soft-window, "pubsub ..."
   * to the subscriber-* ones; "replica" (or "slave") values are accepted and ignored, and shown as "replica 0 0 0",
   * so that what CONFIG GET prints can be given back to CONFIG SET. Redis's 0 ("no limit") is refused: every outbox
   * here is bounded. Sizes take Redis's units (64mb = 64 MiB, 64m = 64 000 000).
   *
   * tcp-keepalive is both a Spillway key and a Redis name; it is shown in Redis's form (whole seconds), which the
   * Spillway key reads too.
   */

  /** Redis parameters with a fixed answer: what holds on a pub/sub-only server with no persistence. */
  private static final Map<String, String> FIXED = fixed();
  /** Settings whose value is a secret of another port: never shown. */
  private static final List<String> HIDDEN = List.of("http-tokens");

  private final LiveLimits live;

  public ConfigParameters(LiveLimits live) {
    this.live = live;
  }

  private static Map<String, String> fixed() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("save", "");
    m.put("appendonly", "no");
    m.put("databases", "1");
    m.put("timeout", "0");
    m.put("maxmemory", "0");
    m.put("maxmemory-policy", "noeviction");
    m.put("maxmemory-clients", "0");
    m.put("notify-keyspace-events", "");
    m.put("cluster-enabled", "no");
    m.put("latency-tracking", "yes");
    m.put("latency-tracking-info-percentiles", "50 99 99.9");
    return m;
  }

  /** Every parameter and its value now, Spillway's keys first, then the Redis names. */
  public Map<String, String> all() {
    ServerConfig c = live.current();
    Map<String, String> m = new LinkedHashMap<>();
    for (Setting<?> s : Settings.all()) {
      String v = s.format(c);
      m.put(s.key(), HIDDEN.contains(s.key()) && !v.isEmpty() ? "(hidden)" : v);
    }
    m.put("tcp-keepalive", Long.toString(c.tcpKeepalive().toSeconds()));
    m.put("maxclients", Integer.toString(c.maxClients()));
    m.put("client-output-buffer-limit", clientOutputBufferLimit(c));
    m.put("proto-max-bulk-len", Long.toString(c.maxBulkLength().toBytes()));
    m.put("client-query-buffer-limit", Long.toString(c.maxRequestSize().toBytes()));
    m.putAll(FIXED);
    return m;
  }

  /** The parameters whose names match any of {@code patterns} (Redis's glob, case-insensitive), each once. */
  public Map<String, String> get(List<String> patterns) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : all().entrySet()) {
      for (String p : patterns) {
        if (Glob.matches(p.toLowerCase(Locale.ROOT), e.getKey())) {
          out.put(e.getKey(), e.getValue());
          break;
        }
      }
    }
    return out;
  }

  private static String clientOutputBufferLimit(ServerConfig c) {
    return "normal " + limits(c.normalLimits()) + " replica 0 0 0 pubsub "
        + limits(c.subscriberLimits());
  }

  private static String limits(OutboxLimits l) {
    return l.hardLimit().toBytes() + " " + l.softLimit().toBytes() + " "
        + l.softWindow().toSeconds();
  }

  /** Why a {@link #set} was refused, with the parameter Redis's error names. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final String parameter;
    /** True when the name is no parameter at all (Redis answers that with a different text). */
    public final boolean unknown;

    Refused(String parameter, boolean unknown, String reason) {
      super(reason);
      this.parameter = parameter;
      this.unknown = unknown;
    }
  }

  /**
   * Applies {@code pairs} (parameter name to value, names lower-cased) all together, or none.
   *
   * @throws Refused naming the parameter, when a name is unknown or not changeable at run time, or a value is bad
   */
  public void set(Map<String, String> pairs) {
    Map<String, String> keys = new LinkedHashMap<>();
    String lastParameter = null;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      lastParameter = name;
      if (name.equals("maxclients")) {
        keys.put("max-clients", value);
      } else if (name.equals("client-output-buffer-limit")) {
        clientOutputBufferLimit(value, keys);
      } else if (LiveLimits.KEYS.contains(name)) {
        keys.put(name, value);
      } else if (Settings.find(name).isPresent()
          || FIXED.containsKey(name)
          || all().containsKey(name)) {
        throw new Refused(name, false, "can't set immutable config");
      } else {
        throw new Refused(name, true, "unknown option");
      }
    }
    try {
      live.set(keys);
    } catch (ConfigException bad) {
      throw new Refused(
          parameterOf(bad.getMessage(), pairs, lastParameter), false, bad.getMessage());
    }
  }

  private static String parameterOf(String message, Map<String, String> pairs, String fallback) {
    for (String name : pairs.keySet()) {
      if (message.startsWith(name)) {
        return name;
      }
    }
    if (message.startsWith("max-clients") && pairs.containsKey("maxclients")) {
      return "maxclients";
    }
    if ((message.startsWith("normal-") || message.startsWith("subscriber-"))
        && pairs.containsKey("client-output-buffer-limit")) {
      return "client-output-buffer-limit";
    }
    return fallback;
  }

  private static void clientOutputBufferLimit(String value, Map<String, String> keys) {
    String[] t = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
    if (t.length == 0 || t.length % 4 != 0) {
      throw new Refused(
          "client-output-buffer-limit",
          false,
          "Wrong number of arguments in buffer limit configuration.");
    }
    for (int i = 0; i < t.length; i += 4) {
      String prefix;
      switch (t[i].toLowerCase(Locale.ROOT)) {
        case "normal":
          prefix = "normal-";
          break;
        case "pubsub":
          prefix = "subscriber-";
          break;
        case "replica":
        case "slave":
          continue;
        default:
          throw new Refused(
              "client-output-buffer-limit",
              false,
              "Invalid client class specified in buffer limit" + " configuration.");
      }
      long seconds;
      try {
        seconds = Long.parseLong(t[i + 3]);
      } catch (NumberFormatException e) {
        throw new Refused(
            "client-output-buffer-limit",
            false,
            "Error in soft_seconds setting in buffer limit" + " configuration.");
      }
      keys.put(prefix + "hard-limit", t[i + 1]);
      keys.put(prefix + "soft-limit", t[i + 2]);
      keys.put(prefix + "soft-window", seconds + "s");
    }
  }

  /** Redis's {@code stringmatchlen} with nocase, over ASCII names: {@code * ? [abc] [^a-z] \x}. */
  static final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String name) {
      return match(pattern, 0, name, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
      while (pi < p.length()) {
        char c = p.charAt(pi);
        switch (c) {
          case '*':
            while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
              pi++;
            }
            if (pi + 1 == p.length()) {
              return true;
            }
            for (int k = si; k <= s.length(); k++) {
              if (match(p, pi + 1, s, k)) {
                return true;
              }
            }
            return false;
          case '?':
            if (si >= s.length()) {
              return false;
            }
            si++;
            pi++;
            break;
          case '[': {
            if (si >= s.length()) {
              return false;
            }
            int end = p.indexOf(']', pi + 1);
            if (end < 0) {
              return false;
            }
            boolean not = pi + 1 < end && p.charAt(pi + 1) == '^';
            boolean hit = false;
            for (int k = pi + (not ? 2 : 1); k < end; k++) {
              if (k + 2 < end && p.charAt(k + 1) == '-') {
                hit |= s.charAt(si) >= p.charAt(k) && s.charAt(si) <= p.charAt(k + 2);
                k += 2;
              } else {
                hit |= s.charAt(si) == p.charAt(k);
              }
            }
            if (hit == not) {
              return false;
            }
            si++;
            pi = end + 1;
            break;
          }
          default:
            if (c == '\\' && pi + 1 < p.length()) {
              pi++;
              c = p.charAt(pi);
            }
            if (si >= s.length() || s.charAt(si) != c) {
              return false;
            }
            si++;
            pi++;
        }
      }
      return si == s.length();
    }
  }
}
