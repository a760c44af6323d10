package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PercentDecodingTest {

  @Test
  void escapesBecomeTheirBytesNotCharacters() {
    assertThat(PercentDecoding.decode("%FF%FE", false)).containsExactly(0xFF, 0xFE);
    assertThat(PercentDecoding.decode("%C0%AF", false)).containsExactly(0xC0, 0xAF);
    assertThat(PercentDecoding.decode("a%2Fb", false)).containsExactly('a', '/', 'b');
  }

  @Test
  void plusIsASpaceOnlyInAQuery() {
    assertThat(PercentDecoding.decode("a+b", false)).containsExactly('a', '+', 'b');
    assertThat(PercentDecoding.decode("a+b", true)).containsExactly('a', ' ', 'b');
  }

  @Test
  void badEscapesAreErrorsNamingThem() {
    assertThatThrownBy(() -> PercentDecoding.decode("%G1", false)).hasMessageContaining("'%G1'");
    assertThatThrownBy(() -> PercentDecoding.decode("abc%", false))
        .hasMessageContaining("position 3");
    assertThatThrownBy(() -> PercentDecoding.decode("%4", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queryKeepsRepeatedParametersInOrder() {
    Map<String, List<byte[]>> q =
        PercentDecoding.query("channel=a&channel=%FF&access_token=t&flag");
    assertThat(q.get("channel")).hasSize(2);
    assertThat(q.get("channel").get(1)).containsExactly(0xFF);
    assertThat(q.get("flag").get(0)).isEmpty();
  }
}
