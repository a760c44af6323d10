package io.spillway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.server.config.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up line that prints each channel policy with the bound it keeps. */
class ChannelPoliciesLineTest {

  @Test
  void theDefaultAloneIsTheSeedsTwoTierPolicyWithItsLimits() {
    assertThat(SpillwayServer.channelPoliciesLine(ServerConfig.builder().build()))
        .isEqualTo(
            "channel policies (the first whose pattern matches wins): *=disconnect (cut at 65536"
                + " bytes queued, or above 52428 for 5s), the default; all outboxes together at most"
                + " 67108864 bytes (max-output-memory)");
  }

  @Test
  void eachConfiguredPolicyComesInMatchOrderWithItsBoundThenTheDefault() {
    String line = SpillwayServer.channelPoliciesLine(ServerConfig.builder()
        .channelPolicies(List.of(
            ChannelPolicy.parse("orders=block,max-block=2s"),
            ChannelPolicy.parse("prices.*=conflate")))
        .build());
    assertThat(line)
        .contains(
            "orders=block (publishers paused while a subscriber is above its soft limit or 65536"
                + " bytes are in flight to an event loop; the subscriber holding it back cut after"
                + " max-block 2s; a subscriber holds at most 131072 bytes)")
        .contains(
            "; prices.*=conflate (drops within 65536 bytes per subscriber, told in gap notices)")
        .contains("; *=disconnect (cut at 65536 bytes queued, or above 52428 for 5s), the default");
    assertThat(line.indexOf("orders=")).isLessThan(line.indexOf("prices.*="));
  }

  @Test
  void aConfiguredCatchAllReplacesTheDefault() {
    String line = SpillwayServer.channelPoliciesLine(ServerConfig.builder()
        .channelPolicies(List.of(ChannelPolicy.parse("*=drop-oldest")))
        .build());
    assertThat(line).contains("*=drop-oldest (drops within").doesNotContain("disconnect");
  }
}
