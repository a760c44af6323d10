package io.spillway.server.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * Puts Netty's {@code SslHandler} (named {@value #NAME}) first in each new connection's pipeline, then the plain
 * port's own initializer after it: so a TLS port is the plain port's pipeline behind TLS, and what the outbox counts
 * is the plaintext it queues. Sharable; runs on each connection's event loop.
 */
public final class TlsInitializer extends ChannelInitializer<SocketChannel> {

  public static final String NAME = "tls";

  private final SslContext context;
  private final ChannelHandler plain;

  /** {@code plain} must be sharable (a {@link ChannelInitializer} is). */
  public TlsInitializer(SslContext context, ChannelHandler plain) {
    this.context = context;
    this.plain = plain;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast(NAME, context.newHandler(ch.alloc()));
    ch.pipeline().addLast(plain);
  }
}
