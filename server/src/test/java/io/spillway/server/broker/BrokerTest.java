package io.spillway.server.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.config.ByteSize;
import io.spillway.core.flow.BacklogPolicy;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.time.ManualClock;
import io.spillway.server.TestBrokers;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.ClientClass;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.outbox.OutboxOwner;
import io.spillway.server.resp.RespFrames;
import io.spillway.server.wire.LogCapture;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker over two event loops of embedded channels: a publish on loop 0 reaches subscribers on both, through
 * Outgoing, Batch and each subscriber's outbox. Tasks run only when the test runs them, so every step is visible.
 */
class BrokerTest {

  private final ManualClock clock = new ManualClock();
  private final ServerStats stats = new ServerStats(clock);
  private final EmbeddedChannel loop0 = new EmbeddedChannel();
  private final EmbeddedChannel loop1 = new EmbeddedChannel();
  private final IoLoop[] loops = TestBrokers.loops(loop0.eventLoop(), loop1.eventLoop());
  private ServerConfig config = ServerConfig.defaults();
  private Broker broker = TestBrokers.broker(loops, config, stats);
  private final List<Sub> subs = new ArrayList<>();
  private final LogCapture cuts = LogCapture.cuts();

  @AfterEach
  void tearDown() {
    cuts.close();
    for (Sub s : subs) {
      s.channel.finishAndReleaseAll();
    }
    loop0.finishAndReleaseAll();
    loop1.finishAndReleaseAll();
  }

  /** A subscriber on a loop, of a frame kind, whose socket takes everything unless stalled. */
  final class Sub implements Subscriber, Publisher, OutboxOwner {
    final IoLoop loop;
    final int kind;
    final OutboxHandler outbox;
    final EmbeddedChannel channel;
    final Set<String> channels = new HashSet<>();
    final Set<String> patterns = new HashSet<>();
    final Set<String> shardChannels = new HashSet<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int writes;
    IoLoop pushedBackBy;
    ChannelHold heldBy;
    boolean holdingBack;
    boolean stalled;

