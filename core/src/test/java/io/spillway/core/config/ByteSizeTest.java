package io.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ByteSizeTest {

  @Test
  void parsesRedisStyleUnits() {
    assertThat(ByteSize.parse("65536").toBytes()).isEqualTo(65_536);
    assertThat(ByteSize.parse("64kb").toBytes()).isEqualTo(65_536);
    assertThat(ByteSize.parse("64KiB").toBytes()).isEqualTo(65_536);
    assertThat(ByteSize.parse("64k").toBytes()).isEqualTo(64_000);
    assertThat(ByteSize.parse("1mb").toBytes()).isEqualTo(1_048_576);
    assertThat(ByteSize.parse(" 2 GB ").toBytes()).isEqualTo(2L << 30);
  }

  @Test
  void rejectsGarbageNamingIt() {
    assertThatThrownBy(() -> ByteSize.parse("12 parsecs")).hasMessageContaining("'12 parsecs'");
    assertThatThrownBy(() -> ByteSize.parse("-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSize.parse("99999999999999999gb"))
        .hasMessageContaining("too large");
  }

  @Test
  void printsExactly() {
    assertThat(ByteSize.ofBytes(52_428)).hasToString("52428B");
    assertThat(ByteSize.ofKibibytes(64)).hasToString("64KiB");
    assertThat(ByteSize.parse(ByteSize.ofMebibytes(3).toString()))
        .isEqualTo(ByteSize.ofMebibytes(3));
  }

  @Test
  void durationsParseAndFormat() {
    assertThat(DurationParser.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationParser.parse("5")).isEqualTo(Duration.ofSeconds(5));
    assertThat(DurationParser.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationParser.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThatThrownBy(() -> DurationParser.parse("soon")).hasMessageContaining("'soon'");
  }
}
