package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void carriesNodeSequenceAndPayloadUnchanged() {
    byte[] payload = {0, 1, (byte) 0xFF, 'x'};
    byte[] e = Envelope.wrap(-42L, Long.MAX_VALUE - 1, payload);
    assertThat(e).hasSize(Envelope.HEADER_BYTES + payload.length);
    assertThat(Envelope.isEnvelope(e)).isTrue();
    assertThat(Envelope.node(e)).isEqualTo(-42L);
    assertThat(Envelope.seq(e)).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(Envelope.payload(e)).containsExactly(payload);
  }

  @Test
  void emptyPayloadFits() {
    byte[] e = Envelope.wrap(1, 2, new byte[0]);
    assertThat(Envelope.isEnvelope(e)).isTrue();
    assertThat(Envelope.payload(e)).isEmpty();
  }

  @Test
  void textPublishedOnRedisDirectlyIsNotAnEnvelope() {
    assertThat(Envelope.isEnvelope(
            "hello, this is a long enough text".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(Envelope.isEnvelope(new byte[3])).isFalse();
  }

  @Test
  void gapMarkerIsAnEnvelopeWithoutPayload() {
    byte[] g = Envelope.gap(9, 10);
    assertThat(Envelope.isEnvelope(g)).isTrue();
    assertThat(Envelope.isGap(g)).isTrue();
    assertThat(Envelope.node(g)).isEqualTo(9);
    assertThat(Envelope.seq(g)).isEqualTo(10);
    assertThat(Envelope.isGap(Envelope.wrap(9, 11, new byte[] {1}))).isFalse();
  }
}
