package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Sits behind the decoder in tests: records the requests, read-complete events and exceptions it receives, and can
 * run an action after the n-th request (to pause the decoder from inside a batch). Also hands out pooled, leak-tracked
 * input buffers and remembers them so that a test can check they were all released.
 */
final class RecordingHandler extends ChannelInboundHandlerAdapter {

  final List<RespRequest> requests = new ArrayList<>();
  final List<Throwable> exceptions = new ArrayList<>();
  int readCompletes;
  private final List<ByteBuf> inputs = new ArrayList<>();
  private IntConsumer afterRequest = n -> {};

  /** A channel with {@code decoder} and this handler, in that order. */
  EmbeddedChannel channel(RespRequestDecoder decoder) {
    return new EmbeddedChannel(decoder, this);
  }

  void afterRequest(IntConsumer action) {
    afterRequest = action;
  }

  ByteBuf input(String text) {
    return input(text.getBytes(ISO_8859_1));
  }

  ByteBuf input(byte[] bytes) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(bytes.length);
    buf.writeBytes(bytes);
    inputs.add(buf);
    return buf;
  }

  boolean allInputsReleased() {
    return inputs.stream().allMatch(b -> b.refCnt() == 0);
  }

  /** Each request as its arguments decoded to ISO-8859-1 strings. */
  List<List<String>> args() {
    List<List<String>> all = new ArrayList<>();
    for (RespRequest r : requests) {
      List<String> args = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        args.add(r.argString(i));
      }
      all.add(args);
    }
    return all;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    requests.add((RespRequest) msg);
    afterRequest.accept(requests.size());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readCompletes++;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    exceptions.add(cause);
  }
}
