package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyChannelsTest {

  @Test
  void printsTheServerFlagsThatGiveEachChannelItsStrategy() {
    StrategyChannels s = StrategyChannels.parse(List.of("drop-oldest", "block,max-block=30s"));

    assertThat(s.serverFlags())
        .isEqualTo(
            "--channel-policies 'slow.drop-oldest.*=drop-oldest;slow.block.*=block,max-block=30s'");
    assertThat(StrategyChannels.channel(s.policies().get(1), "ab12")).isEqualTo("slow.block.ab12");
  }

  @Test
  void allMeansEveryStrategy() {
    assertThat(StrategyChannels.parse(List.of("all")).policies())
        .extracting(p -> p.strategy().label())
        .containsExactly("disconnect", "drop-oldest", "drop-newest", "conflate", "block");
  }

  @Test
  void rejectsAnUnknownStrategyAndOneGivenTwice() {
    assertThatThrownBy(() -> StrategyChannels.parse(List.of("drop-middle")))
        .hasMessageContaining("--channel-policy 'drop-middle'");
    assertThatThrownBy(() -> StrategyChannels.parse(List.of("block", "block,max-block=1s")))
        .hasMessageContaining("more than once");
  }

  @Test
  void acceptsAServerWhoseFirstMatchingEntryGivesTheStrategy() {
    StrategyChannels s =
        StrategyChannels.parse(List.of("disconnect", "conflate", "block,max-block=2s"));

    assertThat(s.mismatch("slow.conflate.*=conflate;slow.block.*=block,max-block=2s", "t1"))
        .isNull();
    assertThat(s.mismatch(
            "slow.c[o]nflate.*=conflate;slow.bl?ck.*=block,max-block=2s;*=disconnect", "t1"))
        .isNull();
  }

  @Test
  void namesTheChannelThatGetsAnotherStrategyAndTheFlagsToUse() {
    StrategyChannels s = StrategyChannels.parse(List.of("conflate", "block"));

    assertThat(s.mismatch("*=drop-newest", "t1"))
        .contains("slow.conflate.t1 gets drop-newest (from *=drop-newest), not conflate")
        .contains(
            "Start Spillway with --channel-policies 'slow.conflate.*=conflate;slow.block.*=block'");
    assertThat(s.mismatch("slow.conflate.*=conflate;slow.block.*=block,max-block=1s", "t1"))
        .contains("slow.block.t1 gets block,max-block=1s");
    assertThat(s.mismatch("", "t1")).contains("slow.conflate.t1 gets disconnect");
    assertThat(s.mismatch(null, "t1")).contains("does not know the setting channel-policies");
  }

  @Test
  void globFollowsRedisRules() {
    assertThat(StrategyChannels.Glob.matches("slow.*", "slow.block.x")).isTrue();
    assertThat(StrategyChannels.Glob.matches("slow.?", "slow.ab")).isFalse();
    assertThat(StrategyChannels.Glob.matches("[^a]x", "bx")).isTrue();
    assertThat(StrategyChannels.Glob.matches("[a-c]x", "dx")).isFalse();
    assertThat(StrategyChannels.Glob.matches("a\\*", "a*")).isTrue();
    assertThat(StrategyChannels.Glob.matches("a\\*", "ab")).isFalse();
  }
}
