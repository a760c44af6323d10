package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class PriorityTest {

  @Test
  void parsesNamesIgnoringCaseAndSurroundingBlanks() {
    assertThat(Priority.parse("critical")).isEqualTo(Priority.CRITICAL);
    assertThat(Priority.parse(" Normal ")).isEqualTo(Priority.NORMAL);
    assertThat(Priority.parse("SHEDDABLE")).isEqualTo(Priority.SHEDDABLE);
  }

  @Test
  void rejectsAnUnknownNameListingTheAllowedValues() {
    assertThatThrownBy(() -> Priority.parse("urgent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'urgent'")
        .hasMessageContaining("critical, normal, sheddable");
    assertThatThrownBy(() -> Priority.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shedReasonLabelsAreTheLowerCaseNames() {
    assertThat(ShedReason.QUEUE_FULL.label()).isEqualTo("queue_full");
    assertThat(ShedReason.CONCURRENCY_LIMIT.label()).isEqualTo("concurrency_limit");
    for (ShedReason r : ShedReason.values()) {
      assertThat(r.label()).isEqualTo(r.name().toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void limitAlgorithmParsesNamesAndRejectsOthersListingTheAllowedValues() {
    assertThat(LimitAlgorithm.parse("gradient2")).isEqualTo(LimitAlgorithm.GRADIENT2);
    assertThat(LimitAlgorithm.parse("Aimd")).isEqualTo(LimitAlgorithm.AIMD);
    assertThat(LimitAlgorithm.NONE.adaptive()).isFalse();
    assertThat(LimitAlgorithm.VEGAS.adaptive()).isTrue();
    assertThatThrownBy(() -> LimitAlgorithm.parse("gradient"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none, gradient2, vegas, aimd");
  }
}
