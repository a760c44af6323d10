package io.spillway.bench.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** The pipeline of a load connection: HTTP/1.1 codec, aggregation of each response, then the connection. */
final class HttpClientInitializer extends ChannelInitializer<SocketChannel> {

  /** Largest response body read: 64 KiB (publish answers are a few bytes). */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final HttpConnectionHandler connection;

  HttpClientInitializer(HttpConnectionHandler connection) {
    this.connection = connection;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast(new HttpClientCodec())
        .addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES))
        .addLast(connection);
  }
}
