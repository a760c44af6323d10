package io.spillway.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, from {@code http-allowed-origins}, what a request carrying an {@code Origin} header (that is, one a
 * browser sent for a web page) may do, and which CORS headers its answer carries. A request without {@code Origin}
 * is not from a page and is never refused here. From a page whose origin is not allowed, a state-changing request
 * (POST, PUT, PATCH, DELETE), a WebSocket upgrade and a CORS preflight are refused with 403: the first two because a
 * page could otherwise publish (a plain-text POST needs no preflight) or read channels (WebSockets are not subject
 * to CORS), the last so the browser does not send the real request. Immutable; any thread.
 */
final class OriginPolicy {

  /** Methods a page may use, as a preflight answer lists them. */
  static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
  /** Request headers a page may send, as a preflight answer lists them. */
  static final String ALLOWED_HEADERS = "Authorization, Content-Type, "
      + HttpApiHandler.DEADLINE_HEADER + ", " + HttpApiHandler.PRIORITY_HEADER;
  /** Response headers a page's script may read besides the CORS-safelisted ones. */
  static final String EXPOSED_HEADERS =
      "Retry-After, X-Spillway-Shed, RateLimit-Limit, RateLimit-Remaining," + " RateLimit-Reset";
  /** How long a browser may cache a preflight answer: ten minutes (Chromium caps it at two hours). */
  static final long PREFLIGHT_MAX_AGE_SECONDS = 600;

  private final Set<String> allowed;
  private final boolean any;

  OriginPolicy(List<String> allowedOrigins) {
    this.allowed = Set.copyOf(allowedOrigins);
    this.any = allowed.contains("*");
  }

  /** Whether a request with this {@code Origin} header (null: none) may change state or open a WebSocket. */
  boolean allows(String origin) {
    return origin == null || any || allowed.contains(origin.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code origin} is the server's own page reached by an IP literal or {@code localhost} in {@code host}
   * (the Host header): the dashboard's own requests. A page on another name that DNS-rebinds to this server carries
   * that name in Host, so it never passes; that is why a same-origin request by name is not enough.
   */
  static boolean ownPageByAddress(String origin, String host) {
    if (origin == null || host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (!o.equals("http://" + h) && !o.equals("https://" + h)) {
      return false;
    }
    String name =
        h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d+$", "");
    return name.equals("localhost")
        || name.startsWith("[")
        || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /** Whether {@code method} can change state: only these are refused from an origin that is not allowed. */
  static boolean changesState(HttpMethod method) {
    return HttpMethod.POST.equals(method)
        || HttpMethod.PUT.equals(method)
        || HttpMethod.DELETE.equals(method)
        || HttpMethod.PATCH.equals(method);
  }

  /**
   * The CORS headers of every answer to a request from {@code origin}: none without an Origin; {@code Vary: Origin}
   * always with one (the answer depends on it); and for an allowed origin, that origin as
   * {@code Access-Control-Allow-Origin} with the headers a script may read.
   */
  List<String[]> answerHeaders(String origin) {
    if (origin == null) {
      return List.of();
    }
    if (!allows(origin)) {
      return List.<String[]>of(new String[] {HttpHeaderNames.VARY.toString(), "Origin"});
    }
    return List.of(
        new String[] {HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN.toString(), origin.trim()},
        new String[] {HttpHeaderNames.VARY.toString(), "Origin"},
        new String[] {HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS.toString(), EXPOSED_HEADERS});
  }

  /** The headers of a preflight answer for an allowed origin, besides {@link #answerHeaders}. */
  static List<String[]> preflightHeaders() {
    return List.of(
        new String[] {HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS.toString(), ALLOWED_METHODS},
        new String[] {HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS.toString(), ALLOWED_HEADERS},
        new String[] {
          HttpHeaderNames.ACCESS_CONTROL_MAX_AGE.toString(),
          Long.toString(PREFLIGHT_MAX_AGE_SECONDS)
        });
  }
}
