package io.spillway.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.config.ByteSize;
import io.spillway.core.outbox.OutboxLimits;
import org.junit.jupiter.api.Test;

class BrokerChunkSizeTest {

  private static OutboxLimits hard(ByteSize hard) {
    return OutboxLimits.DEFAULT.toBuilder()
        .hardLimit(hard)
        .softLimit(ByteSize.ofBytes(hard.toBytes() / 2))
        .build();
  }

  @Test
  void defaultLimitsKeepChunksAtAQuarterOfTheHardLimit() {
    assertThat(Broker.chunkBytesFor(OutboxLimits.DEFAULT)).isEqualTo(16 * 1024);
  }

  @Test
  void roomyLimitsGetChunksOfAtMost64KiB() {
    assertThat(Broker.chunkBytesFor(hard(ByteSize.ofMebibytes(32)))).isEqualTo(64 * 1024);
    assertThat(Broker.chunkBytesFor(hard(ByteSize.ofKibibytes(160)))).isEqualTo(40 * 1024);
  }

  @Test
  void tightLimitsStillGetChunksOf16KiB() {
    assertThat(Broker.chunkBytesFor(hard(ByteSize.ofKibibytes(20)))).isEqualTo(16 * 1024);
  }
}
