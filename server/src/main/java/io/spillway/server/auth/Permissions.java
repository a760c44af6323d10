package io.spillway.server.auth;

import io.netty.channel.Channel;
import java.util.List;
import java.util.function.Consumer;

/**
 * The publish and subscribe check every entry point calls (RESP commands, HTTP publish, WebSocket): the
 * connection's user (the default user, who may do anything, unless it authenticated as an ACL user) against the
 * channel. A refusal is reported through {@code error} with Redis 7.0's NOPERM text. Event-loop thread of the
 * connection (it reads the channel's attribute).
 */
public final class Permissions {

  /** Redis 7.0's error for a channel outside the user's {@code &pattern} rules. */
  public static final String NOPERM_CHANNEL =
      "NOPERM this user has no permissions to access one of the channels used as arguments";

  private Permissions() {}

  /** The user of {@code connection}. */
  public static AclUser userOf(Channel connection) {
    AclUser u = connection.attr(Authenticator.USER).get();
    return u == null ? AclUser.DEFAULT : u;
  }

  /** True, after reporting NOPERM, when the connection's user may not publish to {@code channel}. */
  public static boolean refusePublish(Channel connection, byte[] channel, Consumer<String> error) {
    if (userOf(connection).mayPublish(channel)) {
      return false;
    }
    error.accept(NOPERM_CHANNEL);
    return true;
  }

  /**
   * True, after reporting NOPERM, when the connection's user may not subscribe to every one of {@code names}
   * (patterns if {@code pattern}); then nothing is subscribed, as in Redis.
   */
  public static boolean refuseSubscribe(
      Channel connection, List<byte[]> names, boolean pattern, Consumer<String> error) {
    AclUser u = userOf(connection);
    for (byte[] n : names) {
      if (!(pattern ? u.mayPsubscribe(n) : u.maySubscribe(n))) {
        error.accept(NOPERM_CHANNEL);
        return true;
      }
    }
    return false;
  }
}
