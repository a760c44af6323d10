package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespWriterTest {

  /** Writes into a deliberately tiny buffer, so that every method must grow it correctly. */
  private static String encode(Consumer<ByteBuf> writer) {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer(1);
    try {
      writer.accept(out);
      return out.toString(ISO_8859_1);
    } finally {
      out.release();
    }
  }

  @Test
  void writesSimpleStringAndError() {
    assertThat(encode(out -> RespWriter.simpleString(out, "OK"))).isEqualTo("+OK\r\n");
    assertThat(encode(out -> RespWriter.error(out, "ERR unknown command 'x'")))
        .isEqualTo("-ERR unknown command 'x'\r\n");
  }

  @Test
  void replacesCarriageReturnAndLineFeedBySpacesInErrorsAndSimpleStrings() {
    assertThat(encode(out -> RespWriter.error(out, "ERR a\r\nb\nc"))).isEqualTo("-ERR a  b c\r\n");
    assertThat(encode(out -> RespWriter.simpleString(out, "a\rb"))).isEqualTo("+a b\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      longs = {0, 1, 9, 10, 1023, 1024, 99_999, -1, -10, -1024, Long.MAX_VALUE, Long.MIN_VALUE})
  void writesIntegersWithTheirExactLength(long value) {
    String encoded = encode(out -> RespWriter.integer(out, value));

    assertThat(encoded).isEqualTo(":" + value + "\r\n");
    assertThat(RespWriter.integerLength(value)).isEqualTo(encoded.length());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9, 10, 1023, 1024, 65_536})
  void writesBulkOfBytesAndStringsWithTheirExactLength(int length) {
    String payload = "x".repeat(length);
    String expected = "$" + length + "\r\n" + payload + "\r\n";

    assertThat(encode(out -> RespWriter.bulk(out, payload.getBytes(ISO_8859_1))))
        .isEqualTo(expected);
    assertThat(encode(out -> RespWriter.bulk(out, payload))).isEqualTo(expected);
    assertThat(RespWriter.bulkLength(length)).isEqualTo(expected.length());
  }

  @Test
  void writesBinaryBulkUnchanged() {
    byte[] payload = {0, '\r', '\n', (byte) 0xFF};

    assertThat(encode(out -> RespWriter.bulk(out, payload))).isEqualTo("$4\r\n\0\r\n\u00ff\r\n");
  }

  @Test
  void writesStringBulkAsIsoLatin1() {
    assertThat(encode(out -> RespWriter.bulk(out, "caf\u00e9\u20ac")))
        .isEqualTo("$5\r\ncaf\u00e9?\r\n");
  }

  @Test
  void writesNullsPerProtocol() {
    assertThat(encode(out -> RespWriter.nullBulk(out, 2))).isEqualTo("$-1\r\n");
    assertThat(encode(out -> RespWriter.nullBulk(out, 3))).isEqualTo("_\r\n");
    assertThat(encode(out -> RespWriter.nullArray(out, 2))).isEqualTo("*-1\r\n");
    assertThat(encode(out -> RespWriter.nullArray(out, 3))).isEqualTo("_\r\n");
  }

  @Test
  void writesAggregateHeadersPerProtocol() {
    assertThat(encode(out -> RespWriter.arrayHeader(out, 3))).isEqualTo("*3\r\n");
    assertThat(encode(out -> RespWriter.arrayHeader(out, 20_000))).isEqualTo("*20000\r\n");
    assertThat(encode(out -> RespWriter.pushHeader(out, 3, 2))).isEqualTo("*3\r\n");
    assertThat(encode(out -> RespWriter.pushHeader(out, 3, 3))).isEqualTo(">3\r\n");
    assertThat(encode(out -> RespWriter.mapHeader(out, 2, 2))).isEqualTo("*4\r\n");
    assertThat(encode(out -> RespWriter.mapHeader(out, 2, 3))).isEqualTo("%2\r\n");
    assertThat(encode(out -> RespWriter.setHeader(out, 5, 2))).isEqualTo("*5\r\n");
    assertThat(encode(out -> RespWriter.setHeader(out, 5, 3))).isEqualTo("~5\r\n");
  }

  @Test
  void writesVerbatimAsTxtInResp3AndBulkInResp2() {
    assertThat(encode(out -> RespWriter.verbatim(out, "a\r\nb", 3)))
        .isEqualTo("=8\r\ntxt:a\r\nb\r\n");
    assertThat(encode(out -> RespWriter.verbatim(out, "a\r\nb", 2))).isEqualTo("$4\r\na\r\nb\r\n");
  }

  @Test
  void writesBooleansAsResp3BooleansOrResp2Integers() {
    assertThat(encode(out -> RespWriter.bool(out, true, 3))).isEqualTo("#t\r\n");
    assertThat(encode(out -> RespWriter.bool(out, false, 3))).isEqualTo("#f\r\n");
    assertThat(encode(out -> RespWriter.bool(out, true, 2))).isEqualTo(":1\r\n");
    assertThat(encode(out -> RespWriter.bool(out, false, 2))).isEqualTo(":0\r\n");
  }

  @Test
  void rejectsUnknownProtocolAndNegativeCounts() {
    assertThatThrownBy(() -> encode(out -> RespWriter.nullBulk(out, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 1");
    assertThatThrownBy(() -> encode(out -> RespWriter.arrayHeader(out, -1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sharesReadOnlyOkAndPongThatSurviveRelease() {
    ByteBuf first = RespWriter.ok();
    ByteBuf second = RespWriter.ok();
    first.skipBytes(first.readableBytes());
    first.release();
    first.release();

    assertThat(second.toString(ISO_8859_1)).isEqualTo("+OK\r\n");
    assertThat(second.isReadOnly()).isTrue();
    assertThat(second.isDirect()).isTrue();
    assertThat(RespWriter.ok().toString(ISO_8859_1)).isEqualTo("+OK\r\n");
    assertThat(RespWriter.pong().toString(ISO_8859_1)).isEqualTo("+PONG\r\n");
    assertThatThrownBy(() -> second.setByte(0, 'x'))
        .isInstanceOf(java.nio.ReadOnlyBufferException.class);
  }
}
