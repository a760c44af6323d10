package io.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpellingTest {

  @Test
  void countsInsertionsDeletionsAndSubstitutions() {
    assertThat(Spelling.distance("port", "port")).isZero();
    assertThat(Spelling.distance("prot", "port")).isEqualTo(2);
    assertThat(Spelling.distance("max-client", "max-clients")).isEqualTo(1);
    assertThat(Spelling.distance("", "abc")).isEqualTo(3);
    assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
  }
}
