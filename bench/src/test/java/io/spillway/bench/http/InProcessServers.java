package io.spillway.bench.http;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.HttpConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Function;

/** A {@link ServerLauncher} for tests: each run gets a real Spillway server in this JVM, on loopback ports. */
public final class InProcessServers {

  private InProcessServers() {}

  /**
   * Starts, for each run, a server whose HTTP port is configured by {@code http} from the run's admission mode
   * ({@code "on"} or {@code "off"}); everything else is the defaults, on free loopback ports.
   */
  public static ServerLauncher launcher(Function<String, HttpConfig> http) {
    return (mode, target, progress) -> {
      SpillwayServer server = SpillwayServer.start(io.spillway.server.config.ServerConfig.builder()
          .bind("127.0.0.1")
          .port(0)
          .http(http.apply(mode))
          .build());
      InetAddress loopback = InetAddress.getLoopbackAddress();
      return new ServerLauncher.RunningServer() {
        @Override
        public InetSocketAddress http() {
          return new InetSocketAddress(loopback, server.http().port());
        }

        @Override
        public InetSocketAddress resp() {
          return new InetSocketAddress(loopback, server.port());
        }

        @Override
        public long pid() {
          return -1;
        }

        @Override
        public void close() {
          server.close();
          try {
            server.awaitClosed();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    };
  }

  /** Admission on or off by the run's mode, the rest of the HTTP port at its defaults. */
  public static ServerLauncher byAdmissionMode() {
    return launcher(
        mode -> HttpConfig.builder().port(0).admission(mode.equals("on")).build());
  }
}
