package io.spillway.server.config;

import static io.spillway.server.config.SettingType.BOOLEAN;
import static io.spillway.server.config.SettingType.BYTE_SIZE;
import static io.spillway.server.config.SettingType.DURATION;
import static io.spillway.server.config.SettingType.STRING;

import java.util.List;

/** The rows of {@link Settings} for the backplane between servers (README: Backplane). */
final class BackplaneSettings {

  private BackplaneSettings() {}

  static void rows(List<Setting<?>> rows, ServerConfig d) {
    rows.add(Setting.of(
            "backplane",
            STRING,
            "Share channels with other Spillway servers through redis://HOST:PORT (Redis pub/sub) or"
                + " redis-cluster://HOST:PORT[,HOST:PORT...] (Redis 7 Cluster, sharded pub/sub); empty: alone.",
            c -> c.backplane().uri(),
            (x, v) -> x.backplane.uri(v),
            d)
        .documentedDefault("off"));
    rows.add(Setting.of(
            "backplane-user",
            STRING,
            "ACL user the backplane logs in to Redis as; empty: the default user.",
            c -> c.backplane().user(),
            (x, v) -> x.backplane.user(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
            "backplane-password",
            STRING,
            "Password the backplane logs in to Redis with; empty: none.",
            c -> c.backplane().password(),
            (x, v) -> x.backplane.password(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
        "backplane-tls",
        BOOLEAN,
        "Speak TLS to the backplane's Redis.",
        c -> c.backplane().tls(),
        (x, v) -> x.backplane.tls(v),
        d));
    rows.add(Setting.of(
            "backplane-tls-ca-cert-file",
            STRING,
            "CA certificates (PEM) the backplane's certificate is checked against; empty: the JDK's trust store.",
            c -> c.backplane().tlsCaCertFile(),
            (x, v) -> x.backplane.tlsCaCertFile(v),
            d)
        .documentedDefault("none"));
    rows.add(Setting.of(
        "backplane-outbound-queue",
        BYTE_SIZE,
        "Messages waiting to be sent to the backplane or not yet acknowledged by it; beyond it messages are not sent"
            + " to other servers (still delivered here) and counted as dropped.",
        c -> c.backplane().outboundQueue(),
        (x, v) -> x.backplane.outboundQueue(v),
        d));
    rows.add(Setting.of(
        "backplane-reconnect-min",
        DURATION,
        "First delay before reconnecting to a lost backplane; each retry doubles it, with random jitter.",
        c -> c.backplane().reconnectMin(),
        (x, v) -> x.backplane.reconnectMin(v),
        d));
    rows.add(Setting.of(
        "backplane-reconnect-max",
        DURATION,
        "Longest delay between two reconnect attempts.",
        c -> c.backplane().reconnectMax(),
        (x, v) -> x.backplane.reconnectMax(v),
        d));
  }
}
