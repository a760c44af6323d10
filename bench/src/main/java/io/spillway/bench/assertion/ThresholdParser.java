package io.spillway.bench.assertion;

import io.spillway.bench.assertion.Condition.Operator;

/**
 * Parses one {@code --assert} expression by recursive descent. Single use, one thread.
 *
 * <pre>
 * expr    := or
 * or      := and ('||' and)*
 * and     := not ('&amp;&amp;' not)*
 * not     := '!' not | '(' expr ')' | cmp
 * cmp     := operand OP operand          OP := == | != | &lt; | &lt;= | &gt; | &gt;=
 * operand := number | name
 * number  := '-'? (digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?
 * name    := [a-zA-Z_] [a-zA-Z0-9_.]*    (no '..', no trailing '.')
 * </pre>
 *
 * Spaces are allowed between tokens.
 */
final class ThresholdParser {

  private final String text;
  private int pos;

  private ThresholdParser(String text) {
    this.text = text;
  }

  /**
   * Parses {@code text}.
   *
   * @throws ThresholdSyntaxException naming what was expected and the column where it was not found
   */
  static Condition parse(String text) {
    ThresholdParser p = new ThresholdParser(text);
    Condition c = p.or();
    p.skipSpaces();
    if (!p.atEnd()) {
      throw p.error(
          p.peek() == '&' || p.peek() == '|'
              ? "expected '&&' or '||'"
              : "expected '&&', '||' or the end");
    }
    return c;
  }

  private Condition or() {
    Condition left = and();
    while (skipSpaces() && text.startsWith("||", pos)) {
      pos += 2;
      left = new Condition.Or(left, and());
    }
    return left;
  }

  private Condition and() {
    Condition left = not();
    while (skipSpaces() && text.startsWith("&&", pos)) {
      pos += 2;
      left = new Condition.And(left, not());
    }
    return left;
  }

  private Condition not() {
    skipSpaces();
    if (peek() == '!' && !text.startsWith("!=", pos)) {
      pos++;
      return new Condition.Not(not());
    }
    if (peek() == '(') {
      pos++;
      Condition inner = or();
      skipSpaces();
      if (peek() != ')') {
        throw error("expected ')'");
      }
      pos++;
      return inner;
    }
    return comparison();
  }

  private Condition comparison() {
    Condition.Operand left = operand();
    skipSpaces();
    for (Operator op : Operator.values()) {
      if (text.startsWith(op.symbol, pos)) {
        pos += op.symbol.length();
        return new Condition.Comparison(left, op, operand());
      }
    }
    throw error(
        peek() == '='
            ? "expected an operator (==, !=, <, <=, >, >=; '=' alone is not one)"
            : "expected an operator (==, !=, <, <=, >, >=)");
  }

  private Condition.Operand operand() {
    skipSpaces();
    char c = peek();
    if (isNameStart(c)) {
      return name();
    }
    if (isDigit(c) || c == '.' || c == '-') {
      return number();
    }
    throw error("expected a metric name, a number, '!' or '('");
  }

  private Condition.Operand name() {
    int start = pos;
    while (!atEnd() && (isNameStart(peek()) || isDigit(peek()) || peek() == '.')) {
      if (peek() == '.' && (text.startsWith("..", pos) || !continuesName(pos + 1))) {
        throw error("expected a name after '.'", pos + 1);
      }
      pos++;
    }
    return new Condition.MetricName(text.substring(start, pos));
  }

  private boolean continuesName(int at) {
    return at < text.length() && (isNameStart(text.charAt(at)) || isDigit(text.charAt(at)));
  }

  private Condition.Operand number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = digits();
    if (peek() == '.') {
      pos++;
      digits += digits();
    }
    if (digits == 0) {
      throw error("expected a number", start);
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (digits() == 0) {
        throw error("expected the exponent's digits");
      }
    }
    String number = text.substring(start, pos);
    if (isNameStart(peek())) {
      throw error(
          "expected an operator or the end after the number " + number + " (numbers take no unit)");
    }
    return new Condition.Literal(Double.parseDouble(number));
  }

  private int digits() {
    int start = pos;
    while (isDigit(peek())) {
      pos++;
    }
    return pos - start;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  /** Skips spaces; always true, so that it can lead a loop condition. */
  private boolean skipSpaces() {
    while (!atEnd() && Character.isWhitespace(peek())) {
      pos++;
    }
    return true;
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  /** The current character, or {@code '\0'} at the end. */
  private char peek() {
    return atEnd() ? '\0' : text.charAt(pos);
  }

  private ThresholdSyntaxException error(String expected) {
    return error(expected, pos);
  }

  private ThresholdSyntaxException error(String expected, int at) {
    return new ThresholdSyntaxException(expected, at + 1, text);
  }
}
