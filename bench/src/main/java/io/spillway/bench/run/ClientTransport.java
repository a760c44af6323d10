package io.spillway.bench.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's event loops and socket type: native epoll where available, NIO otherwise. Created once per
 * bench invocation and shared by all its runs, so that every target is loaded by the same threads. Thread-safe.
 */
public final class ClientTransport implements AutoCloseable {

  /** Connection time-out for every client connection: 5 s (loopback connects in microseconds). */
  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final String name;
  private final List<EventLoop> loops;

  private ClientTransport(
      EventLoopGroup group, Class<? extends SocketChannel> channelClass, String name) {
    this.group = group;
    this.channelClass = channelClass;
    this.name = name;
    List<EventLoop> all = new ArrayList<>();
    for (EventExecutor e : group) {
      all.add((EventLoop) e);
    }
    this.loops = List.copyOf(all);
  }

  /**
   * Starts {@code threads} event loop threads.
   *
   * @throws IllegalArgumentException if {@code threads} is not in 1..256
   */
  public static ClientTransport create(int threads) {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("--threads " + threads + " is outside 1..256");
    }
    DefaultThreadFactory factory = new DefaultThreadFactory("bench-loop", true);
    if (Epoll.isAvailable()) {
      return new ClientTransport(
          new EpollEventLoopGroup(threads, factory), EpollSocketChannel.class, "epoll");
    }
    return new ClientTransport(
        new NioEventLoopGroup(threads, factory), NioSocketChannel.class, "nio");
  }

  /** {@code epoll} or {@code nio}. */
  public String name() {
    return name;
  }

  /** The event loops, one per thread, in a stable order; a run spreads its connections over them. */
  public List<EventLoop> loops() {
    return loops;
  }

  /** A client bootstrap whose channels are registered with {@code loop}: TCP_NODELAY, pooled buffers. */
  public Bootstrap bootstrap(EventLoop loop) {
    return new Bootstrap()
        .group(loop)
        .channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
  }

  /** Stops the event loops, waiting at most a few seconds. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
