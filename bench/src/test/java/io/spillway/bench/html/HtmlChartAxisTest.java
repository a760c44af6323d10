package io.spillway.bench.html;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlChartAxisTest {

  @Test
  void roundsTheLinearAxisUpToAStepOf125TimesAPowerOfTen() {
    ChartAxis axis = ChartAxis.linear("ms", 4.3);

    assertThat(axis.max()).isEqualTo(5.0);
    assertThat(axis.ticks())
        .extracting(ChartAxis.Tick::label)
        .containsExactly("0", "1", "2", "3", "4", "5");
  }

  @Test
  void labelsLargeTicksInThousandsAndMillions() {
    assertThat(ChartAxis.label(250_000)).isEqualTo("250k");
    assertThat(ChartAxis.label(1_500_000)).isEqualTo("1.5M");
    assertThat(ChartAxis.label(0.2)).isEqualTo("0.2");
  }

  @Test
  void givesAnEmptyRangeTheAxis0To1() {
    assertThat(ChartAxis.linear("ms", 0).max()).isEqualTo(1.0);
  }
}
