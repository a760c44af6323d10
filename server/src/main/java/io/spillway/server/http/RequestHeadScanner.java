package io.spillway.server.http;

/**
 * Checks the raw bytes of one request head (request line and header lines, up to the empty line) for the line
 * syntax Netty's decoder tolerates and RFC 9112 lets a server refuse: a line ended by a bare LF or a bare CR
 * (§2.2), and a header line that starts with a space or tab, which is either obs-fold (§5.2) or whitespace between
 * the request line and the first header (§2.2). Empty lines before the request line are skipped, as §2.2 asks.
 * Fed the head's bytes in order, in any number of pieces. Event-loop confined.
 */
final class RequestHeadScanner {

  private boolean started;
  private boolean pendingCr;
  private boolean lineEmpty = true;
  private int line;
  private boolean done;
  private String problem;

  /** Scans one more byte of the head; bytes after the empty line that ends it are ignored. */
  void scan(byte b) {
    if (done || problem != null) {
      return;
    }
    if (!started) {
      if (b == '\r' || b == '\n') {
        return;
      }
      started = true;
    }
    if (pendingCr) {
      pendingCr = false;
      if (b != '\n') {
        problem = "a line of the request head ends in a bare CR; HTTP/1.1 lines end in CRLF";
      } else if (lineEmpty) {
        done = true;
      } else {
        line++;
        lineEmpty = true;
      }
      return;
    }
    if (b == '\r') {
      pendingCr = true;
    } else if (b == '\n') {
      problem = "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CRLF";
    } else if (lineEmpty && line > 0 && (b == ' ' || b == '\t')) {
      problem = line == 1
          ? "whitespace between the request line and the first header field"
          : "a folded header line (obs-fold); send each header field on one line";
    } else {
      lineEmpty = false;
    }
  }

  /** What is wrong with the head so far, or null. */
  String problem() {
    return problem;
  }

  /** Ready for the next request's head. */
  void reset() {
    started = false;
    pendingCr = false;
    lineEmpty = true;
    line = 0;
    done = false;
    problem = null;
  }
}
