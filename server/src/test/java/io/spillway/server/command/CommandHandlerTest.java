package io.spillway.server.command;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.time.ManualClock;
import io.spillway.server.TestBrokers;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.resp.RespRequestDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command layer on an {@link EmbeddedChannel}, with the pipeline SpillwayServer builds for each connection
 * (outbox, decoder, commands) over one loop and one broker: request bytes in, exact reply bytes out.
 */
class CommandHandlerTest {

  @SuppressWarnings(
      "StringConcatToTextBlock") // RESP bytes: every \r\n is part of the protocol, clearer escaped
  private static final String HELLO_FIELDS_AFTER_PROTO = "$2\r\nid\r\n:1\r\n"
      + "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";

  private static final String HELLO_FIELDS_BEFORE_PROTO =
      "$6\r\nserver\r\n$8\r\nspillway\r\n$7\r\nversion\r\n$5\r\n7.0.0\r\n$5\r\nproto\r\n";

  private final ManualClock clock = new ManualClock();
  private EmbeddedChannel channel;

  @AfterEach
  void releaseEverything() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  /** One client connected to a server of {@code config}, with the server's per-connection pipeline. */
  private EmbeddedChannel connect(ServerConfig config) {
    ServerStats stats = new ServerStats();
    ClientRegistry clients = new ClientRegistry(config.maxClients());
    channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        IoLoop[] loops = TestBrokers.loops(ch.eventLoop());
        IoLoop loop = loops[0];
        ServerContext context = new ServerContext(
            config,
            TestBrokers.broker(loops, config, stats),
            clients,
            stats,
            loops,
            clock,
            stats.publisherPauses(),
            "embedded",
            6380);
        OutboxHandler outbox = new OutboxHandler(
            config.subscriberLimits(), config.normalLimits(), 16 * 1024, stats, clock);
        RespRequestDecoder decoder = new RespRequestDecoder(
            config.maxBulkLength().toIntBytes(),
            config.maxArguments(),
            config.maxInlineLength().toIntBytes(),
            config.maxRequestSize().toBytes());
        ch.pipeline()
            .addLast("outbox", outbox)
            .addLast("decoder", decoder)
            .addLast("commands", new CommandHandler(context, loop, outbox, decoder));
      }
    });
    return channel;
  }

  private EmbeddedChannel connect() {
    return connect(ServerConfig.builder().port(0).build());
  }

  /** Writes {@code request} as one read and returns every byte written back, releasing each buffer. */
  private String exchange(String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, ISO_8859_1));
    channel.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        out.append(buf.toString(ISO_8859_1));
      } finally {
        buf.release();
      }
    }
    return out.toString();
  }

  @Test
  void pingRepliesPong() {
    connect();

    assertThat(exchange("*1\r\n$4\r\nPING\r\n")).isEqualTo("+PONG\r\n");
    assertThat(exchange("PING\r\n")).isEqualTo("+PONG\r\n");
    assertThat(exchange("*2\r\n$4\r\nping\r\n$5\r\nhello\r\n")).isEqualTo("$5\r\nhello\r\n");
  }

  @Test
  void echoRepliesItsArgumentAsBulk() {
    connect();

    assertThat(exchange("*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n"))
        .isEqualTo("$12\r\nhello\r\nworld\r\n");
    assertThat(exchange("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")).isEqualTo("$0\r\n\r\n");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    connect();

    assertThat(exchange("PING\r\nECHO a\r\nECHO b\r\nPING\r\n"))
        .isEqualTo("+PONG\r\n$1\r\na\r\n$1\r\nb\r\n+PONG\r\n");
  }

  @Test
  void hello3RepliesWithSevenPairMap() {
    connect();

    assertThat(exchange("HELLO 3\r\n"))
        .isEqualTo("%7\r\n" + HELLO_FIELDS_BEFORE_PROTO + ":3\r\n" + HELLO_FIELDS_AFTER_PROTO);
  }

  @Test
  void helloWithoutVersionRepliesWithFourteenElementArrayInResp2() {
    connect();

    assertThat(exchange("HELLO\r\n"))
        .isEqualTo("*14\r\n" + HELLO_FIELDS_BEFORE_PROTO + ":2\r\n" + HELLO_FIELDS_AFTER_PROTO);
  }

  @Test
  void helloWithUnsupportedVersionGetsNoproto() {
    connect();

    assertThat(exchange("HELLO 4\r\n")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
    assertThat(exchange("HELLO x\r\n"))
        .isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
  }

  @Test
  void subscribeConfirmsEachChannelInResp2() {
    connect();

    assertThat(exchange("*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$2\r\nbc\r\n"))
        .isEqualTo(
            "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nbc\r\n:2\r\n");
    assertThat(exchange("PSUBSCRIBE x*\r\n"))
        .isEqualTo("*3\r\n$10\r\npsubscribe\r\n$2\r\nx*\r\n:3\r\n");
  }

  @Test
  void subscribeConfirmsWithPushInResp3() {
    connect();
    exchange("HELLO 3\r\n");

    assertThat(exchange("SUBSCRIBE a\r\n")).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
    assertThat(exchange("UNSUBSCRIBE a\r\n"))
        .isEqualTo(">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n");
  }

  @Test
  void unsubscribeWithoutSubscriptionsRepliesNilChannelAndZero() {
    connect();

    assertThat(exchange("UNSUBSCRIBE\r\n")).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    assertThat(exchange("PUNSUBSCRIBE\r\n"))
        .isEqualTo("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n");
  }

  @Test
  void unsubscribeWithoutSubscriptionsRepliesNullInResp3() {
    connect();
    exchange("HELLO 3\r\n");

    assertThat(exchange("UNSUBSCRIBE\r\n")).isEqualTo(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
  }

  @Test
  void pingWhileSubscribedInResp2RepliesPongArray() {
    connect();
    exchange("SUBSCRIBE a\r\n");

    assertThat(exchange("PING\r\n")).isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    assertThat(exchange("PING hi\r\n")).isEqualTo("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
  }

  @Test
  void pingWhileSubscribedInResp3RepliesAsUsual() {
    connect();
    exchange("HELLO 3\r\n");
    exchange("SUBSCRIBE a\r\n");

    assertThat(exchange("PING\r\n")).isEqualTo("+PONG\r\n");
    assertThat(exchange("PING hi\r\n")).isEqualTo("$2\r\nhi\r\n");
  }

  @Test
  void otherCommandsWhileSubscribedInResp2GetContextError() {
    connect();
    exchange("SUBSCRIBE a\r\n");

    assertThat(exchange("PUBLISH a b\r\n"))
        .isEqualTo("-ERR Can't execute 'publish': only (P|S)SUBSCRIBE / "
            + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
    assertThat(exchange("CLIENT ID\r\n"))
        .isEqualTo("-ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / "
            + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
    assertThat(exchange("UNSUBSCRIBE\r\nPUBLISH a b\r\n"))
        .isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n:0\r\n");
  }

  @Test
  void unknownCommandErrorQuotesNameAndArguments() {
    connect();

    assertThat(exchange("*3\r\n$3\r\nFOO\r\n$1\r\na\r\n$3\r\nb c\r\n"))
        .isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'a' 'b c' \r\n");
    assertThat(exchange("nosuch\r\n"))
        .isEqualTo("-ERR unknown command 'nosuch', with args beginning with: \r\n");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void wrongArityErrorNamesCommandOrSubcommand() {
    connect();

    assertThat(exchange("ECHO\r\n"))
        .isEqualTo("-ERR wrong number of arguments for 'echo' command\r\n");
    assertThat(exchange("PUBLISH a\r\n"))
        .isEqualTo("-ERR wrong number of arguments for 'publish' command\r\n");
    assertThat(exchange("CLIENT SETNAME\r\n"))
        .isEqualTo("-ERR wrong number of arguments for 'client|setname' command\r\n");
    assertThat(exchange("CLIENT FOO\r\n"))
        .isEqualTo("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void commandsBeforeAuthGetNoauth() {
    connect(ServerConfig.builder().port(0).requirePass("secret").build());

    assertThat(exchange("PING\r\n")).isEqualTo("-NOAUTH Authentication required.\r\n");
    assertThat(exchange("SUBSCRIBE a\r\n")).isEqualTo("-NOAUTH Authentication required.\r\n");
    assertThat(exchange("AUTH wrong\r\n"))
        .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    assertThat(exchange("AUTH secret\r\nPING\r\n")).isEqualTo("+OK\r\n+PONG\r\n");
  }

  @Test
  void helloBeforeAuthGetsRedis70NoauthText() {
    connect(ServerConfig.builder().port(0).requirePass("secret").build());

    // Redis 7.0 (networking.c helloCommand) names the option "HELLO AUTH <user> <pass>"; 7.2 added
    // "<proto>".
    assertThat(exchange("HELLO 3\r\n"))
        .isEqualTo("-NOAUTH HELLO must be called with the client already "
            + "authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time\r\n");
    assertThat(exchange("HELLO 3 AUTH default secret\r\n"))
        .isEqualTo("%7\r\n" + HELLO_FIELDS_BEFORE_PROTO + ":3\r\n" + HELLO_FIELDS_AFTER_PROTO);
  }

  @Test
  void clientSetnameWithSpaceIsRefused() {
    connect();

    assertThat(exchange("*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$3\r\na b\r\n"))
        .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
    assertThat(exchange("CLIENT GETNAME\r\n")).isEqualTo("$-1\r\n");
    assertThat(exchange("CLIENT SETNAME ok-name\r\nCLIENT GETNAME\r\n"))
        .isEqualTo("+OK\r\n$7\r\nok-name\r\n");
  }

  @Test
  void protocolErrorRepliesThenClosesTheChannel() {
    connect();

    assertThat(exchange("*abc\r\n")).isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
    assertThat(channel.isOpen()).isFalse();
  }
}