    Sub(int loop, int kind, OutboxLimits limits) {
      this.loop = loops[loop];
      this.kind = kind;
      this.outbox = new OutboxHandler(limits, limits, Broker.chunkBytesFor(limits), stats, clock);
      this.channel = new EmbeddedChannel(
          new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
              if (!stalled) {
                ctx.flush();
              }
            }
          },
          outbox);
      outbox.owner(this);
      outbox.useClass(ClientClass.SUBSCRIBER);
      subs.add(this);
    }

    /** Everything the socket took so far, as ISO-8859-1 text. */
    String received() {
      for (Object m; (m = channel.readOutbound()) != null; ) {
        ByteBuf b = (ByteBuf) m;
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        received.write(bytes, 0, bytes.length);
        b.release();
        writes++;
      }
      return received.toString(ISO_8859_1);
    }

    @Override
    public IoLoop loop() {
      return loop;
    }

    @Override
    public int frameKind() {
      return kind;
    }

    @Override
    public OutboxHandler outbox() {
      return outbox;
    }

    @Override
    public Set<String> channels() {
      return channels;
    }

    @Override
    public Set<String> patterns() {
      return patterns;
    }

    @Override
    public Set<String> shardChannels() {
      return shardChannels;
    }

    @Override
    public Subscriber self() {
      return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty() ? null : this;
    }

    @Override
    public void pushedBack(IoLoop congested) {
      pushedBackBy = congested;
    }

    @Override
    public void held(ChannelHold hold) {
      heldBy = hold;
    }

    @Override
    public boolean holdingBack() {
      return holdingBack;
    }

    @Override
    public String describe() {
      return "id=test";
    }

    @Override
    public int subscriptionCount() {
      return channels.size() + patterns.size() + shardChannels.size();
    }

    @Override
    public void outboxFull(boolean full) {}

    @Override
    public boolean wantsNotices() {
      return channels.contains(Broker.NOTICES_CHANNEL);
    }

    @Override
    public ByteBuf noticeFrame(io.netty.buffer.ByteBufAllocator alloc, byte[] json) {
      FrameEncoder e = TestBrokers.encoders()[kind];
      ByteBuf out = alloc.buffer(e.noticeSize(json));
      e.notice(out, json);
      return out;
    }
  }

  private Sub sub(int loop, int kind) {
    return new Sub(loop, kind, OutboxLimits.DEFAULT);
  }

  private Sub subscribed(int loop, int kind, String channel) {
    Sub s = sub(loop, kind);
    broker.subscribe(s, channel);
    return s;
  }

  /** Runs both loops' queued tasks until none is left. */
  private void runLoops() {
    for (int i = 0; i < 4; i++) {
      loop0.runPendingTasks();
      loop1.runPendingTasks();
    }
  }

  private static String resp2(String channel, String payload) {
    return "*3\r\n$7\r\nmessage\r\n$" + channel.length() + "\r\n" + channel + "\r\n$"
        + payload.length() + "\r\n" + payload + "\r\n";
  }

  private static byte[] b(String s) {
    return s.getBytes(US_ASCII);
  }

  @Test
  void deliversEveryMessageToEverySubscriberOnEveryLoopInPublishOrder() {
    Sub publisher = sub(0, 0);
    Sub local = subscribed(0, 0, "news");
    Sub remote = subscribed(1, 0, "news");
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      assertThat(broker.publish(b("news"), b("m" + i), publisher)).isEqualTo(2);
      expected.append(resp2("news", "m" + i));
    }
    runLoops();
    assertThat(local.received()).isEqualTo(expected.toString());
    assertThat(remote.received()).isEqualTo(expected.toString());
    assertThat(loops[0].delivered() + loops[1].delivered()).isEqualTo(400);
    assertThat(stats.messagesPublished()).isEqualTo(200);
  }

  @Test
  void encodesARunOfMessagesToOneChannelOnceAndSendsItAsOneWrite() {
    Sub publisher = sub(0, 0);
    Sub remote = subscribed(1, 0, "ticks");
    for (int i = 0; i < 50; i++) {
      broker.publish(b("ticks"), b("t" + i), publisher);
    }
    runLoops();
    assertThat(remote.received()).startsWith(resp2("ticks", "t0")).endsWith(resp2("ticks", "t49"));
    assertThat(remote.writes).as("one run, one range, one write").isEqualTo(1);
  }

  @Test
  void nothingIsHandedToALoopWithoutSubscribersOfTheChannel() {
    Sub publisher = sub(0, 0);
    subscribed(0, 0, "a");
    broker.publish(b("a"), b("x"), publisher);
    runLoops();
    assertThat(loops[1].backlogBytes()).isZero();
    assertThat(loops[1].delivered()).isZero();
  }

  @Test
  void countsReceiversAsRedisDoesChannelSubscribersPlusMatchingPatterns() {
    Sub publisher = sub(0, 0);
    subscribed(0, 0, "news.eu");
    Sub p = sub(1, 0);
    broker.psubscribe(p, "news.*");
    Sub q = sub(1, 0);
    broker.psubscribe(q, "*");
    assertThat(broker.publish(b("news.eu"), b("x"), publisher)).isEqualTo(3);
    assertThat(broker.publish(b("sport"), b("y"), publisher)).isEqualTo(1);
    runLoops();
    assertThat(p.received())
        .isEqualTo("*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$7\r\nnews.eu\r\n$1\r\nx\r\n");
    assertThat(q.received()).contains("$7\r\nnews.eu\r\n").contains("$5\r\nsport\r\n");
  }

  @Test
  void aPublisherSubscribedToTheChannelGetsItsMessageAtOnceAndOnlyOnce() {
    Sub self = subscribed(0, 1, "me");
    Sub other = subscribed(0, 1, "me");
    assertThat(broker.publish(b("me"), b("hi"), self)).isEqualTo(2);
    self.outbox.drain();
    assertThat(self.received())
        .as("before the publish returns")
        .isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nme\r\n$2\r\nhi\r\n");
    assertThat(other.received()).as("the others at the end of the turn").isEmpty();
    runLoops();
    assertThat(self.received()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nme\r\n$2\r\nhi\r\n");
    assertThat(other.received()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nme\r\n$2\r\nhi\r\n");
  }

  @Test
  void aSubscriberThatLeavesBeforeTheDeliveryGetsNothingAndNothingLeaks() {
    Sub publisher = sub(0, 0);
    Sub remote = subscribed(1, 0, "a");
    broker.publish(b("a"), b("x"), publisher);
    broker.unsubscribe(remote, "a");
    runLoops();
    assertThat(remote.received()).isEmpty();
    assertThat(broker.channelCount()).isZero();
  }

  @Test
  void aSubscriberCutInTheMiddleOfARunGetsNoMoreAndTheOthersGetEverything() {
    OutboxLimits small = OutboxLimits.builder()
        .hardLimit(ByteSize.ofBytes(1024))
        .softLimit(ByteSize.ofBytes(512))
        .build();
    Sub slow = new Sub(1, 0, small);
    slow.stalled = true;
    broker.subscribe(slow, "a");
    Sub fast = subscribed(1, 0, "a");
    Sub publisher = sub(0, 0);
    for (int i = 0; i < 100; i++) {
      broker.publish(b("a"), b("x".repeat(20)), publisher);
    }
    runLoops();
    assertThat(slow.outbox.isCut()).isTrue();
    assertThat(fast.received()).hasSize(100 * resp2("a", "x".repeat(20)).length());
  }

  @Test
  void pushesBackAPublisherWhileALoopsBacklogIsAtItsHighMark() {
    Sub publisher = sub(0, 0);
    subscribed(1, 0, "a");
    loops[1].backlogAdded(BacklogPolicy.DEFAULT_HIGH_MARK.toBytes());
    broker.publish(b("a"), b("x"), publisher);
    assertThat(publisher.pushedBackBy).isSameAs(loops[1]);
    assertThat(broker.congestedLoop()).isSameAs(loops[1]);
    loops[1].backlogDelivered(BacklogPolicy.DEFAULT_HIGH_MARK.toBytes());
    runLoops();
    assertThat(loops[1].backlogBytes())
        .as("the batch's own bytes are delivered too")
        .isZero();
  }

  @Test
  void countsACrossLoopBatchInTheTargetsBacklogUntilItIsDelivered() {
    Sub publisher = sub(0, 0);
    Sub remote = subscribed(1, 0, "abc");
    broker.publish(b("abc"), b("12345"), publisher);
    loop0.runPendingTasks();
    assertThat(loops[1].backlogBytes()).isEqualTo(8);
    loop1.runPendingTasks();
    assertThat(loops[1].backlogBytes()).isZero();
    assertThat(remote.received()).isEqualTo(resp2("abc", "12345"));
  }

  @Test
  void refusesOversizedMessagesAndNamesWithoutPublishing() {
    config = ServerConfig.builder()
        .maxMessageSize(ByteSize.ofBytes(10))
        .maxChannelLength(ByteSize.ofBytes(4))
        .build();
    broker = TestBrokers.broker(loops, config, stats);
    Sub publisher = sub(0, 0);
    Sub s = subscribed(0, 0, "abcd");
    assertThat(broker.publish(b("abcd"), b("x".repeat(11)), publisher)).isEqualTo(Broker.TOO_LARGE);
    assertThat(broker.publish(b("abcde"), b("x"), publisher)).isEqualTo(Broker.NAME_TOO_LONG);
    assertThat(broker.refusal(Broker.TOO_LARGE, 4, 11))
        .isEqualTo("message of 11 bytes exceeds max-message-size (10)");
    runLoops();
    assertThat(s.received()).isEmpty();
    assertThat(stats.messagesPublished()).isZero();
    assertThat(stats.publishRejectedTooLarge()).isEqualTo(1);
  }

  @Test
  void aStalledSubscriberQueuesExactlyTheBytesOfItsFrames() {
    Sub stalled = sub(1, 0);
    stalled.stalled = true;
    broker.subscribe(stalled, "q");
    Sub publisher = sub(0, 0);
    for (int i = 0; i < 10; i++) {
      broker.publish(b("q"), b("0123456789"), publisher);
    }
    runLoops();
    assertThat(stalled.outbox.queuedBytes())
        .isEqualTo(10L * resp2("q", "0123456789").length());
  }

  /** The contract every kind of subscriber (RESP2, RESP3, WebSocket) is held to, one kind per run. */
  @ParameterizedTest(name = "frame kind {0}")
  @ValueSource(ints = {0, 1, 2})
  void contractOfEverySubscriberKind(int kind) {
    FrameEncoder e = TestBrokers.encoders()[kind];
    Sub publisher = sub(0, 0);
    Sub local = subscribed(0, kind, "c");
    Sub remote = subscribed(1, kind, "c");
    Sub stalled = new Sub(
        1,
        kind,
        OutboxLimits.builder()
            .hardLimit(ByteSize.ofBytes(4096))
            .softLimit(ByteSize.ofBytes(2048))
            .build());
    stalled.stalled = true;
    broker.subscribe(stalled, "c");
    ByteBuf expected = Unpooled.buffer();
    long frameBytes = 0;
    for (int i = 0; i < 300; i++) {
      byte[] payload = b("p" + i + "-" + "z".repeat(i % 40));
      e.message(expected, b("c"), payload);
      broker.publish(b("c"), payload, publisher);
      if (i < 10) {
        frameBytes += e.messageSize(b("c"), payload);
      }
      if (i == 9) {
        runLoops();
        // Byte accounting: a stalled subscriber holds exactly its frames' bytes.
        assertThat(stalled.outbox.queuedBytes()).as("queued after 10").isEqualTo(frameBytes);
      }
    }
    runLoops();
    String all = expected.toString(ISO_8859_1);
    expected.release();
    // Order and content: every message, in publish order, as the kind's own encoder writes it.
    assertThat(local.received()).isEqualTo(all);
    assertThat(remote.received()).isEqualTo(all);
    // The hard limit: the stalled one is cut, and cutting it cost the others nothing.
    assertThat(stalled.outbox.isCut()).isTrue();
    // Every reference is given back (paranoid leak detection checks the buffers at the end of the
    // run).
    broker.unsubscribeAll(local);
    broker.unsubscribeAll(remote);
    broker.unsubscribeAll(stalled);
    assertThat(broker.channelCount()).isZero();
  }

  @Test
  void everySubscriberKindGetsTheFramesItsEncoderWrites() {
    Sub publisher = sub(0, 0);
    Sub r2 = subscribed(1, 0, "k");
    Sub r3 = subscribed(1, 1, "k");
    Sub ws = subscribed(1, 2, "k");
    broker.publish(b("k"), b("v"), publisher);
    runLoops();
    for (Sub s : List.of(r2, r3, ws)) {
      FrameEncoder e = TestBrokers.encoders()[s.kind];
      ByteBuf expected = Unpooled.buffer();
      e.message(expected, b("k"), b("v"));
      assertThat(s.received()).as("kind %d", s.kind).isEqualTo(expected.toString(ISO_8859_1));
      expected.release();
    }
    assertThat(RespFrames.RESP2.messageSize(b("k"), b("v")))
        .isEqualTo(resp2("k", "v").length());
  }

  private static String smessage(String protocolHeader, String channel, String payload) {
    return protocolHeader + "3\r\n$8\r\nsmessage\r\n$" + channel.length() + "\r\n" + channel
        + "\r\n$" + payload.length() + "\r\n" + payload + "\r\n";
  }

  @Test
  void spublishReachesOnlyShardSubscribersOnEveryLoopAsSmessage() {
    Sub publisher = sub(0, 0);
    Sub local = sub(0, 0);
    broker.ssubscribe(local, "orders");
    Sub remote = sub(1, 1);
    broker.ssubscribe(remote, "orders");
    Sub classic = subscribed(1, 0, "orders");
    Sub everything = sub(1, 0);
    broker.psubscribe(everything, "*");
    assertThat(broker.spublish(b("orders"), b("o1"), publisher)).isEqualTo(2);
    assertThat(broker.spublish(b("other"), b("o2"), publisher)).isZero();
    runLoops();
    assertThat(local.received()).isEqualTo(smessage("*", "orders", "o1"));
    assertThat(remote.received()).isEqualTo(smessage(">", "orders", "o1"));
    assertThat(classic.received()).as("a channel subscriber of the same name").isEmpty();
    assertThat(everything.received()).as("a pattern subscriber").isEmpty();
    assertThat(stats.messagesPublished()).isEqualTo(2);
  }

  @Test
  void publishDoesNotReachShardSubscribersOfTheSameName() {
    Sub publisher = sub(0, 0);
    Sub shard = sub(1, 0);
    broker.ssubscribe(shard, "orders");
    Sub classic = subscribed(1, 0, "orders");
    assertThat(broker.publish(b("orders"), b("x"), publisher)).isEqualTo(1);
    runLoops();
    assertThat(shard.received()).isEmpty();
    assertThat(classic.received()).isEqualTo(resp2("orders", "x"));
    assertThat(broker.channelCount()).isEqualTo(1);
    assertThat(broker.shardChannelCount()).isEqualTo(1);
    assertThat(broker.activeShardChannels(null)).containsExactly("orders");
    assertThat(broker.activeShardChannels(b("o*"))).containsExactly("orders");
    assertThat(broker.activeShardChannels(b("x*"))).isEmpty();
    assertThat(broker.shardSubscriberCount("orders")).isEqualTo(1);
    assertThat(broker.subscriberCount("orders")).isEqualTo(1);
  }

  @Test
  void aShardPublisherSubscribedToTheShardChannelGetsItsMessageAtOnceAndOnlyOnce() {
    Sub self = sub(0, 1);
    broker.ssubscribe(self, "me");
    Sub other = sub(0, 1);
    broker.ssubscribe(other, "me");
    assertThat(broker.spublish(b("me"), b("hi"), self)).isEqualTo(2);
    self.outbox.drain();
    assertThat(self.received())
        .as("before the publish returns")
        .isEqualTo(smessage(">", "me", "hi"));
    runLoops();
    assertThat(self.received()).isEqualTo(smessage(">", "me", "hi"));
    assertThat(other.received()).isEqualTo(smessage(">", "me", "hi"));
  }

  @Test
  void unsubscribeAllReleasesShardSubscriptionsAndTheirBudget() {
    Sub s = sub(1, 0);
    broker.subscribe(s, "a");
    broker.ssubscribe(s, "a");
    broker.ssubscribe(s, "b");
    assertThat(broker.ssubscribe(s, "b")).as("already").isFalse();
    assertThat(broker.subscriptionBytes()).isEqualTo(3 * Broker.subscriptionCost(1));
    assertThat(broker.sunsubscribe(s, "b")).isTrue();
    assertThat(broker.sunsubscribe(s, "b")).isFalse();
    broker.unsubscribeAll(s);
    assertThat(s.shardChannels).isEmpty();
    assertThat(broker.shardChannelCount()).isZero();
    assertThat(broker.channelCount()).isZero();
    assertThat(broker.subscriptionBytes()).isZero();
  }

  @Test
  void aShardChannelFollowsItsChannelPolicyLikeAChannel() {
    config = config.toBuilder()
        .channelPolicies(
            List.of(io.spillway.core.outbox.ChannelPolicy.parse("ticks.*=drop-oldest")))
        .build();
    broker = TestBrokers.broker(loops, config, stats);
    OutboxLimits small = OutboxLimits.builder()
        .hardLimit(ByteSize.ofBytes(1024))
        .softLimit(ByteSize.ofBytes(512))
        .build();
    Sub lossy = new Sub(1, 0, small);
    lossy.stalled = true;
    broker.ssubscribe(lossy, "ticks.eu");
    Sub strict = new Sub(1, 0, small);
    strict.stalled = true;
    broker.ssubscribe(strict, "orders");
    Sub publisher = sub(0, 0);
    for (int i = 0; i < 100; i++) {
      broker.spublish(b("ticks.eu"), b("x".repeat(20)), publisher);
      broker.spublish(b("orders"), b("x".repeat(20)), publisher);
    }
    runLoops();
    assertThat(lossy.outbox.isCut()).as("drop-oldest drops, never cuts").isFalse();
    assertThat(lossy.outbox.queuedBytes()).isLessThanOrEqualTo(1024);
    assertThat(strict.outbox.isCut()).as("the default, disconnect").isTrue();
  }

  @Test
  void tellsTheBackplaneOfEachChannelsFirstAndLastSubscriberAndRelaysAcceptedPublishesOnly() {
    List<String> interest = new ArrayList<>();
    List<String> relayed = new ArrayList<>();
    broker.backplane(
        (name, pattern) -> interest.add((pattern ? "p:" : "c:") + name),
        (channel, payload, from) -> relayed.add(new String(payload, US_ASCII)));
    Sub a = subscribed(0, 0, "news");
    Sub b2 = subscribed(1, 0, "news");
    broker.psubscribe(a, "n*");
    assertThat(interest).containsExactly("c:news", "p:n*");
    broker.unsubscribe(a, "news");
    assertThat(interest).hasSize(2);
    broker.unsubscribe(b2, "news");
    broker.unsubscribeAll(a);
    assertThat(interest).containsExactly("c:news", "p:n*", "c:news", "p:n*");

    Sub publisher = sub(0, 0);
    broker.publish(b("news"), b("kept"), publisher);
    broker.publish(b("news"), new byte[(int) config.maxMessageSize().toBytes() + 1], publisher);
    broker.publish(b(Broker.NOTICES_CHANNEL), b("refused"), publisher);
    assertThat(relayed).containsExactly("kept");
    runLoops();
  }

  @Test
  void gapOfUnknownSizeReachesEverySubscriberOfTheChannelThatTakesNotices() {
    Sub listening = subscribed(1, 0, "ticks");
    broker.subscribe(listening, Broker.NOTICES_CHANNEL);
    Sub deaf = subscribed(0, 0, "ticks");
    broker.noticeGap("ticks", false, "backplane");
    runLoops();
    assertThat(listening.received())
        .isEqualTo(resp2(
            Broker.NOTICES_CHANNEL,
            "{\"type\":\"gap\",\"channel\":\"ticks\",\"lost\":null,\"strategy\":\"disconnect\","
                + "\"cause\":\"backplane\"}"));
    assertThat(deaf.received()).isEmpty();
  }

  @Test
  void gapOfUnknownSizeOfAChannelAlsoReachesSubscribersOfPatternsThatMatchIt() {
    Sub byPattern = sub(1, 0);
    broker.psubscribe(byPattern, "ti*");
    broker.subscribe(byPattern, Broker.NOTICES_CHANNEL);
    Sub other = sub(0, 0);
    broker.psubscribe(other, "news.*");
    broker.subscribe(other, Broker.NOTICES_CHANNEL);
    broker.noticeGap("ticks", false, "backplane");
    runLoops();
    assertThat(byPattern.received())
        .isEqualTo(resp2(
            Broker.NOTICES_CHANNEL,
            "{\"type\":\"gap\",\"channel\":\"ti*\",\"lost\":null,\"strategy\":\"disconnect\","
                + "\"cause\":\"backplane\"}"));
    assertThat(other.received()).isEmpty();
  }
}
