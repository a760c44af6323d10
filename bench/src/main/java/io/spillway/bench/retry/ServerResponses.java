package io.spillway.bench.retry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads how many publish requests a Spillway server has answered, from its own {@code /metrics}: the sum of
 * {@code spillway_http_responses_total} over the publish route's codes. Used by the run's thread.
 */
final class ServerResponses {

  private static final String NAME = "spillway_http_responses_total{";

  private ServerResponses() {}

  static long publishResponses(HttpClient http, InetSocketAddress server)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://" + server.getAddress().getHostAddress() + ":"
                + server.getPort() + "/metrics"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + r.statusCode());
    }
    return sum(r.body());
  }

  /** The publish route's responses in a Prometheus text exposition. */
  static long sum(String exposition) {
    double total = 0;
    for (String line : exposition.split("\n", -1)) {
      if (line.startsWith(NAME) && line.contains("publish")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return Math.round(total);
  }
}
