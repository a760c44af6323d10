package io.spillway.bench.assertion;

import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code --assert} expression: comparisons of metrics and numbers joined by {@code ||}, {@code &&} and
 * {@code !}. Immutable.
 */
sealed interface Condition {

  /**
   * Evaluates this condition.
   *
   * @param values every metric name this condition references, as written, to its value
   */
  boolean test(Map<String, Double> values);

  /** Adds the metric names this condition references, as written, in reading order. */
  void collectNames(Set<String> into);

  /** {@code left || right}. */
  record Or(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(Map<String, Double> values) {
      return left.test(values) || right.test(values);
    }

    @Override
    public void collectNames(Set<String> into) {
      left.collectNames(into);
      right.collectNames(into);
    }
  }

  /** {@code left && right}. */
  record And(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(Map<String, Double> values) {
      return left.test(values) && right.test(values);
    }

    @Override
    public void collectNames(Set<String> into) {
      left.collectNames(into);
      right.collectNames(into);
    }
  }

  /** {@code !operand}. */
  record Not(Condition operand) implements Condition {
    @Override
    public boolean test(Map<String, Double> values) {
      return !operand.test(values);
    }

    @Override
    public void collectNames(Set<String> into) {
      operand.collectNames(into);
    }
  }

  /** {@code left OP right}. */
  record Comparison(Operand left, Operator operator, Operand right) implements Condition {
    @Override
    public boolean test(Map<String, Double> values) {
      return operator.test(left.value(values), right.value(values));
    }

    @Override
    public void collectNames(Set<String> into) {
      left.collectNames(into);
      right.collectNames(into);
    }
  }

  /** A side of a comparison: a number or a metric name. */
  sealed interface Operand {
    double value(Map<String, Double> values);

    void collectNames(Set<String> into);
  }

  /** A number written in the expression. */
  record Literal(double number) implements Operand {
    @Override
    public double value(Map<String, Double> values) {
      return number;
    }

    @Override
    public void collectNames(Set<String> into) {}
  }

  /** A metric name as written: {@code lost}, {@code spillway.delivered_per_s}, {@code ratio.lost}. */
  record MetricName(String name) implements Operand {
    @Override
    public double value(Map<String, Double> values) {
      Double v = values.get(name);
      if (v == null) {
        throw new IllegalStateException(
            "no value for " + name + " (names are resolved before evaluation)");
      }
      return v;
    }

    @Override
    public void collectNames(Set<String> into) {
      into.add(name);
    }
  }

  /** A comparison operator; {@code ==} and {@code !=} compare the doubles exactly. */
  enum Operator {
    EQ("=="),
    NE("!="),
    LE("<="),
    GE(">="),
    LT("<"),
    GT(">");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    boolean test(double a, double b) {
      switch (this) {
        case EQ:
          return a == b;
        case NE:
          return a != b;
        case LE:
          return a <= b;
        case GE:
          return a >= b;
        case LT:
          return a < b;
        default:
          return a > b;
      }
    }
  }
}
