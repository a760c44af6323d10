package io.spillway.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A loopback HTTP server (the JDK's) that answers the n-th request (0-based) as its script says, and records every
 * request's arrival time and deadline header. For the client's retry rules; close it.
 */
final class ScriptedServer implements AutoCloseable {

  /** One scripted answer. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply ok(int receivers) {
      return new Reply(200, Map.of(), "{\"receivers\":" + receivers + "}");
    }

    static Reply shed(int status, String reason, String retryAfter) {
      Map<String, String> h = new java.util.HashMap<>();
      if (reason != null) {
        h.put("X-Spillway-Shed", reason);
      }
      if (retryAfter != null) {
        h.put("Retry-After", retryAfter);
      }
      return new Reply(status, h, "{\"error\":\"" + reason + "\"}");
    }
  }

  /** One request as received. */
  record Received(long nanos, String deadlineHeader, String path) {}

  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();

  ScriptedServer(IntFunction<Reply> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      int n = received.size();
      received.add(new Received(
          System.nanoTime(),
          exchange.getRequestHeaders().getFirst("X-Request-Timeout-Ms"),
          exchange.getRequestURI().getRawPath()));
      Reply r = script.apply(n);
      r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(r.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, runnable -> {
      Thread t = new Thread(runnable, "scripted-server");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
