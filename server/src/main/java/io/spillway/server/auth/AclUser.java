package io.spillway.server.auth;

import io.spillway.server.broker.GlobPattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One user: a name, a password, and the channel patterns it may publish to and subscribe to, as Redis ACL's
 * {@code &pattern} rules (glob rules; a {@code PSUBSCRIBE} pattern must be literally one of the allowed patterns, as
 * in Redis). The {@code default} user (the one a client is before {@code AUTH}) may use every channel. Immutable;
 * any thread.
 *
 * <p>Written in the {@code acl-users} setting as {@code name >password rule...}, users separated by {@code ;}:
 * {@code &p} allows publishing and subscribing to channels matching {@code p}, {@code pub&p} publishing only,
 * {@code sub&p} subscribing only, {@code allchannels} everything ({@code &*}). A user without rules may use no
 * channel, like a Redis user after {@code resetchannels}.
 */
public final class AclUser {

  /** The user a client is before it authenticates, and the one {@code requirepass} is the password of. */
  public static final String DEFAULT_NAME = "default";
  /** The default user: every channel. */
  public static final AclUser DEFAULT =
      new AclUser(DEFAULT_NAME, null, List.of(star()), List.of(star()));

  final String name;
  private final byte[] password;
  private final List<byte[]> publish;
  private final List<byte[]> subscribe;

  private AclUser(String name, byte[] password, List<byte[]> publish, List<byte[]> subscribe) {
    this.name = name;
    this.password = password;
    this.publish = publish;
    this.subscribe = subscribe;
  }

  private static byte[] star() {
    return new byte[] {'*'};
  }

  public String name() {
    return name;
  }

  /** Whether this user may publish to {@code channel}. */
  public boolean mayPublish(byte[] channel) {
    return anyMatches(publish, channel);
  }

  /** Whether this user may {@code SUBSCRIBE} to {@code channel}. */
  public boolean maySubscribe(byte[] channel) {
    return anyMatches(subscribe, channel);
  }

  /** Whether this user may {@code PSUBSCRIBE} to {@code pattern}: it must be one of the allowed patterns, or all are. */
  public boolean mayPsubscribe(byte[] pattern) {
    for (byte[] p : subscribe) {
      if ((p.length == 1 && p[0] == '*') || java.util.Arrays.equals(p, pattern)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code given} is this user's password; constant time in the password. */
  boolean passwordIs(byte[] given) {
    return password != null && MessageDigest.isEqual(password, given);
  }

  private static boolean anyMatches(List<byte[]> patterns, byte[] channel) {
    for (byte[] p : patterns) {
      if (GlobPattern.matches(p, channel)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses the {@code acl-users} setting.
   *
   * @throws IllegalArgumentException naming {@code acl-users}, the user and what is wrong
   */
  public static Map<String, AclUser> parseAll(String text) {
    Map<String, AclUser> users = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return users;
    }
    for (String entry : text.split(";", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      String[] words = entry.trim().split("\\s+", -1);
      String name = words[0];
      if (name.equals(DEFAULT_NAME)) {
        throw new IllegalArgumentException(
            "acl-users: the default user's password is requirepass; it cannot be"
                + " listed in acl-users");
      }
      byte[] password = null;
      List<byte[]> publish = new ArrayList<>();
      List<byte[]> subscribe = new ArrayList<>();
      for (int i = 1; i < words.length; i++) {
        String w = words[i];
        if (w.startsWith(">") && w.length() > 1) {
          password = w.substring(1).getBytes(StandardCharsets.UTF_8);
        } else if (w.equals("allchannels")) {
          publish.add(star());
          subscribe.add(star());
        } else if (w.startsWith("&") && w.length() > 1) {
          publish.add(pattern(w.substring(1)));
          subscribe.add(pattern(w.substring(1)));
        } else if (w.startsWith("pub&") && w.length() > 4) {
          publish.add(pattern(w.substring(4)));
        } else if (w.startsWith("sub&") && w.length() > 4) {
          subscribe.add(pattern(w.substring(4)));
        } else {
          throw new IllegalArgumentException("acl-users: user '" + name + "' has an unknown rule '"
              + w + "' (expected >password, &pattern, pub&pattern, sub&pattern or allchannels)");
        }
      }
      if (password == null) {
        throw new IllegalArgumentException("acl-users: user '" + name + "' has no '>password'");
      }
      if (users.put(name, new AclUser(name, password, List.copyOf(publish), List.copyOf(subscribe)))
          != null) {
        throw new IllegalArgumentException("acl-users: user '" + name + "' is listed twice");
      }
    }
    return users;
  }

  private static byte[] pattern(String p) {
    return p.getBytes(StandardCharsets.UTF_8);
  }
}
