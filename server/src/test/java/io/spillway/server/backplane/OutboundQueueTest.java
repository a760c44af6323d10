package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  @Test
  void refusesAndCountsWhatWouldPassTheBoundUntilRedisAnswers() {
    byte[] channel = new byte[10];
    byte[] payload = new byte[70];
    long size = OutboundQueue.sizeOf(channel, payload);
    OutboundQueue q = new OutboundQueue(size * 2);
    assertThat(q.offer(channel, payload)).isTrue();
    assertThat(q.offer(channel, payload)).isTrue();
    assertThat(q.offer(channel, payload)).isFalse();
    assertThat(q.droppedFull()).isEqualTo(1);
    assertThat(q.bytes()).isEqualTo(size * 2);

    OutboundQueue.Entry first = q.poll();
    assertThat(first.payload).isSameAs(payload);
    // Sent but not answered: it still counts.
    assertThat(q.offer(channel, payload)).isFalse();
    q.done(first.bytes);
    assertThat(q.offer(channel, payload)).isTrue();
    assertThat(q.droppedFull()).isEqualTo(2);
  }
}
