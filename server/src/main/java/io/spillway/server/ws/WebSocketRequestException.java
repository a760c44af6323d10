package io.spillway.server.ws;

/**
 * A client frame that ends the connection: carries the close code and reason to answer it with. Stackless: it is the
 * client's error, not the server's.
 */
final class WebSocketRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int closeCode;

  WebSocketRequestException(int closeCode, String reason) {
    super(reason, null, false, false);
    this.closeCode = closeCode;
  }

  int closeCode() {
    return closeCode;
  }

  String reason() {
    return getMessage();
  }
}
