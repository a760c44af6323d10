package io.spillway.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * TLS for both ports, with Redis's setting names where Redis has them: a RESP port over TLS ({@code tls-port}) beside
 * the plain one, the HTTP port over TLS ({@code http-tls}, for {@code https://} and {@code wss://}), one certificate
 * chain and key (PEM files), and optionally a CA to verify client certificates with. Immutable; {@link
 * Builder#build()} rejects a bad value naming the setting.
 */
public final class TlsConfig {

  /** {@code tls-port} value that leaves the RESP TLS port closed (the default). */
  public static final int OFF = -1;
  /** Whether clients must present a certificate the CA signed: no (default), optional, or yes (Redis's values). */
  public static final Set<String> AUTH_CLIENTS = Set.of("no", "optional", "yes");

  private final int port;
  private final boolean http;
  private final String certFile;
  private final String keyFile;
  private final String caCertFile;
  private final String authClients;

  private TlsConfig(Builder b) {
    this.port = b.port;
    this.http = b.http;
    this.certFile = b.certFile;
    this.keyFile = b.keyFile;
    this.caCertFile = b.caCertFile;
    this.authClients = b.authClients;
  }

  /** TLS off on both ports. */
  public static final TlsConfig DEFAULT = builder().build();

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.port = port;
    b.http = http;
    b.certFile = certFile;
    b.keyFile = keyFile;
    b.caCertFile = caCertFile;
    b.authClients = authClients;
    return b;
  }

  /** The RESP-over-TLS port; {@value #OFF}: none; 0 picks a free one (tests). */
  public int port() {
    return port;
  }

  /** Whether the HTTP port speaks TLS (https, wss) instead of plain HTTP. */
  public boolean http() {
    return http;
  }

  /** Whether either port uses TLS. */
  public boolean enabled() {
    return port != OFF || http;
  }

  /** The certificate chain, PEM; empty when TLS is off. */
  public String certFile() {
    return certFile;
  }

  /** The private key (PKCS#8 PEM, unencrypted); empty when TLS is off. */
  public String keyFile() {
    return keyFile;
  }

  /** CA certificates (PEM) that client certificates are verified against; empty: none. */
  public String caCertFile() {
    return caCertFile;
  }

  /** {@code no}, {@code optional} or {@code yes}. */
  public String authClients() {
    return authClients;
  }

  /** Builds a {@link TlsConfig}; {@link #build()} validates. */
  public static final class Builder {
    private int port = OFF;
    private boolean http;
    private String certFile = "";
    private String keyFile = "";
    private String caCertFile = "";
    private String authClients = "no";

    private Builder() {}

    public Builder port(int v) {
      this.port = v;
      return this;
    }

    public Builder http(boolean v) {
      this.http = v;
      return this;
    }

    public Builder certFile(String v) {
      this.certFile = v == null ? "" : v.trim();
      return this;
    }

    public Builder keyFile(String v) {
      this.keyFile = v == null ? "" : v.trim();
      return this;
    }

    public Builder caCertFile(String v) {
      this.caCertFile = v == null ? "" : v.trim();
      return this;
    }

    public Builder authClients(String v) {
      this.authClients = v == null ? "no" : v.trim().toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws IllegalArgumentException naming the setting: a port out of range, TLS without a certificate or key, a
     *     file that cannot be read, or an unknown tls-auth-clients value
     */
    public TlsConfig build() {
      if (port < OFF || port > 65_535) {
        throw new IllegalArgumentException("tls-port " + port + " is out of range [-1, 65535]");
      }
      if (!AUTH_CLIENTS.contains(authClients)) {
        throw new IllegalArgumentException(
            "tls-auth-clients '" + authClients + "' is not one of no, optional, yes");
      }
      if (port != OFF || http) {
        readable("tls-cert-file", certFile);
        readable("tls-key-file", keyFile);
        if (!authClients.equals("no")) {
          readable("tls-ca-cert-file", caCertFile);
        }
      }
      if (!caCertFile.isEmpty()) {
        readable("tls-ca-cert-file", caCertFile);
      }
      return new TlsConfig(this);
    }

    private static void readable(String key, String file) {
      if (file.isEmpty()) {
        throw new IllegalArgumentException(
            key + " is needed: tls-port or http-tls is set (or tls-auth-clients"
                + " asks for client certificates)");
      }
      if (!Files.isReadable(Path.of(file))) {
        throw new IllegalArgumentException(key + " '" + file + "' cannot be read");
      }
    }
  }
}
