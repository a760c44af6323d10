package io.spillway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.client.ScriptedServer.Reply;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's retry rules against a scripted loopback server, over real sockets. */
class SpillwayClientRetryTest {

  private static final byte[] MESSAGE = "m".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private ScriptedServer server;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ClientListener recorder = new ClientListener() {
    @Override
    public void onAttempt(String channel, int attempt) {
      events.add("attempt " + attempt);
    }

    @Override
    public void onBudgetExhausted(String channel) {
      events.add("budget spent");
    }

    @Override
    public void onBreakerTransition(CircuitBreaker.State from, CircuitBreaker.State to) {
      events.add(from + "->" + to);
    }

    @Override
    public void onLocalRejection(String channel, LocalRejectionException.Reason reason) {
      events.add("rejected " + reason);
    }
  };

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private SpillwayClient.Builder client() {
    return SpillwayClient.builder(server.uri()).listener(recorder);
  }

  @Test
  void retriesA503NoSoonerThanRetryAfterAndSendsTheRemainingDeadline() throws Exception {
    server = new ScriptedServer(n -> n == 0 ? Reply.shed(503, "queue_full", "1") : Reply.ok(3));
    long receivers = client().timeout(Duration.ofSeconds(3)).build().publish("news", MESSAGE);

    assertThat(receivers).isEqualTo(3);
    assertThat(server.received).hasSize(2);
    long gap = server.received.get(1).nanos() - server.received.get(0).nanos();
    assertThat(gap)
        .as("Retry-After: 1")
        .isGreaterThanOrEqualTo(Duration.ofMillis(990).toNanos());
    long first = Long.parseLong(server.received.get(0).deadlineHeader());
    long second = Long.parseLong(server.received.get(1).deadlineHeader());
    assertThat(first).isBetween(2_500L, 3_000L);
    assertThat(second).isLessThanOrEqualTo(first - 990);
    assertThat(server.received.get(0).path()).isEqualTo("/v1/publish/news");
  }

  @Test
  void retriesA429AndASpillway504ButNotA504FromSomethingElse() throws Exception {
    server = new ScriptedServer(n -> {
      switch (n) {
        case 0:
          return Reply.shed(429, "rate_limited", null);
        case 1:
          return Reply.shed(504, "deadline", null);
        case 2:
          return Reply.ok(1);
        default:
          return Reply.shed(504, null, null); // a proxy's 504: the request may have run
      }
    });
    SpillwayClient client = client().maxAttempts(3).build();
    assertThat(client.publish("c", MESSAGE)).isEqualTo(1);
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOf(PublishRejectedException.class);
    assertThat(server.received).hasSize(4);
  }

  @Test
  void neverRetriesOtherClientErrorsOrA500() throws Exception {
    server = new ScriptedServer(
        n -> n == 0 ? Reply.shed(400, "bad", null) : Reply.shed(500, null, null));
    SpillwayClient client = client().build();
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOfSatisfying(
            PublishRejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOfSatisfying(
            PublishRejectedException.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThat(server.received).hasSize(2);
  }

  @Test
  void neverExceedsTheDeadlineWhenRetryAfterIsLongerThanWhatIsLeft() throws Exception {
    server = new ScriptedServer(n -> Reply.shed(503, "codel", "1"));
    SpillwayClient client =
        client().timeout(Duration.ofMillis(1_500)).maxAttempts(5).build();
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOfSatisfying(ShedException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.reason()).isEqualTo("codel");
          assertThat(e.notPublished()).isTrue();
        });
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(1_500).toNanos());
    assertThat(server.received)
        .as("one retry after 1 s; a second would end after the deadline")
        .hasSize(2);
  }

  @Test
  void retriesAConnectionRefusedBeforeTheRequestWasSent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SpillwayClient client = SpillwayClient.builder(URI.create("http://127.0.0.1:" + port))
        .listener(recorder)
        .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)))
        .build();
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOfSatisfying(ShedException.class, e -> assertThat(e.status()).isZero());
    assertThat(events).containsExactly("attempt 1", "attempt 2", "attempt 3");
  }

  @Test
  void failsFastWithADistinctExceptionWhenTheBudgetIsSpent() throws Exception {
    server = new ScriptedServer(n -> Reply.shed(503, "queue_full", null));
    SpillwayClient client = client()
        .noCircuitBreaker()
        .retryBudget(new RetryBudget(0.2, 0, Duration.ofSeconds(10), System::nanoTime))
        .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)))
        .build();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> client.publish("c", MESSAGE))
          .isInstanceOf(RetryBudgetExhaustedException.class);
    }
    // the 5th call's deposit makes 20 % of 5 = 1 retry
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOf(RetryBudgetExhaustedException.class)
        .hasCauseInstanceOf(ShedException.class);
    assertThat(server.received).as("4 x 1 + 1 x 2 requests").hasSize(6);
    assertThat(events.stream().filter(e -> e.equals("budget spent"))).hasSize(5);
  }

  @Test
  void theBreakerOpensOnFailuresAndFailsFastWithoutARequest() throws Exception {
    server = new ScriptedServer(n -> Reply.shed(503, "queue_full", null));
    SpillwayClient client = client()
        .maxAttempts(1)
        .circuitBreaker(
            new CircuitBreaker.Settings(0.5, 5, Duration.ofSeconds(10), Duration.ofSeconds(30), 1))
        .build();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> client.publish("c", MESSAGE)).isInstanceOf(ShedException.class);
    }
    assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThatThrownBy(() -> client.publish("c", MESSAGE))
        .isInstanceOfSatisfying(
            LocalRejectionException.class,
            e -> assertThat(e.reason()).isEqualTo(LocalRejectionException.Reason.CIRCUIT_OPEN));
    assertThat(server.received).hasSize(5);
    assertThat(events).contains("CLOSED->OPEN", "rejected CIRCUIT_OPEN");
  }

  @Test
  void anAsyncCallCompletesWithTheReceivers() throws Exception {
    server = new ScriptedServer(n -> Reply.ok(7));
    assertThat(client().build().publishAsync("a b/c", MESSAGE).get()).isEqualTo(7);
    assertThat(server.received.get(0).path()).isEqualTo("/v1/publish/a%20b%2Fc");
  }
}
