package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.config.HttpConfig;
import io.spillway.server.wire.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** The API's routes over real sockets, with the JDK's HttpClient and a Jedis subscriber. */
class HttpApiWireTest {

  private final ExecutorService background = Executors.newCachedThreadPool();
  private TestServer server;

  @AfterEach
  void stop() {
    background.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private HttpTestClient start() {
    server = TestServer.start(b -> b);
    return new HttpTestClient(server.server().http().port());
  }

  @Test
  void publishReachesRespSubscriberAndReportsReceivers() throws Exception {
    HttpTestClient http = start();
    List<String> received = new CopyOnWriteArrayList<>();
    JedisPubSub listener = new JedisPubSub() {
      @Override
      public void onMessage(String channel, String message) {
        received.add(channel + "=" + message);
      }
    };
    background.submit(() -> {
      try (Jedis j = new Jedis("127.0.0.1", server.port())) {
        j.subscribe(listener, "news");
      }
    });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.server().stats() != null
            && http.get("/v1/channels").body().contains("\"news\""));

    HttpResponse<String> r = http.publish("news", "hello over http");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo("{\"receivers\":1}");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("news=hello over http"));
    listener.unsubscribe();
  }

  @Test
  void publishToChannelWithoutSubscribersReportsZero() throws Exception {
    HttpTestClient http = start();
    assertThat(http.publish("nobody", "x").body()).isEqualTo("{\"receivers\":0}");
  }

  @Test
  void percentEncodedChannelNamesAreDecoded() throws Exception {
    HttpTestClient http = start();
    assertThat(http.publish("a%2Fb%20c", "x").statusCode()).isEqualTo(200);
    assertThat(http.publish("", "x").statusCode()).isEqualTo(400);
  }

  @Test
  void listsClientsWithQueuedBytesAndPolicyState() throws Exception {
    HttpTestClient http = start();
    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
      j.clientSetname("lister");
      HttpResponse<String> r = http.get("/v1/clients");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains(
              "\"name\":\"lister\"",
              "\"queued_bytes\":",
              "\"policy_state\":\"ok\"",
              "\"protocol\":\"resp2\"");
    }
  }

  @Test
  void statsIncludeAdmissionFigures() throws Exception {
    HttpTestClient http = start();
    http.publish("a", "b");
    HttpResponse<String> r = http.get("/v1/stats");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains(
            "\"messages_published\":1",
            "\"admission\":\"on\"",
            "\"queue_capacity\":",
            "\"queue_full\":0",
            "\"slow_consumer_cuts\"");
  }

  @Test
  void healthAndReadinessAnswerWithoutAdmission() throws Exception {
    HttpTestClient http = start();
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = http.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("ready");
  }

  @Test
  void metricsAreServedAsPrometheusText() throws Exception {
    HttpTestClient http = start();
    HttpResponse<String> r = http.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
    HttpTestClient http = start();
    assertThat(http.get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> r = http.get("/v1/publish/a");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("POST");
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnection() throws Exception {
    HttpTestClient http = start();
    for (int i = 0; i < 50; i++) {
      assertThat(http.publish("k", "m" + i).statusCode()).isEqualTo(200);
    }
    assertThat(server.server().http().openConnections()).isEqualTo(1);
  }

  @Test
  void bearerTokenIsRequiredWhenConfigured() throws Exception {
    server = TestServer.start(
        b -> b.http(HttpConfig.builder().port(0).tokens("s3cret,other").build()));
    HttpTestClient http = new HttpTestClient(server.server().http().port());

    HttpResponse<String> denied = http.publish("a", "b");
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(denied.headers().firstValue("www-authenticate").orElse("")).startsWith("Bearer");
    HttpRequest ok =
        http.publishRequest("a", "b").header("Authorization", "Bearer other").build();
    assertThat(http.client.send(ok, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    HttpRequest wrong =
        http.publishRequest("a", "b").header("Authorization", "Bearer nope").build();
    assertThat(http.client.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void httpPortCanBeTurnedOff() {
    server =
        TestServer.start(b -> b.http(HttpConfig.builder().port(HttpConfig.OFF).build()));
    assertThat(server.server().http()).isNull();
  }
}
