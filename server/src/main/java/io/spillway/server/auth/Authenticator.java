package io.spillway.server.auth;

import io.netty.util.AttributeKey;
import io.spillway.core.auth.FailedAuthThrottle;
import io.spillway.core.time.NanoClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Decides who a client is, for both ports: {@code AUTH [user] pass} and {@code HELLO … AUTH user pass} on the RESP
 * port, {@code Authorization: Bearer …} or {@code Basic …} on the HTTP port. The {@code default} user's password is
 * {@code requirepass}; the ACL users come from {@code acl-users}; on the HTTP port {@code http-tokens}, when set,
 * replace all of that with bearer tokens. Failed attempts are slowed per client address ({@link FailedAuthThrottle}):
 * an attempt from an address that is being slowed is refused before its password is looked at. One per server,
 * shared by both ports; thread-safe.
 */
public final class Authenticator {

  /** The user a connection has authenticated as; absent: the default user. Set on the connection's channel. */
  public static final AttributeKey<AclUser> USER = AttributeKey.valueOf("spillway.auth.user");

  /** Redis 7.0's answer to a wrong user or password. */
  public static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";

  private final byte[] requirePass;
  private final Map<String, AclUser> users;
  private final List<byte[]> tokens;
  private final FailedAuthThrottle throttle;

  /**
   * @param requirePass the password setting (requirepass)
   * @param aclUsers the {@code acl-users} setting
   * @param tokens the {@code http-tokens} setting
   */
  public Authenticator(
      Optional<String> requirePass, String aclUsers, List<String> tokens, NanoClock clock) {
    this.requirePass = requirePass.map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.users = AclUser.parseAll(aclUsers);
    this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.throttle = new FailedAuthThrottle(clock);
  }

  /** The outcome of one attempt: a user, or the error to answer with (and, when slowed, for how long). */
  public static final class Outcome {
    public final AclUser user;
    public final String error;
    /** Milliseconds until the address may try again, when the attempt was refused for that; else 0. */
    public final long retryAfterMillis;

    private Outcome(AclUser user, String error, long retryAfterMillis) {
      this.user = user;
      this.error = error;
      this.retryAfterMillis = retryAfterMillis;
    }

    public boolean ok() {
      return user != null;
    }
  }

  /** Whether a RESP client must authenticate before it may run commands ({@code requirepass} is set). */
  public boolean passwordRequired() {
    return requirePass != null;
  }

  /** Whether the HTTP API and WebSocket need credentials: {@code http-tokens} or {@code requirepass} is set. */
  public boolean httpAuthRequired() {
    return !tokens.isEmpty() || requirePass != null;
  }

  /** Whether the HTTP port takes {@code http-tokens} instead of passwords. */
  public boolean httpTokensOnly() {
    return !tokens.isEmpty();
  }

  /**
   * Checks {@code user}/{@code password} for a client at {@code address}. Any thread.
   *
   * @return the user, or {@link #WRONGPASS} (or the slowed-down error) to answer with
   */
  public Outcome check(String user, byte[] password, String address) {
    long waitNanos = throttle.waitNanos(address);
    if (waitNanos > 0) {
      long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
      return new Outcome(
          null,
          "ERR too many failed authentication attempts from this address; retry in " + ms + " ms",
          ms);
    }
    AclUser found = null;
    if (user.equals(AclUser.DEFAULT_NAME)) {
      if (requirePass == null || MessageDigest.isEqual(requirePass, password)) {
        found = AclUser.DEFAULT;
      }
    } else {
      AclUser u = users.get(user);
      if (u != null && u.passwordIs(password)) {
        found = u;
      }
    }
    if (found == null) {
      throttle.failed(address);
      return new Outcome(null, WRONGPASS, 0);
    }
    throttle.succeeded(address);
    return new Outcome(found, null, 0);
  }

  /**
   * Checks an HTTP request's credentials: the {@code Authorization} header's value (or a WebSocket's
   * {@code access_token}, given as a bearer token), null when there is none. With {@code http-tokens}: a bearer token
   * among them. Otherwise a bearer token equal to {@code requirepass}, or Basic {@code user:password} (any user name
   * with {@code requirepass} is the default user). Without {@code requirepass} and without credentials: the default
   * user. Any thread.
   */
  public Outcome checkHttp(String authorization, String bearerFallback, String address) {
    String bearer = bearer(authorization);
    if (bearer == null) {
      bearer = bearerFallback;
    }
    String basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
        ? authorization.substring(6).trim()
        : null;
    if (!tokens.isEmpty()) {
      return bearer != null && anyToken(bearer)
          ? new Outcome(AclUser.DEFAULT, null, 0)
          : new Outcome(null, "a valid 'Authorization: Bearer <token>' is required", 0);
    }
    if (bearer != null) {
      return check(AclUser.DEFAULT_NAME, bearer.getBytes(StandardCharsets.UTF_8), address);
    }
    if (basic != null) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(basic), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return new Outcome(null, "the Basic credentials are not Base64", 0);
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return new Outcome(null, "the Basic credentials are not user:password", 0);
      }
      String name = decoded.substring(0, colon);
      byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      return check(users.containsKey(name) ? name : AclUser.DEFAULT_NAME, password, address);
    }
    if (requirePass == null) {
      return new Outcome(AclUser.DEFAULT, null, 0);
    }
    return new Outcome(
        null, "credentials are required: 'Authorization: Bearer <requirepass>' or Basic auth", 0);
  }

  private boolean anyToken(String presented) {
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, p);
    }
    return ok;
  }

  private static String bearer(String authorization) {
    if (authorization == null
        || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  /**
   * What the start-up log says about access: which ports anyone may use without credentials.
   *
   * @param httpPort the HTTP port, or -1 when it is off
   */
  public String exposureLine(int respPort, int httpPort) {
    return exposureLine(respPort, -1, httpPort);
  }

  /** As above, with the RESP TLS port (-1 when off), which takes the same passwords as the plain one. */
  public String exposureLine(int respPort, int respTlsPort, int httpPort) {
    StringBuilder line = new StringBuilder("access: RESP port ")
        .append(respPort)
        .append(respTlsPort >= 0 ? " (and TLS port " + respTlsPort + ")" : "")
        .append(
            requirePass != null
                ? " needs AUTH (requirepass)"
                : " is OPEN without authentication (no requirepass)");
    if (!users.isEmpty()) {
      line.append(", ").append(users.size()).append(" ACL user(s)");
    }
    if (httpPort >= 0) {
      line.append("; HTTP port ")
          .append(httpPort)
          .append(
              !tokens.isEmpty()
                  ? " needs a bearer token (http-tokens)"
                  : requirePass != null
                      ? " needs requirepass (Bearer or Basic auth)"
                      : " is OPEN without authentication for /v1 and WebSocket (no requirepass, no http-tokens)");
      line.append("; /metrics, /healthz and /readyz are always open");
    }
    return line.toString();
  }
}
