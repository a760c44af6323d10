package io.spillway.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.config.ByteSize;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.outbox.OverflowStrategy;
import io.spillway.core.time.ManualClock;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.wire.LogCapture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of every lossy overflow strategy, one strategy per run, on an outbox whose socket takes nothing until
 * the test opens it: the client is never cut, its queue never passes the hard limit, what it receives is in publish
 * order, and the gap notices it receives add up to exactly the messages the server counted as dropped.
 */
class OverflowStrategyContractTest {

  private static final int MESSAGE = 100;
  private static final Pattern LOST = Pattern.compile("\"lost\":(\\d+)");

  private final ManualClock clock = new ManualClock();
  private final ServerStats stats = new ServerStats(clock);
  private final OutboxLimits limits = OutboxLimits.builder()
      .hardLimit(ByteSize.ofBytes(4096))
      .softLimit(ByteSize.ofBytes(2048))
      .build();
  private final OutboxHandler outbox = new OutboxHandler(limits, limits, 512, stats, clock);
  private final Socket socket = new Socket();
  private final EmbeddedChannel channel = new EmbeddedChannel(socket, outbox);
  private final LogCapture log = LogCapture.cuts();

  static final class Socket extends ChannelOutboundHandlerAdapter {
    boolean stalled = true;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (!stalled) {
        ctx.flush();
      }
    }
  }

  // Notices come as their JSON and a newline; messages are MESSAGE bytes starting with m.
  static final class Owner implements OutboxOwner {
    @Override
    public String describe() {
      return "id=1";
    }

    @Override
    public int subscriptionCount() {
      return 2;
    }

    @Override
    public void outboxFull(boolean full) {}

    @Override
    public boolean wantsNotices() {
      return true;
    }

    @Override
    public ByteBuf noticeFrame(ByteBufAllocator alloc, byte[] json) {
      return Unpooled.buffer().writeBytes(json).writeByte('\n');
    }
  }

  @AfterEach
  void tearDown() {
    log.close();
    channel.finishAndReleaseAll();
  }

  private static SharedBuffer message(ChannelTag tag, int i) {
    String text = String.format("m%05d", i) + "x".repeat(MESSAGE - 6);
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(MESSAGE);
    buf.writeCharSequence(text, StandardCharsets.US_ASCII);
    return new SharedBuffer(buf, tag, null);
  }

  // Lets the socket take everything the outbox holds or gets while open.
  private String openSocket() {
    socket.stalled = false;
    for (int i = 0; i < 50; i++) {
      channel.flush();
      channel.runPendingTasks();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object m; (m = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) m;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      out.write(bytes, 0, bytes.length);
      b.release();
    }
    socket.stalled = true;
    return out.toString(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = OverflowStrategy.class,
      names = {"DROP_OLDEST", "DROP_NEWEST", "CONFLATE"})
  void keepsTheCapNeverCutsKeepsOrderAndAccountsForEveryLoss(OverflowStrategy strategy) {
    outbox.owner(new Owner());
    outbox.useClass(ClientClass.SUBSCRIBER);
    ChannelTag tag = new ChannelTag("c".getBytes(StandardCharsets.US_ASCII), strategy);
    StringBuilder received = new StringBuilder();
    int published = 0;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 200; i++) {
        SharedBuffer m = message(tag, published++);
        outbox.deliver(m, 0, MESSAGE, 1);
        m.release();
        assertThat(outbox.queuedBytes()).as("within the cap").isLessThanOrEqualTo(4096);
        if (i % 50 == 0) {
          clock.advance(Duration.ofSeconds(1));
          outbox.tick();
        }
      }
      assertThat(outbox.isCut()).as("a lossy channel never cuts its subscriber").isFalse();
      received.append(openSocket());
    }
    // Parse: messages in order, notices in between.
    String all = received.toString();
    List<Integer> seen = new ArrayList<>();
    long noticed = 0;
    int pos = 0;
    while (pos < all.length()) {
      if (all.charAt(pos) == 'm') {
        seen.add(Integer.parseInt(all.substring(pos + 1, pos + 6)));
        pos += MESSAGE;
      } else {
        int nl = all.indexOf('\n', pos);
        String json = all.substring(pos, nl);
        if (json.contains("\"type\":\"gap\"")) {
          assertThat(json)
              .contains("\"channel\":\"c\"")
              .contains("\"strategy\":\"" + strategy.label() + "\"");
          Matcher lost = LOST.matcher(json);
          assertThat(lost.find()).isTrue();
          noticed += Long.parseLong(lost.group(1));
        } else {
          assertThat(json).contains("\"type\":\"warning\"");
        }
        pos = nl + 1;
      }
    }
    assertThat(seen).as("publish order").isSorted().doesNotHaveDuplicates();
    long dropped = stats.dropped(strategy);
    assertThat(seen.size() + dropped).as("every message delivered or dropped").isEqualTo(published);
    assertThat(noticed).as("gap notices add up to the drops counted").isEqualTo(dropped);
    assertThat(dropped).isPositive();
    assertThat(outbox.state().droppedMessages()).isEqualTo(dropped);
    switch (strategy) {
      case DROP_OLDEST, CONFLATE ->
        assertThat(seen).as("the newest survive").contains(published - 1);
      case DROP_NEWEST -> assertThat(seen).as("the oldest survive").contains(0);
      default -> {}
    }
    assertThat(log.messages()).as("one log line per episode").hasSizeLessThanOrEqualTo(3);
  }
}
