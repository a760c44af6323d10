package io.spillway.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes client bytes into {@link RespRequest}s with redis-server's request grammar: multibulk arrays
 * ({@code *<n>\r\n} followed by {@code n} times {@code $<len>\r\n<bytes>\r\n}) and inline lines split like
 * {@code redis-cli} input. Empty multibulks ({@code *0}, {@code *-1}) and blank inline lines produce nothing.
 *
 * <p>A request that breaks the grammar or a limit makes {@link #decode} throw a {@link RespProtocolException}
 * carrying redis-server's error text; requests decoded before it have already been passed on, and every byte after
 * it, now and later, is discarded. Closing the connection is up to the handler that receives the exception.
 *
 * <p>One instance per channel. Every method, {@link #pause()} and {@link #resume} included, must be called on the
 * channel's event loop.
 */
public final class RespRequestDecoder extends ByteToMessageDecoder {

  /*
   * Design notes (for maintainers).
   *
   * The grammar, the order of the checks and the error texts follow processMultibulkBuffer and processInlineBuffer
   * in Redis 7.0 networking.c, including its leniencies: a header line is found by its '\r' and the byte after the
   * '\r' is skipped unchecked, as are the two bytes after a bulk's payload; a request starting with anything but '*'
   * is inline. Integers follow string2ll (see AsciiDecimal). Departures: Redis's strchr() stops at a NUL in the
   * query buffer and then waits for a line end that never comes, where we read on (a hang becomes a reply); an
   * inline line is measured whether or not its '\n' has arrived, so the outcome does not depend on how TCP split the
   * bytes; and maxRequestSize, which Redis lacks, bounds one command.
   *
   * Memory. Each bulk is copied out of the cumulation as soon as it is complete, so the cumulation holds at most one
   * read plus one unfinished header or small bulk. A bulk of BIG_ARG bytes or more (Redis's PROTO_MBULK_BIG_ARG) is
   * streamed into its own array as it arrives, which lets the cumulation be released after every read; the array
   * grows by doubling and is never allocated ahead of the bytes, so a client that announces a large bulk and sends
   * nothing costs nothing. Limits are checked on the header, before any payload. What one connection holds is
   * therefore bounded by maxRequestSize (plus half of the last big argument while it grows) plus one read.
   *
   * Pausing. decode() emits at most one request per call and does nothing while paused; ByteToMessageDecoder
   * passes each request on before calling decode() again, so a pause() from the receiving handler stops the batch
   * right after the request being handled. While paused, autoRead is off, and channelReadComplete must not call
   * super: ByteToMessageDecoder would otherwise ask for another read because nothing was decoded, which defeats the
   * pause. resume() inside a decode loop (decoding == true) only clears the flag and lets that loop go on.
   */

  /** Longest multibulk or bulk count line: Redis's PROTO_INLINE_MAX_SIZE. */
  static final int MAX_COUNT_LINE = 64 * 1024;
  /** Bulks this long or longer are streamed into their array instead of waiting in the cumulation. */
  static final int BIG_ARG = 32 * 1024;
  /** Initial argument array capacity, so that a large announced count allocates nothing ahead of its arguments. */
  private static final int INITIAL_ARGS = 1024;
  /** The longest array the JVM reliably allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static final byte[] EMPTY = new byte[0];

  /** Redis 7.0's limits for a client that must still authenticate: more arguments or bytes need AUTH first. */
  static final int UNAUTHENTICATED_MAX_ARGUMENTS = 10;

  static final int UNAUTHENTICATED_MAX_BULK_LENGTH = 16_384;

  private final int maxBulkLength;
  private final int maxArguments;
  private boolean authenticationRequired;
  private final int maxInlineLength;
  private final long maxRequestSize;
  private final String requestTooLarge;

  private ChannelHandlerContext context;
  private boolean paused;
  private boolean failed;
  private boolean decoding;
  private long emitted;

  /** Arguments of the multibulk in progress; {@code null} between requests. */
  private byte[][] args;

  private int argc;
  private int argTotal;
  private long requestBytes;
  /** Payload length of the bulk whose header has been read; -1 while its header is awaited. */
  private int bulkLength = -1;

  private byte[] bigArg;
  private int bigArgFilled;

  /**
   * @param maxBulkLength longest argument, in bytes (Redis's {@code proto-max-bulk-len})
   * @param maxArguments most arguments in one multibulk request, the command name included
   * @param maxInlineLength longest inline line, counting a {@code \r} before its {@code \n}
   * @param maxRequestSize most argument bytes in one request
   * @throws IllegalArgumentException if a limit is not positive or an int limit exceeds {@code 2^31 - 9}
   */
  public RespRequestDecoder(
      int maxBulkLength, int maxArguments, int maxInlineLength, long maxRequestSize) {
    this.maxBulkLength = (int) checkLimit("maxBulkLength", maxBulkLength, MAX_ARRAY);
    this.maxArguments = (int) checkLimit("maxArguments", maxArguments, MAX_ARRAY);
    this.maxInlineLength = (int) checkLimit("maxInlineLength", maxInlineLength, MAX_ARRAY);
    this.maxRequestSize = checkLimit("maxRequestSize", maxRequestSize, Long.MAX_VALUE);
    this.requestTooLarge = "Protocol error: request of more than " + maxRequestSize + " bytes";
  }

  private static long checkLimit(String name, long value, long max) {
    if (value <= 0 || value > max) {
      throw new IllegalArgumentException(name + " must be in [1, " + max + "], was " + value);
    }
    return value;
  }

  /**
   * Stops decoding until {@link #resume}: bytes already received stay buffered, and the channel stops reading
   * ({@code autoRead} off). May be called from the handler receiving a request, in which case the next request of
   * the same read is not passed on. Idempotent.
   */
  /**
   * While {@code required}, requests are held to Redis's limits for clients that have not authenticated yet (10
   * arguments, 16 KiB per argument), so that a client without the password cannot make the server buffer large
   * requests. Event loop only.
   */
  public void requireAuthentication(boolean required) {
    this.authenticationRequired = required;
  }

  public void pause() {
    if (paused) {
      return;
    }
    paused = true;
    if (context != null) {
      context.channel().config().setAutoRead(false);
    }
  }

  /**
   * Ends a {@link #pause()}: passes on every complete request already buffered, then fires {@code
   * channelReadComplete} if there was any, and turns {@code autoRead} back on unless a handler paused again
   * meanwhile. A protocol error in the buffered bytes is fired as {@code exceptionCaught}, not thrown. Does nothing
   * if not paused.
   *
   * @param ctx this decoder's own context, {@code pipeline.context(decoder)}
   * @throws IllegalArgumentException if {@code ctx} belongs to another handler
   */
  public void resume(ChannelHandlerContext ctx) {
    if (ctx.handler() != this) {
      throw new IllegalArgumentException(
          "resume needs the decoder's own context, got " + ctx.name());
    }
    if (!paused) {
      return;
    }
    paused = false;
    if (!decoding && !ctx.isRemoved()) {
      decodeBuffered(ctx);
    }
    if (!paused) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Whether the decoder is paused. */
  public boolean paused() {
    return paused;
  }

  private void decodeBuffered(ChannelHandlerContext ctx) {
    ByteBuf buffered = internalBuffer();
    if (!buffered.isReadable()) {
      return;
    }
    long before = emitted;
    List<Object> out = new ArrayList<>(1);
    DecoderException error = null;
    decoding = true;
    try {
      callDecode(ctx, buffered, out);
    } catch (DecoderException e) {
      error = e;
    } finally {
      decoding = false;
    }
    for (Object request : out) {
      ctx.fireChannelRead(request);
    }
    if (error != null) {
      ctx.fireExceptionCaught(error);
    }
    if (emitted != before) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    context = ctx;
    if (paused) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    boolean outer = decoding;
    decoding = true;
    try {
      super.channelRead(ctx, msg);
    } finally {
      decoding = outer;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (paused) {
      discardSomeReadBytes();
      ctx.fireChannelReadComplete();
    } else {
      super.channelReadComplete(ctx);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (paused) {
      return;
    }
    try {
      while (in.isReadable()) {
        int before = in.readerIndex();
        RespRequest request = step(in);
        if (request != null) {
          emitted++;
          out.add(request);
          return;
        }
        if (in.readerIndex() == before) {
          return;
        }
      }
    } catch (RespProtocolException e) {
      failed = true;
      args = null;
      bigArg = null;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  /** Consumes what it can of one request; returns the request once complete. Consuming nothing means "wait". */
  private RespRequest step(ByteBuf in) {
    if (args != null) {
      return readArgument(in);
    }
    if (in.getByte(in.readerIndex()) == '*') {
      readArgumentCount(in);
      return null;
    }
    return readInline(in);
  }

  private void readArgumentCount(ByteBuf in) {
    int cr = findHeaderEnd(in, "Protocol error: too big mbulk count string");
    if (cr < 0) {
      return;
    }
    long n = AsciiDecimal.parse(in, in.readerIndex() + 1, cr);
    if (n == AsciiDecimal.INVALID || n > maxArguments) {
      throw new RespProtocolException("Protocol error: invalid multibulk length");
    }
    if (authenticationRequired && n > UNAUTHENTICATED_MAX_ARGUMENTS) {
      throw new RespProtocolException("Protocol error: unauthenticated multibulk length");
    }
    in.readerIndex(cr + 2);
    if (n > 0) {
      argTotal = (int) n;
      args = new byte[Math.min(argTotal, INITIAL_ARGS)][];
      argc = 0;
      requestBytes = 0;
    }
  }

  private RespRequest readArgument(ByteBuf in) {
    if (bulkLength < 0 && !readBulkHeader(in)) {
      return null;
    }
    if (bulkLength >= BIG_ARG) {
      return readBigArgument(in);
    }
    if (in.readableBytes() < bulkLength + 2) {
      return null;
    }
    byte[] arg = bulkLength == 0 ? EMPTY : new byte[bulkLength];
    in.readBytes(arg);
    in.skipBytes(2);
    return addArgument(arg);
  }

  private boolean readBulkHeader(ByteBuf in) {
    int cr = findHeaderEnd(in, "Protocol error: too big bulk count string");
    if (cr < 0) {
      return false;
    }
    int start = in.readerIndex();
    byte first = in.getByte(start);
    if (first != '$') {
      char shown = first == '\r' || first == '\n' ? ' ' : (char) (first & 0xFF);
      throw new RespProtocolException("Protocol error: expected '$', got '" + shown + "'");
    }
    long length = AsciiDecimal.parse(in, start + 1, cr);
    if (length == AsciiDecimal.INVALID || length < 0 || length > maxBulkLength) {
      throw new RespProtocolException("Protocol error: invalid bulk length");
    }
    if (authenticationRequired && length > UNAUTHENTICATED_MAX_BULK_LENGTH) {
      throw new RespProtocolException("Protocol error: unauthenticated bulk length");
    }
    if (requestBytes + length > maxRequestSize) {
      throw new RespProtocolException(requestTooLarge);
    }
    in.readerIndex(cr + 2);
    bulkLength = (int) length;
    return true;
  }

  private RespRequest readBigArgument(ByteBuf in) {
    int missing = bulkLength - bigArgFilled;
    if (missing > 0) {
      int n = Math.min(missing, in.readableBytes());
      if (n == 0) {
        return null;
      }
      int needed = bigArgFilled + n;
      if (bigArg == null || bigArg.length < needed) {
        int capacity = bigArg == null ? BIG_ARG : bigArg.length * 2;
        bigArg = Arrays.copyOf(
            bigArg == null ? EMPTY : bigArg, Math.min(bulkLength, Math.max(needed, capacity)));
      }
      in.readBytes(bigArg, bigArgFilled, n);
      bigArgFilled = needed;
      if (needed < bulkLength) {
        return null;
      }
    }
    if (in.readableBytes() < 2) {
      return null;
    }
    in.skipBytes(2);
    byte[] arg = bigArg;
    bigArg = null;
    bigArgFilled = 0;
    return addArgument(arg);
  }

  private RespRequest addArgument(byte[] arg) {
    if (argc == args.length) {
      args = Arrays.copyOf(args, (int) Math.min(argTotal, 2L * argc));
    }
    args[argc++] = arg;
    requestBytes += arg.length;
    bulkLength = -1;
    if (argc < argTotal) {
      return null;
    }
    RespRequest request = new RespRequest(args, false);
    args = null;
    return request;
  }

  private RespRequest readInline(ByteBuf in) {
    int start = in.readerIndex();
    int window = (int) Math.min(in.readableBytes(), maxInlineLength + 1L);
    int lf = in.indexOf(start, start + window, (byte) '\n');
    if (lf < 0) {
      if (in.readableBytes() > maxInlineLength) {
        throw new RespProtocolException("Protocol error: too big inline request");
      }
      return null;
    }
    int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    byte[] line = new byte[end - start];
    in.getBytes(start, line);
    in.readerIndex(lf + 1);
    byte[][] argv = InlineSplitter.split(line, line.length);
    if (argv == null) {
      throw new RespProtocolException("Protocol error: unbalanced quotes in request");
    }
    if (argv.length == 0) {
      return null;
    }
    long size = 0;
    for (byte[] arg : argv) {
      size += arg.length;
    }
    if (size > maxRequestSize) {
      throw new RespProtocolException(requestTooLarge);
    }
    return new RespRequest(argv, true);
  }

  /**
   * The index of the {@code \r} ending the header line at the reader index, or -1 if the line and the byte after
   * its {@code \r} have not all arrived. Like Redis, gives up with {@code tooBig} only when no {@code \r} is
   * buffered at all and more than {@link #MAX_COUNT_LINE} bytes are.
   */
  private static int findHeaderEnd(ByteBuf in, String tooBig) {
    int cr = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
    if (cr < 0) {
      if (in.readableBytes() > MAX_COUNT_LINE) {
        throw new RespProtocolException(tooBig);
      }
      return -1;
    }
    return cr > in.writerIndex() - 2 ? -1 : cr;
  }
}
