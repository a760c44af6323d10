package io.spillway.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two clocks of an HTTP connection, below the codec so that it sees raw bytes: a request must arrive whole
 * within {@code http-request-timeout} of its first byte (else 408 and close: the slowloris defence, which a trickle
 * of bytes cannot reset), and a keep-alive connection with nothing in progress is closed after
 * {@code http-idle-timeout} without a byte. While a request is being worked on neither clock runs: the admission
 * layer's deadlines govern that time. Event-loop confined.
 */
final class HttpTimeouts extends ChannelDuplexHandler {

  static final String NAME = "http-timeouts";
  private static final byte[] TIMEOUT = ApiResponse.error(
          HttpResponseStatus.REQUEST_TIMEOUT,
          "request_timeout",
          "the request did not arrive whole in time")
      .toWire();

  private enum State {
    IDLE,
    READING,
    BUSY
  }

  private final long requestTimeoutNanos;
  private final long idleTimeoutNanos;
  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private int busy;
  private ScheduledFuture<?> timer;

  HttpTimeouts(long requestTimeoutNanos, long idleTimeoutNanos) {
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(idleTimeoutNanos, State.IDLE);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.IDLE && msg instanceof ByteBuf buf && buf.isReadable()) {
      arm(requestTimeoutNanos, State.READING);
    }
    ctx.fireChannelRead(msg);
  }

  /** A whole request has been read: its own clock stops until its response is written. */
  void requestArrived() {
    busy++;
    cancel();
    state = State.BUSY;
  }

  /** A response has been written; with nothing else in progress the idle clock starts. */
  void responseWritten() {
    if (busy > 0) {
      busy--;
    }
    if (busy == 0 && state == State.BUSY) {
      arm(idleTimeoutNanos, State.IDLE);
    }
  }

  /** The connection is no longer plain HTTP (a WebSocket upgrade): stop both clocks for good. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void arm(long nanos, State next) {
    cancel();
    state = next;
    timer = ctx.executor().schedule(() -> expired(next), nanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expired(State which) {
    timer = null;
    if (state != which || !ctx.channel().isActive()) {
      return;
    }
    if (which == State.READING) {
      state = State.BUSY; // no more clocks: the connection is closing
      LingeringClose.after(
          ctx.writeAndFlush(ctx.alloc().buffer(TIMEOUT.length).writeBytes(TIMEOUT)));
    } else {
      ctx.close();
    }
  }
}
