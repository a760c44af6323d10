package io.spillway.bench.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * A server to load, parsed from {@code resp://HOST[:PORT][#LABEL]}: the RESP port of Spillway or of redis-server.
 * The label names the target in tables and reports ({@code resp://127.0.0.1:6399#redis}); without one the label
 * is {@code HOST:PORT}. Immutable.
 *
 * <p>Only loopback targets are accepted: every address the host resolves to must be in 127.0.0.0/8 or be ::1.
 * The bench generates load flat out, so it refuses anything that could leave the machine.
 */
public final class Target {

  /** The only scheme for now; {@code http://} comes with the http-overload scenario. */
  public static final String SCHEME_RESP = "resp";
  /** Redis' port, used when the URI has none. */
  public static final int DEFAULT_RESP_PORT = 6379;

  private final String scheme;
  private final String host;
  private final int port;
  private final String label;
  private final InetAddress address;

  private Target(String scheme, String host, int port, String label, InetAddress address) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.label = label;
    this.address = address;
  }

  /**
   * Parses and checks {@code text}, resolving its host.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it: not a URI, another scheme, a path,
   *     credentials, a bad port, a host that does not resolve, or a host that is not loopback
   */
  public static Target parse(String text) {
    Objects.requireNonNull(text, "text");
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw invalid(text, "not a URI (" + e.getReason() + "); expected resp://HOST:PORT");
    }
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      throw invalid(text, "expected resp://HOST:PORT, for example resp://127.0.0.1:6379");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(SCHEME_RESP)) {
      throw invalid(text, "scheme '" + scheme + "' is not supported (supported: resp)");
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid(text, "credentials in the target are not supported");
    }
    if (uri.getHost() == null) {
      throw invalid(text, "no host, or a port that is not a number in 1..65535");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw invalid(text, "a resp target has no path or query");
    }
    int port = uri.getPort() == -1 ? DEFAULT_RESP_PORT : uri.getPort();
    if (port < 1 || port > 65_535) {
      throw invalid(text, "port " + port + " is outside 1..65535");
    }
    String host = uri.getHost();
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    InetAddress address = requireLoopback(text, bareHost);
    String label = uri.getFragment() == null || uri.getFragment().isBlank()
        ? host + ":" + port
        : uri.getFragment();
    return new Target(scheme, host, port, label, address);
  }

  private static InetAddress requireLoopback(String text, String host) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw invalid(text, "host '" + host + "' does not resolve");
    }
    for (InetAddress a : all) {
      if (!a.isLoopbackAddress()) {
        throw invalid(
            text,
            "host '" + host + "' resolves to " + a.getHostAddress()
                + ", which is not a loopback address; "
                + "spillway bench only loads 127.0.0.0/8 or ::1");
      }
    }
    return all[0];
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("target '" + text + "': " + why);
  }

  public String scheme() {
    return scheme;
  }

  /** The host as written, brackets kept for IPv6 ({@code [::1]}). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The name shown in tables and reports. */
  public String label() {
    return label;
  }

  /** The (loopback) address to connect to: the first the host resolved to. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** The URI without its label: {@code resp://127.0.0.1:6399}. */
  public String uri() {
    return scheme + "://" + host + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Target other)) {
      return false;
    }
    return scheme.equals(other.scheme)
        && host.equals(other.host)
        && port == other.port
        && label.equals(other.label);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, host, port, label);
  }

  /** The URI with its label: {@code resp://127.0.0.1:6399#redis}. */
  @Override
  public String toString() {
    return uri() + "#" + label;
  }
}
