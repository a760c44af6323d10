package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.bench.pubsub.PayloadHeader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlowStreamAccountTest {

  private static final String CHANNEL = "slow.drop-oldest.abc";
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream();

  @Test
  void countsGapsBySequenceAndMatchesThemWithTheNoticesThatPrecedeTheNextMessage() {
    message(CHANNEL, 10);
    message(CHANNEL, 11);
    gapNotice(CHANNEL, 5, "drop-oldest");
    message(CHANNEL, 17);
    gapNotice(CHANNEL, 2, "drop-oldest");
    gapNotice(CHANNEL, 1, "drop-oldest"); // added to by the server, or a second one: both count
    message(CHANNEL, 21);

    SlowStreamAccount a = feedInPieces(1);

    assertThat(a.received()).isEqualTo(4);
    assertThat(a.firstSequence()).isEqualTo(10);
    assertThat(a.lastSequence()).isEqualTo(21);
    assertThat(a.lostBySequence()).isEqualTo(5 + 3);
    assertThat(a.noticedLost()).isEqualTo(8);
    assertThat(a.noticedFollowed()).isEqualTo(8);
    assertThat(a.gapNotices()).isEqualTo(3);
    assertThat(a.noticeStrategy()).isEqualTo("drop-oldest");
    assertThat(a.outOfOrder()).isZero();
    assertThat(a.malformed()).isZero();
  }

  @Test
  void aNoticeAfterTheLastMessageStandsForTheTail() {
    message(CHANNEL, 0);
    message(CHANNEL, 1);
    gapNotice(CHANNEL, 8, "drop-newest");

    SlowStreamAccount a = feedInPieces(7);

    assertThat(a.lostBySequence()).isZero();
    assertThat(a.noticedPending()).isEqualTo(8);
    assertThat(a.tailMissing(10)).isEqualTo(8);
    assertThat(a.noticedLost()).isEqualTo(8);
  }

  @Test
  void ignoresOtherChannelsAndTheirNoticesAndCountsWarnings() {
    message("another", 5);
    gapNotice("another", 9, "conflate");
    warning("above_soft_limit");
    message(CHANNEL, 3);
    warning("below_soft_limit");

    SlowStreamAccount a = feedInPieces(1000);

    assertThat(a.received()).isEqualTo(1);
    assertThat(a.noticedLost()).isZero();
    assertThat(a.warnings()).isEqualTo(2);
    assertThat(a.lastWarningState()).isEqualTo("below_soft_limit");
  }

  @Test
  void skipsSubscribeConfirmationsAndCountsAnEarlierSequenceAsOutOfOrder() {
    write("*3\r\n$9\r\nsubscribe\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n:2\r\n");
    message(CHANNEL, 4);
    message(CHANNEL, 3);

    SlowStreamAccount a = feedInPieces(3);

    assertThat(a.received()).isEqualTo(2);
    assertThat(a.outOfOrder()).isEqualTo(1);
    assertThat(a.lastSequence()).isEqualTo(4);
  }

  @Test
  void tailIsZeroBeforeAnyMessage() {
    assertThat(new SlowStreamAccount(CHANNEL).tailMissing(100)).isZero();
  }

  private SlowStreamAccount feedInPieces(int piece) {
    byte[] all = stream.toByteArray();
    SlowStreamAccount a = new SlowStreamAccount(CHANNEL);
    for (int i = 0; i < all.length; i += piece) {
      a.feed(all, i, Math.min(piece, all.length - i));
    }
    return a;
  }

  private void message(String channel, long sequence) {
    ByteBuf b = Unpooled.buffer();
    try {
      PayloadHeader.write(b, 0, 0, sequence, 123L);
      b.writeBytes(new byte[100]);
      byte[] payload = new byte[b.readableBytes()];
      b.readBytes(payload);
      push(channel, payload);
    } finally {
      b.release();
    }
  }

  private void gapNotice(String channel, long lost, String strategy) {
    push(
        SlowStreamAccount.NOTICES,
        ("{\"type\":\"gap\",\"channel\":\"" + channel + "\",\"lost\":" + lost + ",\"strategy\":\""
                + strategy + "\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private void warning(String state) {
    push(
        SlowStreamAccount.NOTICES,
        ("{\"type\":\"warning\",\"state\":\"" + state
                + "\",\"queued\":52500,\"soft_limit\":52428,\"hard_limit\":65536}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private void push(String channel, byte[] payload) {
    write("*3\r\n$7\r\nmessage\r\n$" + channel.length() + "\r\n" + channel + "\r\n$"
        + payload.length + "\r\n");
    stream.writeBytes(payload);
    write("\r\n");
  }

  private void write(String s) {
    stream.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
