package io.spillway.bench.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.bench.assertion.Condition.And;
import io.spillway.bench.assertion.Condition.Comparison;
import io.spillway.bench.assertion.Condition.Literal;
import io.spillway.bench.assertion.Condition.MetricName;
import io.spillway.bench.assertion.Condition.Not;
import io.spillway.bench.assertion.Condition.Operator;
import io.spillway.bench.assertion.Condition.Or;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdParserTest {

  @Test
  void bindsAndTighterThanOr() {
    assertThat(ThresholdParser.parse("a==1 || b==2 && c==3"))
        .isEqualTo(new Or(
            cmp("a", Operator.EQ, 1), new And(cmp("b", Operator.EQ, 2), cmp("c", Operator.EQ, 3))));
  }

  @Test
  void evaluatesOrOverAndAsGrouped() {
    Threshold t = Threshold.parse("a==1 || b==2 && c==3");

    assertThat(t.test(Map.of("a", 1.0, "b", 0.0, "c", 0.0))).isTrue();
    assertThat(t.test(Map.of("a", 0.0, "b", 2.0, "c", 0.0))).isFalse();
    assertThat(t.test(Map.of("a", 0.0, "b", 2.0, "c", 3.0))).isTrue();
  }

  @Test
  void groupsLeftToRightWithinOneLevel() {
    assertThat(ThresholdParser.parse("a<1 && b<2 && c<3"))
        .isEqualTo(new And(
            new And(cmp("a", Operator.LT, 1), cmp("b", Operator.LT, 2)), cmp("c", Operator.LT, 3)));
  }

  @Test
  void parenthesesOverridePrecedence() {
    assertThat(ThresholdParser.parse("(a==1 || b==2) && c==3"))
        .isEqualTo(new And(
            new Or(cmp("a", Operator.EQ, 1), cmp("b", Operator.EQ, 2)), cmp("c", Operator.EQ, 3)));
    assertThat(Threshold.parse("(a==1 || b==2) && c==3").test(Map.of("a", 1.0, "b", 0.0, "c", 0.0)))
        .isFalse();
  }

  @Test
  void notAppliesToTheNextComparisonOrGroup() {
    assertThat(ThresholdParser.parse("!a==1 && b==2"))
        .isEqualTo(new And(new Not(cmp("a", Operator.EQ, 1)), cmp("b", Operator.EQ, 2)));
    assertThat(ThresholdParser.parse("!(a==1 && b==2)"))
        .isEqualTo(new Not(new And(cmp("a", Operator.EQ, 1), cmp("b", Operator.EQ, 2))));
    assertThat(ThresholdParser.parse("!!a==1"))
        .isEqualTo(new Not(new Not(cmp("a", Operator.EQ, 1))));
    assertThat(Threshold.parse("!(lost > 0)").test(Map.of("lost", 0.0))).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "x==2, true", "x==3, false",
    "x!=3, true", "x!=2, false",
    "x<3, true", "x<2, false",
    "x<=2, true", "x<=1.5, false",
    "x>1, true", "x>2, false",
    "x>=2, true", "x>=2.5, false",
    "2==x, true", "1<x, true"
  })
  void comparesWithEveryOperator(String expression, boolean expected) {
    assertThat(Threshold.parse(expression).test(Map.of("x", 2.0))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "42, 42",
    "8.61, 8.61",
    "5., 5",
    ".5, 0.5",
    "1e3, 1000",
    "2.5E-3, 0.0025",
    "1e+6, 1000000",
    "-3, -3",
    "007, 7"
  })
  void readsDecimalNumbersWithFractionAndExponent(String number, double value) {
    assertThat(ThresholdParser.parse("x==" + number)).isEqualTo(cmp("x", Operator.EQ, value));
  }

  @Test
  void readsDottedNamesAndIgnoresSpaces() {
    assertThat(ThresholdParser.parse("  spillway.delivered_per_s\t>=  1e6 "))
        .isEqualTo(new Comparison(
            new MetricName("spillway.delivered_per_s"), Operator.GE, new Literal(1e6)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "lost = 0|6|expected an operator (==, !=, <, <=, >, >=; '=' alone is not one)",
        "lost 0|6|expected an operator",
        "lost==|7|expected a metric name, a number, '!' or '('",
        "|1|expected a metric name, a number, '!' or '('",
        "lost==0 & a==1|9|expected '&&' or '||'",
        "lost==0 a==1|9|expected '&&', '||' or the end",
        "(lost==0|9|expected ')'",
        "lost==0)|8|expected '&&', '||' or the end",
        "latency_p99_ms<=5ms|18|numbers take no unit",
        "x==1e|6|expected the exponent's digits",
        "x==.|4|expected a number",
        "x==-|4|expected a number",
        "a..b==1|3|expected a name after '.'",
        "a.==1|3|expected a name after '.'",
        "x==1 && !=2|9|expected a metric name, a number, '!' or '('"
      })
  void pointsAtTheColumnOfASyntaxError(String expression, int column, String expected) {
    String text = expression == null ? "" : expression;

    assertThatThrownBy(() -> ThresholdParser.parse(text))
        .isInstanceOfSatisfying(
            ThresholdSyntaxException.class, e -> assertThat(e.column()).isEqualTo(column))
        .hasMessageContaining(expected)
        .hasMessageEndingWith("at column " + column + " in '" + text + "'")
        .hasMessageStartingWith("--assert: ");
  }

  @Test
  void namesTheColumnInTheMessage() {
    assertThatThrownBy(() -> ThresholdParser.parse("lost = 0"))
        .hasMessage(
            "--assert: expected an operator (==, !=, <, <=, >, >=; '=' alone is not one) at column 6 in "
                + "'lost = 0'");
  }

  @Test
  void listsReferencedNamesOnceInReadingOrder() {
    assertThat(Threshold.parse("b<1 || a>2 && b!=0 && 3<c").metricNames())
        .containsExactly("b", "a", "c");
  }

  private static Comparison cmp(String name, Operator op, double value) {
    return new Comparison(new MetricName(name), op, new Literal(value));
  }
}
