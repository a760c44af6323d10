package io.spillway.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The chaos pattern client's patterns fit Spillway's per-client bound, so the server holds and matches them. */
class ChaosPatternsTest {

  @Test
  void thousandPatternsFitTheDefaultPerClientBound() {
    long bytes = 0;
    for (int i = 0; i < 1000; i++) {
      bytes += RespHostiles.pattern(i, 1000).length();
    }
    assertThat(bytes).isLessThanOrEqualTo(RespHostiles.PATTERN_BYTES);
  }

  @Test
  void fewPatternsKeepIssue11sThousandBytes() {
    assertThat(RespHostiles.pattern(0, 20)).isEqualTo("*" + "a".repeat(1000) + "b0");
    assertThat(RespHostiles.pattern(1, 20)).isEqualTo("a".repeat(1000) + "*b1");
  }
}
