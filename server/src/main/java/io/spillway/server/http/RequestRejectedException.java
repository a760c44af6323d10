package io.spillway.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why a request's head was refused before routing (a syntax the server does not accept, a version it does not
 * speak): carried as the cause of the request's failed decoder result, and answered with {@link #status} and a JSON
 * body, then the connection is closed. Without a stack trace: it is an answer, not a fault.
 */
final class RequestRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final transient HttpResponseStatus status;
  final String error;

  RequestRejectedException(HttpResponseStatus status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  ApiResponse response() {
    return ApiResponse.error(status, error, getMessage()).closing();
  }
}
