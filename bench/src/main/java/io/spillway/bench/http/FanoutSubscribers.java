package io.spillway.bench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.ClientTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RESP subscribers on the run's channel, so that each HTTP publish costs the server a real fan-out. They read and
 * discard what they receive, counting bytes; they measure nothing else. Opened and closed by one thread.
 */
final class FanoutSubscribers implements AutoCloseable {

  /** Longest wait for every subscriber's connection and first reply (its SUBSCRIBE confirmation): 10 s. */
  static final long SETUP_TIMEOUT_SECONDS = 10;

  private final List<Channel> channels = new ArrayList<>();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private volatile boolean closing;

  /**
   * Connects {@code count} subscribers to {@code address}, spread over the loops, each subscribed to
   * {@code channel}; returns once every one has its confirmation.
   *
   * @throws BenchException if one cannot connect or is not confirmed within 10 s
   */
  void open(ClientTransport transport, InetSocketAddress address, String channel, int count)
      throws BenchException, InterruptedException {
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    byte[] subscribe = ("*2\r\n$9\r\nSUBSCRIBE\r\n$" + name.length + "\r\n" + channel + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
    List<CompletableFuture<Void>> confirmed = new ArrayList<>();
    List<EventLoop> loops = transport.loops();
    for (int i = 0; i < count; i++) {
      CompletableFuture<Void> first = new CompletableFuture<>();
      confirmed.add(first);
      ChannelFuture f = transport
          .bootstrap(loops.get(i % loops.size()))
          .handler(new Subscriber(subscribe, first))
          .connect(address);
      channels.add(f.channel());
    }
    try {
      CompletableFuture.allOf(confirmed.toArray(new CompletableFuture<?>[0]))
          .get(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new BenchException(
          "RESP subscribers at " + address + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      long done = confirmed.stream().filter(CompletableFuture::isDone).count();
      throw new BenchException(
          "RESP subscribers at " + address + ": only " + done + " of " + count
              + " confirmed within " + SETUP_TIMEOUT_SECONDS + " s",
          e);
    }
  }

  long bytesReceived() {
    return bytesReceived.get();
  }

  /** Subscribers whose connection closed before {@link #close()}. */
  long disconnects() {
    return disconnects.get();
  }

  @Override
  public void close() {
    closing = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Channel ch : channels) {
      ch.close()
          .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  /** One subscriber: sends SUBSCRIBE on connect; its first reply confirms it; then discards everything. */
  private final class Subscriber extends ChannelInboundHandlerAdapter {
    private final byte[] subscribe;
    private final CompletableFuture<Void> first;

    Subscriber(byte[] subscribe, CompletableFuture<Void> first) {
      this.subscribe = subscribe;
      this.first = first;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(subscribe));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      bytesReceived.addAndGet(buf.readableBytes());
      buf.release();
      first.complete(null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      first.completeExceptionally(
          new IllegalStateException("connection closed before SUBSCRIBE was confirmed"));
      if (!closing) {
        disconnects.incrementAndGet();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      first.completeExceptionally(cause);
      ctx.close();
    }
  }
}
