package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    AdmissionSettings s = AdmissionSettings.DEFAULT;
    assertThat(s.queueCapacity()).isEqualTo(256);
    assertThat(s.burstQueueCapacity()).isEqualTo(1024);
    assertThat(s.workers()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    assertThat(s.codelTarget()).isEqualTo(Duration.ofMillis(5));
    assertThat(s.codelInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(s.sheddableQueueShare()).isEqualTo(0.5);
    assertThat(s.normalQueueShare()).isEqualTo(0.9);
    assertThat(s.limitAlgorithm()).isEqualTo(LimitAlgorithm.NONE);
    assertThat(s.minLimit()).isEqualTo(1);
    assertThat(s.maxLimit()).isEqualTo(s.workers());
    assertThat(s.retryAfterMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.assumedServiceTime()).isEqualTo(Duration.ofMillis(10));
    assertThat(s.burstAllowance()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rejectsAnAssumedServiceTimeOutOfRange() {
    assertThatThrownBy(
            () -> AdmissionSettings.builder().assumedServiceTime(Duration.ZERO).build())
        .hasMessageContaining("assumed service time PT0S must be positive");
    assertThatThrownBy(() -> AdmissionSettings.builder()
            .assumedServiceTime(Duration.ofMinutes(2))
            .build())
        .hasMessageContaining("assumed service time PT2M is out of range (0, PT1M]");
    assertThatThrownBy(() ->
            AdmissionSettings.builder().burstAllowance(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("burst allowance PT-1S is out of range [PT0S, PT1H]");
  }

  @Test
  void maxLimitDefaultsToTheWorkersButMayBeSet() {
    assertThat(AdmissionSettings.builder().workers(7).build().maxLimit()).isEqualTo(7);
    assertThat(AdmissionSettings.builder().workers(7).maxLimit(50).build().maxLimit())
        .isEqualTo(50);
  }

  @Test
  void queueSharesRoundUpToWholeJobs() {
    AdmissionSettings s = AdmissionSettings.builder().queueCapacity(15).build();
    assertThat(s.admitBelow(Priority.SHEDDABLE)).isEqualTo(8);
    assertThat(s.admitBelow(Priority.NORMAL)).isEqualTo(14);
    assertThat(s.admitBelow(Priority.CRITICAL)).isEqualTo(15);
    AdmissionSettings one = AdmissionSettings.builder().queueCapacity(1).build();
    assertThat(one.admitBelow(Priority.SHEDDABLE)).isEqualTo(1);
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheSettingTheValueAndTheRange() {
    assertRejected(
        AdmissionSettings.builder().queueCapacity(0),
        "queue capacity 0 is out of range [1, 1048576]");
    assertRejected(
        AdmissionSettings.builder().workers(-2), "workers -2 is out of range [1, 10000]");
    assertRejected(
        AdmissionSettings.builder().codelTarget(Duration.ZERO),
        "codel target PT0S must be positive");
    assertRejected(
        AdmissionSettings.builder().codelTarget(Duration.ofSeconds(1)),
        "codel target PT1S is out of range (0, codel interval PT0.1S]");
    assertRejected(
        AdmissionSettings.builder().normalQueueShare(1.5),
        "normal queue share 1.5 is out of range (0, 1]");
    assertRejected(
        AdmissionSettings.builder().sheddableQueueShare(0.95),
        "sheddable queue share 0.95 is out of range (0, normal queue share 0.9]");
    assertRejected(
        AdmissionSettings.builder().sheddableQueueShare(Double.NaN), "sheddable queue share NaN");
    assertRejected(
        AdmissionSettings.builder().workers(4).minLimit(5), "min limit 5 is out of range [1, 4]");
    assertRejected(
        AdmissionSettings.builder().maxLimit(200_000),
        "max limit 200000 is out of range [1, 100000]");
    assertRejected(
        AdmissionSettings.builder().aimdTimeout(Duration.ofMillis(-1)), "aimd timeout PT-0.001S");
    assertRejected(
        AdmissionSettings.builder().retryAfterMax(Duration.ofMillis(500)),
        "retry after max PT0.5S is out of range [PT1S, PT1H]");
  }

  @Test
  void toBuilderKeepsEveryValue() {
    AdmissionSettings s = AdmissionSettings.builder()
        .queueCapacity(10)
        .workers(3)
        .codelTarget(Duration.ofMillis(2))
        .codelInterval(Duration.ofMillis(50))
        .sheddableQueueShare(0.3)
        .normalQueueShare(0.8)
        .limitAlgorithm(LimitAlgorithm.AIMD)
        .minLimit(2)
        .maxLimit(9)
        .aimdTimeout(Duration.ofMillis(300))
        .retryAfterMax(Duration.ofSeconds(5))
        .build();
    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(s.toString())
        .contains("limit-algorithm=aimd", "queue-capacity=10", "normal-queue-share=0.8");
  }

  private static void assertRejected(AdmissionSettings.Builder builder, String message) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
