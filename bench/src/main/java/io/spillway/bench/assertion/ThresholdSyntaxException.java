package io.spillway.bench.assertion;

/**
 * An {@code --assert} expression that does not parse. The message names what was expected, the 1-based column
 * and the expression: {@code --assert: expected an operator at column 6 in 'lost = 0'}.
 */
final class ThresholdSyntaxException extends IllegalArgumentException {

  private final int column;

  ThresholdSyntaxException(String expected, int column, String text) {
    super("--assert: " + expected + " at column " + column + " in '" + text + "'");
    this.column = column;
  }

  /** The 1-based column where parsing stopped. */
  int column() {
    return column;
  }
}
