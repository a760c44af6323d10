package io.spillway.server.wire;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.wire.RawSubscriber.Resp;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code spillway serve} as a real process: SIGTERM stops accepting, closes every client and exits with 0. */
@Timeout(value = 60, unit = SECONDS)
class GracefulShutdownWireTest {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void sigtermClosesClientsAndExitsWithZero() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process server = new ProcessBuilder(List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.spillway.server.cli.Main",
            "serve",
            "--port",
            "0",
            "--http-port",
            "0"))
        .redirectErrorStream(true)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              return Integer.parseInt(m.group(1));
            }
          }
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the server exited before listening");
      });
      int p = port.get(30, SECONDS);
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // keep the pipe empty
          }
        } catch (java.io.IOException ignored) {
          // process ended
        }
      });
      drain.setDaemon(true);
      drain.start();

      try (Socket subscriber = new Socket(InetAddress.getLoopbackAddress(), p)) {
        subscriber.getOutputStream().write(Resp.command("SUBSCRIBE", "news"));
        InputStream in = subscriber.getInputStream();
        assertThat(Resp.readArray(in)).containsExactly("subscribe", "news", ":1");
        subscriber.setSoTimeout(15_000);

        server.destroy(); // SIGTERM

        assertThat(server.waitFor(20, SECONDS)).as("exited within 20 s").isTrue();
        assertThat(server.exitValue()).isZero();
        assertThat(in.read()).as("the client's connection was closed").isEqualTo(-1);
      }
      try (Socket late = new Socket()) {
        late.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), p), 2_000);
        throw new AssertionError("the listener still accepts connections after shutdown");
      } catch (java.net.ConnectException expected) {
        // stopped accepting
      }
    } finally {
      server.destroyForcibly();
    }
  }
}
