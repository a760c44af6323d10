package io.spillway.bench.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HtmlPercentileAxisTest {

  @Test
  void givesEachNineOneDecadeOfRoom() {
    assertThat(PercentileAxis.position(0)).isEqualTo(0.0);
    assertThat(PercentileAxis.position(50)).isCloseTo(Math.log10(2), within(1e-9));
    assertThat(PercentileAxis.position(90)).isCloseTo(1.0, within(1e-9));
    assertThat(PercentileAxis.position(99)).isCloseTo(2.0, within(1e-9));
    assertThat(PercentileAxis.position(99.9)).isCloseTo(3.0, within(1e-9));
    assertThat(PercentileAxis.position(99.99)).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void drawsTheMaximumOneDecadePast9999() {
    assertThat(PercentileAxis.position(100)).isEqualTo(PercentileAxis.MAX_POSITION);
    assertThat(PercentileAxis.percentileAt(PercentileAxis.MAX_POSITION)).isEqualTo(100.0);
  }

  @Test
  void mapsPositionsBackToTheirPercentiles() {
    for (double p : new double[] {0, 25, 50, 90, 99, 99.5, 99.9, 99.99}) {
      assertThat(PercentileAxis.percentileAt(PercentileAxis.position(p)))
          .isCloseTo(p, within(1e-9));
    }
  }

  @Test
  void ticksTheAxisAtTheUsualPercentilesInOrder() {
    ChartAxis axis = PercentileAxis.axis();

    assertThat(axis.ticks())
        .extracting(ChartAxis.Tick::label)
        .containsExactly("0", "50", "90", "99", "99.9", "99.99", "100");
    assertThat(axis.ticks()).extracting(ChartAxis.Tick::position).isSorted();
    assertThat(SvgFrame.x(axis, PercentileAxis.position(99)))
        .isGreaterThan(SvgFrame.x(axis, PercentileAxis.position(90)));
  }

  @Test
  void rejectsAPercentileOutside0To100() {
    assertThatThrownBy(() -> PercentileAxis.position(100.5)).hasMessageContaining("100.5");
    assertThatThrownBy(() -> PercentileAxis.position(-1)).hasMessageContaining("-1");
  }
}
