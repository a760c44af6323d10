package io.spillway.server.config;

import static io.spillway.server.config.SettingType.BOOLEAN;
import static io.spillway.server.config.SettingType.INTEGER;
import static io.spillway.server.config.SettingType.STRING;

import java.util.List;

/** The rows of {@link Settings} for TLS, named as Redis names them where Redis has the setting. */
final class TlsSettings {

  private TlsSettings() {}

  static void rows(List<Setting<?>> rows, ServerConfig d) {
    rows.add(Setting.of(
        "tls-port",
        INTEGER,
        "TCP port for RESP over TLS, beside the plain port; -1 turns it off, 0 picks a free one.",
        c -> c.tls().port(),
        (x, v) -> x.tls.port(v),
        d));
    rows.add(Setting.of(
        "http-tls",
        BOOLEAN,
        "Serve the HTTP port over TLS (https, wss) with the same certificate.",
        c -> c.tls().http(),
        (x, v) -> x.tls.http(v),
        d));
    rows.add(Setting.of(
            "tls-cert-file",
            STRING,
            "Certificate chain (PEM) for the TLS ports.",
            c -> c.tls().certFile(),
            (x, v) -> x.tls.certFile(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
            "tls-key-file",
            STRING,
            "Private key (PKCS#8 PEM, unencrypted) of the certificate.",
            c -> c.tls().keyFile(),
            (x, v) -> x.tls.keyFile(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
            "tls-ca-cert-file",
            STRING,
            "CA certificates (PEM) that client certificates are checked against.",
            c -> c.tls().caCertFile(),
            (x, v) -> x.tls.caCertFile(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
        "tls-auth-clients",
        STRING,
        "Client certificates on the TLS ports: no, optional (checked if given) or yes (required).",
        c -> c.tls().authClients(),
        (x, v) -> x.tls.authClients(v),
        d));
  }
}
