package io.spillway.bench.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PayloadHeaderTest {

  @Test
  void readsBackWhatWasWrittenAtAnyOffset() {
    ByteBuf buf = Unpooled.buffer();
    try {
      buf.writeBytes(new byte[13]);
      PayloadHeader.write(buf, 7, 3, 123_456_789_012L, -42L);
      buf.writeBytes(new byte[100]);

      assertThat(buf.writerIndex()).isEqualTo(13 + PayloadHeader.LENGTH + 100);
      assertThat(PayloadHeader.isBench(buf, 13, PayloadHeader.LENGTH + 100)).isTrue();
      assertThat(PayloadHeader.publisher(buf, 13)).isEqualTo(7);
      assertThat(PayloadHeader.channel(buf, 13)).isEqualTo(3);
      assertThat(PayloadHeader.sequence(buf, 13)).isEqualTo(123_456_789_012L);
      assertThat(PayloadHeader.sentNanos(buf, 13)).isEqualTo(-42L);
    } finally {
      buf.release();
    }
  }

  @Test
  void recognisesOnlyPayloadsWithTheMagicAndRoomForTheHeader() {
    ByteBuf buf = Unpooled.buffer();
    try {
      PayloadHeader.write(buf, 0, 0, 0, 0);
      assertThat(PayloadHeader.isBench(buf, 0, PayloadHeader.LENGTH - 1)).isFalse();
      buf.setByte(0, 'X');
      assertThat(PayloadHeader.isBench(buf, 0, PayloadHeader.LENGTH)).isFalse();
    } finally {
      buf.release();
    }
  }
}
