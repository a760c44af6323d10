package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.config.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Regression for "subscriptions exhaust the heap, and the server never recovers": clients subscribing to many long
 * channel names are refused once the server-wide subscription state budget is full; the server keeps answering,
 * and the memory comes back when they leave.
 */
class SubscriptionBudgetWireTest {

  private static final Pattern FIELD = Pattern.compile("subscription_memory_bytes:(\\d+)");

  private static long subscriptionMemory(RawRespClient c) throws Exception {
    Matcher m = FIELD.matcher(c.call("INFO", "memory"));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void subscriptionsThatWouldFillTheHeapAreRefusedPastTheBudgetAndTheServerKeepsAnswering()
      throws Exception {
    long budget = ByteSize.ofMebibytes(1).toBytes();
    try (TestServer server =
            TestServer.start(b -> b.maxSubscriptionMemory(ByteSize.ofMebibytes(1)));
        RawRespClient admin = RawRespClient.connect(server.port())) {
      List<RawRespClient> hogs = new ArrayList<>();
      String refusal = null;
      int accepted = 0;
      String name = "c".repeat(1000);
      for (int client = 0; client < 4 && refusal == null; client++) {
        RawRespClient hog = RawRespClient.connect(server.port());
        hogs.add(hog);
        for (int batch = 0; batch < 100 && refusal == null; batch++) {
          String[] args = new String[11];
          args[0] = "SUBSCRIBE";
          for (int i = 1; i <= 10; i++) {
            args[i] = name + "-" + client + "-" + batch + "-" + i;
          }
          hog.command(args);
          String first = hog.readReply();
          if (first.startsWith("-")) {
            refusal = first;
          } else {
            for (int i = 1; i < 10; i++) {
              hog.readReply();
            }
            accepted += 10;
          }
        }
      }
      assertThat(refusal)
          .as("refused once the budget is full")
          .startsWith("-ERR subscribing would exceed max-subscription-memory (1048576 bytes");
      assertThat(accepted).isPositive();
      assertThat(subscriptionMemory(admin)).isLessThanOrEqualTo(budget);
      assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
      for (RawRespClient hog : hogs) {
        hog.close();
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> subscriptionMemory(admin) == 0);
    }
  }
}
