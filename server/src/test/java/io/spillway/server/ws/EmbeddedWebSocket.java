package io.spillway.server.ws;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.spillway.core.time.ManualClock;
import io.spillway.server.TestBrokers;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection on an {@link EmbeddedChannel} with the HTTP pipeline the router builds ({@code http-codec}, {@code
 * http-aggregator}, {@code http-router}) and a router stand-in that hands {@code GET /v1/ws} to the endpoint; plus a
 * client side: a masking frame encoder for what the test sends and an unmasked frame decoder for what it gets.
 */
final class EmbeddedWebSocket implements AutoCloseable {

  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  final ManualClock clock = new ManualClock();
  final ServerStats stats = new ServerStats();
  final ClientRegistry clients;
  final EmbeddedChannel channel;
  IoLoop loop;
  Broker broker;
  WebSocketEndpoint endpoint;
  private final EmbeddedChannel clientDecoder =
      new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 24));
  private final EmbeddedChannel clientEncoder =
      new EmbeddedChannel(new WebSocket13FrameEncoder(true));
  private final StringBuilder http = new StringBuilder();
  private boolean inHttp = true;

  /** Stands in for the lead's HTTP router: passes the query's channels to the endpoint. */
  private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      List<String> channels =
          new QueryStringDecoder(request.uri()).parameters().getOrDefault("channel", List.of());
      endpoint.upgrade(ctx, request, channels);
    }
  }

  EmbeddedWebSocket(ServerConfig config) {
    this.clients = new ClientRegistry(config.maxClients());
    this.channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        IoLoop[] loops = TestBrokers.loops(ch.eventLoop());
        loop = loops[0];
        broker = TestBrokers.broker(loops, config, stats);
        endpoint = new WebSocketEndpoint(
            config, broker, clients, stats, clock, stats.publisherPauses(), l -> loop);
        ch.pipeline()
            .addLast("http-codec", new HttpServerCodec())
            .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
            .addLast("http-router", new Router());
      }
    });
  }

  /** Sends the opening handshake for {@code path} with {@code headers} (CRLF-terminated lines) added. */
  EmbeddedWebSocket request(String path, String extraHeaders) {
    String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n";
    channel.writeInbound(Unpooled.copiedBuffer(request, ISO_8859_1));
    channel.runPendingTasks();
    return this;
  }

  /** Sends a valid opening handshake for {@code path}. */
  EmbeddedWebSocket upgrade(String path) {
    return request(
        path,
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
            + "\r\nSec-WebSocket-Version: 13\r\n");
  }

  /** Everything the server has written: the HTTP response head, then frames, decoded as a client would. */
  List<Object> frames() {
    channel.runPendingTasks();
    List<Object> out = new ArrayList<>();
    for (Object m; (m = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) m;
      if (inHttp) {
        String s = b.toString(ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) {
          http.append(s);
          b.release();
          continue;
        }
        http.append(s, 0, end + 4);
        if (!http.toString().startsWith("HTTP/1.1 101 ")) {
          http.append(s, end + 4, s.length()); // an error response's body: no frames follow
          b.release();
          continue;
        }
        inHttp = false;
        b.skipBytes(end + 4);
      }
      clientDecoder.writeInbound(b);
    }
    for (Object f; (f = clientDecoder.readInbound()) != null; ) {
      out.add(f);
    }
    return out;
  }

  /** The text of every frame written since the last call; fails on a frame that is not text. */
  List<String> texts() {
    List<String> out = new ArrayList<>();
    for (Object f : frames()) {
      out.add(WebSocketFramesTest.text(f));
    }
    return out;
  }

  /** The HTTP response head the server wrote. */
  String httpResponse() {
    frames().forEach(f -> ((WebSocketFrame) f).release());
    return http.toString();
  }

  /** Sends {@code frame} masked, as a client must. */
  void send(WebSocketFrame frame) {
    clientEncoder.writeOutbound(frame);
    ByteBuf wire = Unpooled.buffer();
    for (Object m; (m = clientEncoder.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) m;
      wire.writeBytes(b);
      b.release();
    }
    channel.writeInbound(wire);
    channel.runPendingTasks();
  }

  void sendText(String text) {
    send(new TextWebSocketFrame(Unpooled.copiedBuffer(text, UTF_8)));
  }

  WebSocketCommandHandler commands() {
    return (WebSocketCommandHandler) channel.pipeline().get(WebSocketEndpoint.COMMANDS);
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
    clientDecoder.finishAndReleaseAll();
    clientEncoder.finishAndReleaseAll();
  }
}
