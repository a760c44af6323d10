package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientBacklogTest {

  @Test
  void handsBackRequestsOldestFirst() {
    ClientBacklog b = new ClientBacklog(3);
    b.offer(10);
    b.offer(20);

    assertThat(b.poll()).isEqualTo(10);
    assertThat(b.peek()).isEqualTo(20);
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void refusesBeyondItsCapacityAndKeepsWhatItHeld() {
    ClientBacklog b = new ClientBacklog(2);

    assertThat(b.offer(1)).isTrue();
    assertThat(b.offer(2)).isTrue();
    assertThat(b.offer(3)).isFalse();
    assertThat(b.poll()).isEqualTo(1);
    assertThat(b.poll()).isEqualTo(2);
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void keepsOrderAcrossWrapAround() {
    ClientBacklog b = new ClientBacklog(3);
    for (long i = 0; i < 100; i++) {
      assertThat(b.offer(i)).isTrue();
      if (i % 2 == 1) {
        assertThat(b.poll()).isEqualTo(i - 1);
        assertThat(b.poll()).isEqualTo(i);
      }
    }
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void rejectsAnEmptyPollAndAZeroCapacity() {
    assertThatThrownBy(() -> new ClientBacklog(1).poll()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ClientBacklog(0)).hasMessageContaining("below 1");
  }
}
