package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadScannerTest {

  private static String scan(String head) {
    RequestHeadScanner s = new RequestHeadScanner();
    for (byte b : head.getBytes(StandardCharsets.ISO_8859_1)) {
      s.scan(b);
    }
    return s.problem();
  }

  @Test
  void wellFormedHeadHasNoProblem() {
    assertThat(scan("GET / HTTP/1.1\r\nHost: x\r\nX-A: b c\r\n\r\n")).isNull();
  }

  @Test
  void leadingEmptyLinesAreSkipped() {
    assertThat(scan("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")).isNull();
  }

  @Test
  void bareLfIsAProblem() {
    assertThat(scan("GET / HTTP/1.1\nHost: x\r\n\r\n")).contains("bare LF");
  }

  @Test
  void bareCrIsAProblem() {
    assertThat(scan("GET / HTTP/1.1\rHost: x\r\n\r\n")).contains("bare CR");
  }

  @Test
  void foldedHeaderIsAProblem() {
    assertThat(scan("GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n\tc\r\n\r\n")).contains("obs-fold");
  }

  @Test
  void whitespaceBeforeTheFirstHeaderIsAProblem() {
    assertThat(scan("GET / HTTP/1.1\r\n Host: x\r\n\r\n")).contains("first header");
  }

  @Test
  void bytesAfterTheHeadAreIgnored() {
    assertThat(scan("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\n \r")).isNull();
  }

  @Test
  void resetStartsAFreshHead() {
    RequestHeadScanner s = new RequestHeadScanner();
    for (byte b : "GET /\n".getBytes(StandardCharsets.ISO_8859_1)) {
      s.scan(b);
    }
    assertThat(s.problem()).isNotNull();
    s.reset();
    assertThat(s.problem()).isNull();
  }
}
