package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RespRequestTest {

  @Test
  void lowercasesOnlyAsciiLettersOfTheName() {
    RespRequest request =
        new RespRequest(new byte[][] {{'P', 'u', 'B', '1', '_', (byte) 0xC9}}, false);

    assertThat(request.name()).isEqualTo("pub1_\u00c9").isSameAs(request.name());
  }

  @Test
  void returnsEveryByteOfAnArgumentInItsString() {
    byte[] binary = {0, '\r', (byte) 0x80, (byte) 0xFF};
    RespRequest request = new RespRequest(new byte[][] {{'E', 'C', 'H', 'O'}, binary}, false);

    assertThat(request.argString(1).getBytes(ISO_8859_1)).isEqualTo(binary);
    assertThat(request.size()).isEqualTo(2);
  }

  @Test
  void buildsRequestFromStrings() {
    RespRequest request = RespRequest.of("SUBSCRIBE", "news");

    assertThat(request.name()).isEqualTo("subscribe");
    assertThat(request.arg(1)).isEqualTo("news".getBytes(ISO_8859_1));
    assertThat(request.inline()).isFalse();
    assertThatThrownBy(RespRequest::of).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatesLongArgumentsInToString() {
    String text = RespRequest.of("PUBLISH", "ch", "x".repeat(1000)).toString();

    assertThat(text)
        .startsWith("RespRequest[PUBLISH, ch, xxx")
        .endsWith("...(1000 bytes)]")
        .hasSizeLessThan(120);
  }
}
