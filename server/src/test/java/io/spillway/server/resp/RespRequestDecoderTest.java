package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RespRequestDecoderTest {

  private static final int MAX_BULK = 1024;
  private static final int MAX_ARGS = 8;
  private static final int MAX_INLINE = 32;
  private static final long MAX_REQUEST = 2048;

  private RecordingHandler recorder = new RecordingHandler();
  private EmbeddedChannel channel =
      recorder.channel(new RespRequestDecoder(MAX_BULK, MAX_ARGS, MAX_INLINE, MAX_REQUEST));

  @AfterEach
  void releasesEveryInputBuffer() {
    channel.finishAndReleaseAll();
    assertThat(recorder.allInputsReleased()).isTrue();
  }

  private void use(RespRequestDecoder decoder) {
    releasesEveryInputBuffer();
    recorder = new RecordingHandler();
    channel = recorder.channel(decoder);
  }

  private void write(String text) {
    channel.writeInbound(recorder.input(text));
  }

  private void writeByteByByte(String text) {
    for (int i = 0; i < text.length(); i++) {
      write(text.substring(i, i + 1));
    }
  }

  private String protocolError() {
    assertThat(recorder.exceptions).hasSize(1).first().isInstanceOf(RespProtocolException.class);
    return ((RespProtocolException) recorder.exceptions.get(0)).redisMessage();
  }

  @Test
  void decodesMultibulkInOnePiece() {
    write("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$5\r\nhello\r\n");

    assertThat(recorder.args()).containsExactly(List.of("PUBLISH", "ch", "hello"));
    RespRequest request = recorder.requests.get(0);
    assertThat(request.name()).isEqualTo("publish");
    assertThat(request.inline()).isFalse();
    assertThat(request.arg(2)).isEqualTo("hello".getBytes(ISO_8859_1));
  }

  @Test
  void decodesMultibulkSplitByteByByte() {
    writeByteByByte("*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$0\r\n\r\n");

    assertThat(recorder.args()).containsExactly(List.of("SUBSCRIBE", "a", ""));
    assertThat(recorder.exceptions).isEmpty();
  }

  @Test
  void decodesManyPipelinedCommandsFromOneBuffer() {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String n = Integer.toString(i);
      batch
          .append("*2\r\n$4\r\nECHO\r\n$")
          .append(n.length())
          .append("\r\n")
          .append(n)
          .append("\r\n");
    }
    write(batch.toString());

    assertThat(recorder.requests).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(recorder.requests.get(i).argString(1)).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void keepsCarriageReturnLineFeedAndNulInsideBulk() {
    write("*2\r\n$4\r\nECHO\r\n$6\r\na\r\n\0b\n\r\n");

    assertThat(recorder.requests.get(0).arg(1)).containsExactly('a', '\r', '\n', 0, 'b', '\n');
  }

  @Test
  void streamsArgumentAboveBigArgThresholdAcrossReads() {
    byte[] payload = new byte[RespRequestDecoder.BIG_ARG * 3 + 17];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    use(new RespRequestDecoder(payload.length, 4, 64, payload.length + 16));
    byte[] header = ("*2\r\n$7\r\nPUBLISH\r\n$" + payload.length + "\r\n").getBytes(ISO_8859_1);
    byte[] all = concat(header, payload, "\r\n*1\r\n$4\r\nPING\r\n".getBytes(ISO_8859_1));

    for (int from = 0; from < all.length; from += 7001) {
      channel.writeInbound(
          recorder.input(Arrays.copyOfRange(all, from, Math.min(all.length, from + 7001))));
    }

    assertThat(recorder.requests).hasSize(2);
    assertThat(recorder.requests.get(0).arg(1)).isEqualTo(payload);
    assertThat(recorder.requests.get(1).name()).isEqualTo("ping");
  }

  @Test
  void ignoresEmptyAndNegativeMultibulk() {
    write("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");

    assertThat(recorder.args()).containsExactly(List.of("PING"));
  }

  @Test
  void skipsTheByteAfterEachCarriageReturnUncheckedLikeRedis() {
    write("*1\rX$4\rXPING..");

    assertThat(recorder.args()).containsExactly(List.of("PING"));
  }

  @Test
  void decodesInlineCommandWithQuotesAndEscapes() {
    use(new RespRequestDecoder(MAX_BULK, MAX_ARGS, 1024, MAX_REQUEST));
    write("set \"a b\\x41\\n\\t\\\\\\\"\"   'it\\'s \\n'\tx\"y z\"\r\n");

    assertThat(recorder.args()).containsExactly(List.of("set", "a bA\n\t\\\"", "it's \\n", "xy z"));
    assertThat(recorder.requests.get(0).inline()).isTrue();
  }

  @Test
  void decodesInlineLineEndingInBareLineFeed() {
    write("PING\nPING hello\n");

    assertThat(recorder.args()).containsExactly(List.of("PING"), List.of("PING", "hello"));
  }

  @Test
  void ignoresBlankInlineLines() {
    write("\r\n   \t\r\n\n*1\r\n$4\r\nPING\r\n");

    assertThat(recorder.args()).containsExactly(List.of("PING"));
    assertThat(recorder.exceptions).isEmpty();
  }

  @Test
  void acceptsInlineLineOfExactlyTheLimit() {
    String line = "x".repeat(MAX_INLINE - 1) + "\r\n";
    write(line);

    assertThat(recorder.requests).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"GET \"abc\r\n", "GET 'abc\r\n", "GET \"a\"b\r\n", "GET 'a'b\r\n", "GET \"a\\\r\n"
      })
  void rejectsUnbalancedQuotesInInlineCommand(String input) {
    write(input);

    assertThat(protocolError()).isEqualTo("Protocol error: unbalanced quotes in request");
  }

  @Test
  void rejectsInlineLineOverLimitBeforeItsNewlineArrives() {
    write("x".repeat(MAX_INLINE + 1));

    assertThat(protocolError()).isEqualTo("Protocol error: too big inline request");
  }

  @Test
  void rejectsInlineLineOverLimitEvenWhenCompleteInOneRead() {
    write("x".repeat(MAX_INLINE) + "\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: too big inline request");
  }

  @Test
  void rejectsUnterminatedMultibulkCountLongerThanRedisInlineMax() {
    write("*" + "1".repeat(RespRequestDecoder.MAX_COUNT_LINE));

    assertThat(protocolError()).isEqualTo("Protocol error: too big mbulk count string");
  }

  @ParameterizedTest
  @CsvSource({"*abc", "*", "*01", "*+1", "'*1 '", "*9", "*-", "*99999999999999999999"})
  void rejectsMultibulkCountThatIsNotAnIntegerOrOverLimit(String countLine) {
    write(countLine + "\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: invalid multibulk length");
  }

  @ParameterizedTest
  @CsvSource({"x,x", ":,:", "*,*"})
  void rejectsBulkHeaderNotStartingWithDollar(String first, String shown) {
    write("*1\r\n" + first + "4\r\nPING\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: expected '$', got '" + shown + "'");
  }

  @Test
  void showsCarriageReturnAsSpaceInExpectedDollarError() {
    write("*1\r\n\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: expected '$', got ' '");
  }

  @Test
  void rejectsUnterminatedBulkCountLongerThanRedisInlineMax() {
    write("*1\r\n$" + "1".repeat(RespRequestDecoder.MAX_COUNT_LINE));

    assertThat(protocolError()).isEqualTo("Protocol error: too big bulk count string");
  }

  @ParameterizedTest
  @CsvSource({"$-1", "$abc", "$", "$-0", "$1025", "$99999999999999999999"})
  void rejectsBulkLengthThatIsNegativeNotAnIntegerOrOverLimit(String header) {
    write("*1\r\n" + header + "\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: invalid bulk length");
  }

  @Test
  void rejectsBulkLengthOverLimitBeforePayloadArrives() {
    write("*2\r\n$7\r\nPUBLISH\r\n$" + (MAX_BULK + 1) + "\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: invalid bulk length");
  }

  @Test
  void rejectsRequestOverMaxSizeWhenTheBulkThatCrossesItIsAnnounced() {
    String bulk = "$1000\r\n" + "x".repeat(1000) + "\r\n";
    write("*4\r\n$4\r\nECHO\r\n" + bulk + bulk + "$1000\r\n");

    assertThat(protocolError()).isEqualTo("Protocol error: request of more than 2048 bytes");
  }

  @Test
  void passesOnCommandsBeforeTheErrorAndDiscardsEverythingAfter() {
    write("*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n");
    write("*1\r\n$4\r\nPING\r\n");

    assertThat(recorder.requests).hasSize(1);
    assertThat(protocolError()).isEqualTo("Protocol error: invalid multibulk length");
  }

  @Test
  void rejectsNonPositiveLimitsNamingTheSetting() {
    assertThatThrownBy(() -> new RespRequestDecoder(0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBulkLength")
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> new RespRequestDecoder(1, 1, 1, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRequestSize");
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
