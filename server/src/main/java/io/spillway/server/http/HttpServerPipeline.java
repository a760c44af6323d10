package io.spillway.server.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Builds each HTTP connection's pipeline, socket side first: the connection guard (max connections), the two
 * timeouts (slowloris, idle), Netty's HTTP/1.1 response encoder and request decoder (held to RFC 9112 by
 * {@link StrictRequestDecoder}, with the header limit), the body-limited aggregator, and the API handler. Every handler but the guard is named {@code http-...}, so a WebSocket upgrade can remove them all.
 */
final class HttpServerPipeline extends ChannelInitializer<SocketChannel> {

  /** The longest request line (method, target, version): longer is answered 414. */
  static final int MAX_REQUEST_LINE = 8192;
  /** Netty's chunk size: the most body bytes the decoder hands on at once. */
  private static final int MAX_CHUNK = 16 * 1024;

  private final HttpApi api;
  private final HttpConnectionGuard guard;

  HttpServerPipeline(HttpApi api, HttpConnectionGuard guard) {
    this.api = api;
    this.guard = guard;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast(HttpConnectionGuard.NAME, guard);
    p.addLast(
        HttpTimeouts.NAME,
        new HttpTimeouts(
            api.config.requestTimeout().toNanos(), api.config.idleTimeout().toNanos()));
    p.addLast("http-encoder", new HttpResponseEncoder());
    p.addLast(
        StrictRequestDecoder.NAME,
        new StrictRequestDecoder(
            MAX_REQUEST_LINE, api.config.maxHeaderSize().toIntBytes(), MAX_CHUNK));
    p.addLast(
        BodyLimitAggregator.NAME,
        new BodyLimitAggregator(api.config.maxBodySize().toIntBytes()));
    p.addLast(HttpApiHandler.NAME, new HttpApiHandler(api));
  }
}
