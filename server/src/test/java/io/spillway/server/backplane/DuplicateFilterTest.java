package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

  @Test
  void secondCopyOfAMessageIsNotFirstSight() {
    DuplicateFilter f = new DuplicateFilter();
    assertThat(f.firstSight(7, 1)).isTrue();
    assertThat(f.firstSight(7, 1)).isFalse(); // the pmessage right after the message
    assertThat(f.firstSight(7, 2)).isTrue();
    assertThat(f.firstSight(8, 1)).isTrue(); // another server counts on its own
    assertThat(f.firstSight(7, 5))
        .isTrue(); // messages on channels this server does not hold are skipped over
    assertThat(f.firstSight(7, 4)).isFalse();
  }

  @Test
  void remembersABoundedNumberOfServers() {
    DuplicateFilter f = new DuplicateFilter();
    for (long node = 0; node < DuplicateFilter.MAX_NODES * 2L; node++) {
      f.firstSight(node, 1);
    }
    assertThat(f.size()).isEqualTo(DuplicateFilter.MAX_NODES);
  }
}
