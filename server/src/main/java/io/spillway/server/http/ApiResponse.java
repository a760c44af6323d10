package io.spillway.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response decided on any thread (a worker, or the event loop for sheds), turned into Netty's message on the
 * connection's event loop by {@link #toNetty}. Immutable once built.
 */
final class ApiResponse {

  static final String JSON = "application/json";

  final HttpResponseStatus status;
  final String contentType;
  final byte[] body;
  final List<String[]> headers;
  /** Close the connection once this is written (a request the connection cannot continue after). */
  final boolean close;
  /** The shed reason, for the X-Spillway-Shed header and the metrics; null when the request was not shed. */
  final String shedReason;

  private ApiResponse(
      HttpResponseStatus status,
      String contentType,
      byte[] body,
      List<String[]> headers,
      boolean close,
      String shedReason) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.headers = headers;
    this.close = close;
    this.shedReason = shedReason;
  }

  static ApiResponse json(HttpResponseStatus status, byte[] body) {
    return new ApiResponse(status, JSON, body, List.of(), false, null);
  }

  static ApiResponse text(HttpResponseStatus status, String contentType, byte[] body) {
    return new ApiResponse(status, contentType, body, List.of(), false, null);
  }

  /** An error with a JSON body {@code {"error": ..., "message": ...}}. */
  static ApiResponse error(HttpResponseStatus status, String error, String message) {
    return json(status, Json.bytes(Json.object("error", error, "message", message)));
  }

  /**
   * A shed request: {@code status} (503, 429 or 504) with {@code Retry-After} (when positive) and
   * {@code X-Spillway-Shed}, and a JSON body naming the reason.
   */
  static ApiResponse shed(
      HttpResponseStatus status, String reason, long retryAfterSeconds, String message) {
    List<String[]> h = new ArrayList<>(2);
    h.add(new String[] {"X-Spillway-Shed", reason});
    if (retryAfterSeconds > 0) {
      h.add(
          new String[] {HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(retryAfterSeconds)});
    }
    byte[] body = retryAfterSeconds > 0
        ? Json.bytes(Json.object(
            "error",
            "overloaded",
            "reason",
            reason,
            "retry_after_seconds",
            retryAfterSeconds,
            "message",
            message))
        : Json.bytes(Json.object("error", "overloaded", "reason", reason, "message", message));
    return new ApiResponse(status, JSON, body, List.copyOf(h), false, reason);
  }

  ApiResponse withHeader(String name, String value) {
    List<String[]> h = new ArrayList<>(headers);
    h.add(new String[] {name, value});
    return new ApiResponse(status, contentType, body, List.copyOf(h), close, shedReason);
  }

  ApiResponse withHeaders(List<String[]> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String[]> h = new ArrayList<>(headers);
    h.addAll(more);
    return new ApiResponse(status, contentType, body, List.copyOf(h), close, shedReason);
  }

  ApiResponse closing() {
    return new ApiResponse(status, contentType, body, headers, true, shedReason);
  }

  /** Event-loop thread. */
  FullHttpResponse toNetty(ByteBufAllocator alloc, boolean keepAlive) {
    ByteBuf content = alloc.buffer(body.length).writeBytes(body);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    for (String[] h : headers) {
      r.headers().add(h[0], h[1]);
    }
    if (!keepAlive || close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /** The whole response as bytes on the wire, for handlers that sit below the HTTP codec. */
  byte[] toWire() {
    StringBuilder head = new StringBuilder(128)
        .append("HTTP/1.1 ")
        .append(status.code())
        .append(' ')
        .append(status.reasonPhrase())
        .append("\r\n")
        .append("Content-Type: ")
        .append(contentType)
        .append("\r\n")
        .append("Content-Length: ")
        .append(body.length)
        .append("\r\n");
    for (String[] h : headers) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] wire = new byte[h.length + body.length];
    System.arraycopy(h, 0, wire, 0, h.length);
    System.arraycopy(body, 0, wire, h.length, body.length);
    return wire;
  }
}
