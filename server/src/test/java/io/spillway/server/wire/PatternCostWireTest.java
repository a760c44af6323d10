package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Regression for "one client's patterns stall its whole event loop": a client may hold at most
 * max-pattern-bytes-per-client of patterns, and with that many pathological ones a publish to a long channel still
 * returns at once.
 */
class PatternCostWireTest {

  @Test
  void patternsPastTheClientsBoundAreRefusedAndAPublishStaysFastWithThoseItHolds()
      throws Exception {
    try (TestServer server = TestServer.start();
        RawRespClient hog = RawRespClient.connect(server.port());
        RawRespClient publisher = RawRespClient.connect(server.port())) {
      String refusal = null;
      int held = 0;
      for (int i = 0; i < 100 && refusal == null; i++) {
        String reply = hog.call("PSUBSCRIBE", "*" + "a".repeat(1000) + "b" + i);
        if (reply.startsWith("-")) {
          refusal = reply;
        } else {
          held++;
        }
      }
      assertThat(refusal)
          .startsWith("-ERR subscribing would exceed max-pattern-bytes-per-client (65536 bytes");
      assertThat(held).isBetween(60, 65);
      String channel = "a".repeat(1000);
      long worst = 0;
      for (int i = 0; i < 50; i++) {
        long start = System.nanoTime();
        assertThat(publisher.call("PUBLISH", channel, "x")).isEqualTo(":0\r\n");
        worst = Math.max(worst, System.nanoTime() - start);
      }
      // Each pattern is matched in time linear in channel x pattern length, and this one fails at
      // its anchored end.
      assertThat(worst / 1_000_000).as("slowest publish, ms").isLessThan(200);
    }
  }

  /**
   * Patterns that no index narrows (a segment searched for between two stars) cost max-channel-length per byte of
   * that segment on every publish; past max-pattern-match-cost, server-wide, PSUBSCRIBE is refused, and a publish
   * that tests all those admitted stays within the printed bound.
   */
  @Test
  void floatingPatternsPastTheServersMatchCostAreRefused() throws Exception {
    try (TestServer server = TestServer.start();
        RawRespClient hog = RawRespClient.connect(server.port());
        RawRespClient other = RawRespClient.connect(server.port());
        RawRespClient publisher = RawRespClient.connect(server.port())) {
      // "*b" + "a" x 500 + "N*": 1 + 502 x 1024 comparisons; three fit the default 2 000 000
      for (int i = 0; i < 3; i++) {
        assertThat(hog.call("PSUBSCRIBE", "*b" + "a".repeat(500) + i + "*")).startsWith("*3");
      }
      String refusal = other.call("PSUBSCRIBE", "*b" + "a".repeat(500) + "x*");
      assertThat(refusal)
          .startsWith(
              "-ERR subscribing would exceed max-pattern-match-cost (2000000 byte comparisons");
      assertThat(other.call("PSUBSCRIBE", "*b" + "a".repeat(500) + "0*"))
          .as("a pattern someone holds already adds no cost")
          .startsWith("*3");
      assertThat(other.call("PSUBSCRIBE", "news.*"))
          .as("indexed patterns cost 1")
          .startsWith("*3");
      assertThat(publisher.call("INFO", "memory"))
          .contains("pattern_match_cost:" + (3 * 514_049 + 1) + "\r\n")
          .contains("max_pattern_match_cost:2000000\r\n");
      String channel = "a".repeat(1024);
      long worst = 0;
      for (int i = 0; i < 50; i++) {
        long start = System.nanoTime();
        assertThat(publisher.call("PUBLISH", channel, "x")).isEqualTo(":0\r\n");
        worst = Math.max(worst, System.nanoTime() - start);
      }
      assertThat(worst / 1_000_000).as("slowest publish, ms").isLessThan(200);
    }
  }
}
