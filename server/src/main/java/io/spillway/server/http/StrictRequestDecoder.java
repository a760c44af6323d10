package io.spillway.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder, held to RFC 9112 where Netty is lenient: a request head with a bare LF or CR, a folded
 * header, {@code Content-Length} together with {@code Transfer-Encoding} (§6.3: a request-smuggling vector), a
 * transfer coding other than {@code chunked}, a version other than HTTP/1.0 or HTTP/1.1 (505), or an HTTP/1.1
 * request without exactly one {@code Host} (§3.2) comes out with a failed decoder result whose cause is a
 * {@link RequestRejectedException}; the router answers it and closes the connection, so nothing that follows such a
 * request on the connection is answered. Event-loop confined.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

  /*
   * Design note. The head's bytes are checked after Netty has consumed them: a decode() call that ends a head
   * returns right after emitting the request (and one that ends a body right after its last content), so the bytes
   * one call consumed while no request was open belong to a head, and are still in the buffer below its reader
   * index. The request is marked failed before decode() returns, that is before it travels down the pipeline.
   */

  static final String NAME = "http-decoder";

  private final RequestHeadScanner head = new RequestHeadScanner();
  private boolean inBody;
  private boolean lengthWithTransferEncoding;

  StrictRequestDecoder(int maxRequestLine, int maxHeaderSize, int maxChunk) {
    super(new HttpDecoderConfig()
        .setMaxInitialLineLength(maxRequestLine)
        .setMaxHeaderSize(maxHeaderSize)
        .setMaxChunkSize(maxChunk));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int from = in.readerIndex();
    int before = out.size();
    super.decode(ctx, in, out);
    if (!inBody) {
      for (int i = from, end = in.readerIndex(); i < end; i++) {
        head.scan(in.getByte(i));
      }
    }
    for (int i = before; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest request) {
        check(request);
        head.reset();
        lengthWithTransferEncoding = false;
        inBody = true;
      }
      if (o instanceof LastHttpContent) {
        inBody = false;
      }
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    lengthWithTransferEncoding = true;
    super.handleTransferEncodingChunkedWithContentLength(message);
  }

  private void check(HttpRequest req) {
    if (req.decoderResult().isFailure()) {
      return;
    }
    RequestRejectedException problem = problem(req);
    if (problem != null) {
      req.setDecoderResult(DecoderResult.failure(problem));
    }
  }

  private RequestRejectedException problem(HttpRequest req) {
    if (head.problem() != null) {
      return new RequestRejectedException(
          HttpResponseStatus.BAD_REQUEST, "malformed_request", head.problem());
    }
    HttpVersion v = req.protocolVersion();
    if (!"HTTP".equals(v.protocolName()) || v.majorVersion() != 1 || v.minorVersion() > 1) {
      return new RequestRejectedException(
          HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "http_version_not_supported",
          v.text() + " is not supported; use HTTP/1.1");
    }
    if (lengthWithTransferEncoding
        || (req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
            && req.headers().contains(HttpHeaderNames.CONTENT_LENGTH))) {
      return new RequestRejectedException(
          HttpResponseStatus.BAD_REQUEST,
          "ambiguous_body_length",
          "Content-Length together with Transfer-Encoding is refused (RFC 9112 section 6.3); send one of them");
    }
    List<String> codings = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()
        && (codings.size() > 1 || !"chunked".equalsIgnoreCase(codings.get(0).trim()))) {
      return new RequestRejectedException(
          HttpResponseStatus.NOT_IMPLEMENTED,
          "unsupported_transfer_coding",
          "the only transfer coding accepted is 'Transfer-Encoding: chunked'");
    }
    if (v.minorVersion() == 1 && req.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
      return new RequestRejectedException(
          HttpResponseStatus.BAD_REQUEST,
          "missing_host",
          "an HTTP/1.1 request needs exactly one Host header (RFC 9112 section 3.2)");
    }
    return null;
  }
}
