package io.spillway.server.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.spillway.server.config.TlsConfig;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * Builds the server's TLS context from {@link TlsConfig}: the certificate chain and key from PEM files, client
 * certificates checked against the CA file when {@code tls-auth-clients} asks, OpenSSL (BoringSSL) when netty-tcnative
 * loads on this platform, the JDK's provider otherwise. Built once at start-up; the context is thread-safe.
 */
public final class ServerTls {

  private ServerTls() {}

  /** Whether OpenSSL (netty-tcnative's BoringSSL) will do the TLS here, rather than the JDK. */
  public static boolean openSsl() {
    return OpenSsl.isAvailable();
  }

  /** The provider's name for the start-up log. */
  public static String providerName() {
    return openSsl() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
  }

  /**
   * The server context for {@code config}.
   *
   * @throws IllegalArgumentException naming the setting when a file does not hold what it should
   */
  public static SslContext context(TlsConfig config) {
    SslContextBuilder b;
    try {
      b = SslContextBuilder.forServer(new File(config.certFile()), new File(config.keyFile()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tls-cert-file/tls-key-file: " + e.getMessage(), e);
    }
    b.sslProvider(openSsl() ? SslProvider.OPENSSL : SslProvider.JDK);
    if (!config.caCertFile().isEmpty()) {
      b.trustManager(new File(config.caCertFile()));
    }
    b.clientAuth(
        switch (config.authClients()) {
          case "yes" -> ClientAuth.REQUIRE;
          case "optional" -> ClientAuth.OPTIONAL;
          default -> ClientAuth.NONE;
        });
    try {
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tls-cert-file/tls-key-file/tls-ca-cert-file: cannot be used for TLS: " + e.getMessage(),
          e);
    }
  }
}
