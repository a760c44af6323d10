package io.spillway.bench.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.bench.endpoint.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdScopeTest {

  private final TargetScope one = new TargetScope(List.of(new TargetScope.Member("A", "spillway")));
  private final TargetScope two = new TargetScope(
      List.of(new TargetScope.Member("A", "redis"), new TargetScope.Member("B", "spillway")));

  @Test
  void unqualifiedNameRefersToTheOnlyTarget() {
    assertThat(one.resolve("lost")).isEqualTo(new TargetScope.Resolved("A", "lost"));
  }

  @Test
  void qualifiedNameWorksWithOneTargetToo() {
    assertThat(one.resolve("spillway.lost")).isEqualTo(new TargetScope.Resolved("A", "lost"));
    assertThat(one.resolve("A.lost")).isEqualTo(new TargetScope.Resolved("A", "lost"));
  }

  @Test
  void qualifiesByLabelOrByTargetNameWithTwoTargets() {
    assertThat(two.resolve("spillway.delivered_per_s"))
        .isEqualTo(new TargetScope.Resolved("B", "delivered_per_s"));
    assertThat(two.resolve("redis.lost")).isEqualTo(new TargetScope.Resolved("A", "lost"));
    assertThat(two.resolve("B.lost")).isEqualTo(new TargetScope.Resolved("B", "lost"));
  }

  @Test
  void ratioQualifierRefersToBOverA() {
    assertThat(two.resolve("ratio.delivered_per_s"))
        .isEqualTo(new TargetScope.Resolved(null, "delivered_per_s"));
    assertThatThrownBy(() -> one.resolve("ratio.lost"))
        .hasMessageContaining("ratios B/A need --compare");
  }

  @Test
  void refusesAnUnqualifiedNameWithTwoTargetsNamingTheCandidates() {
    assertThatThrownBy(() -> two.resolve("lost"))
        .hasMessage(
            "'lost' is ambiguous with two targets: write A.lost, B.lost, redis.lost, spillway.lost, "
                + "ratio.lost");
  }

  @Test
  void refusesAnUnknownQualifier() {
    assertThatThrownBy(() -> two.resolve("redsi.lost"))
        .hasMessageContaining("no target is called 'redsi'")
        .hasMessageContaining("redis.lost");
  }

  @Test
  void refusesALabelSharedByBothTargets() {
    TargetScope same = new TargetScope(
        List.of(new TargetScope.Member("A", "x"), new TargetScope.Member("B", "x")));

    assertThatThrownBy(() -> same.resolve("x.lost")).hasMessageContaining("write A.lost or B.lost");
  }

  @Test
  void keepsDotsOfALabelInTheQualifier() {
    TargetScope dotted = new TargetScope(List.of(new TargetScope.Member("A", "redis.7")));

    assertThat(dotted.resolve("redis.7.lost")).isEqualTo(new TargetScope.Resolved("A", "lost"));
  }

  @Test
  void checksQualifiersAgainstTheCommandLineTargetsBeforeTheRun() {
    List<Target> targets = List.of(
        Target.parse("resp://127.0.0.1:1#redis"), Target.parse("resp://127.0.0.1:2#spillway"));

    assertThat(Thresholds.parse(List.of("spillway.lost==0 && ratio.delivered_per_s>=1"), targets))
        .isNotNull();
    assertThatThrownBy(() -> Thresholds.parse(List.of("lost==0"), targets))
        .hasMessageStartingWith("--assert 'lost==0': 'lost' is ambiguous");
    assertThatThrownBy(
            () -> Thresholds.parse(List.of("lost==0", "lost=0"), List.of(targets.get(0))))
        .isInstanceOf(ThresholdSyntaxException.class);
  }
}
