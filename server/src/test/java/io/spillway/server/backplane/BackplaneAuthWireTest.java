package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.SpillwayServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The backplane logs in to a Redis that asks for an ACL user and password; with a wrong one it stays down. */
class BackplaneAuthWireTest {

  private static SpillwayServer node(RedisProcess redis, String user, String password)
      throws Exception {
    return BackplaneNodes.start(
        BackplaneNodes.backplane(redis.uri(), Duration.ofMillis(200)).user(user).password(password),
        1,
        false);
  }

  @Test
  void logsInAsAnAclUserAndAWrongPasswordLeavesItDownWhileLocalTrafficGoesOn() throws Exception {
    try (RedisProcess redis = RedisProcess.launch("--requirepass", "adminpw")) {
      try (Jedis admin = redis.jedis()) {
        admin.auth("adminpw");
        admin.aclSetUser(
            "spillway", "on", ">s3cret", "resetchannels", "&*", "+@pubsub", "+ping", "+hello");
      }
      SpillwayServer good = node(redis, "spillway", "s3cret");
      SpillwayServer other = node(redis, "spillway", "s3cret");
      SpillwayServer bad = node(redis, "spillway", "wrong");
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> good.backplane().state().equals("up")
                && other.backplane().state().equals("up"));
        assertThat(bad.backplane().state()).isNotEqualTo("up");
        try (Recorder remote = Recorder.channels(other.port(), "acl");
            Recorder local = Recorder.channels(bad.port(), "acl");
            Jedis pub = new Jedis("127.0.0.1", good.port(), 5_000);
            Jedis pubBad = new Jedis("127.0.0.1", bad.port(), 5_000)) {
          await().atMost(Duration.ofSeconds(20)).until(() -> other.backplane().channels() == 1);
          Thread.sleep(200); // SUBSCRIBE reaches Redis after the count
          pub.publish("acl", "through-redis");
          pubBad.publish("acl", "local-only");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> remote.messages().contains("acl|through-redis")
                  && local.messages().contains("acl|local-only"));
        }
      } finally {
        good.close();
        other.close();
        bad.close();
      }
    }
  }
}
