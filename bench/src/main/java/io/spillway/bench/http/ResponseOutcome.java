package io.spillway.bench.http;

/** What became of one scheduled request, as the client saw it. */
enum ResponseOutcome {
  /** A 2xx received within the request's deadline (counted from its intended send time): goodput. */
  OK,
  /** A 2xx received after the deadline: work the server did that the caller no longer wanted. */
  LATE,
  /** Refused by the server: 503, 429 or 504, or any response carrying {@code X-Spillway-Shed}. */
  SHED,
  /** Any other status (400, 404, 500...): a misconfigured run, never load shedding. */
  OTHER_STATUS;

  /** The header on every response the server sheds, naming why. */
  static final String SHED_HEADER = "X-Spillway-Shed";

  /**
   * Classifies a response.
   *
   * @param status the HTTP status code
   * @param shedReason the {@code X-Spillway-Shed} header's value, or null when absent
   * @param latencyNanos from the request's intended send time to the response
   * @param deadlineNanos the request's deadline, counted from its intended send time
   */
  static ResponseOutcome classify(
      int status, String shedReason, long latencyNanos, long deadlineNanos) {
    if (shedReason != null || status == 503 || status == 429 || status == 504) {
      return SHED;
    }
    if (status >= 200 && status < 300) {
      return latencyNanos <= deadlineNanos ? OK : LATE;
    }
    return OTHER_STATUS;
  }

  /** The reason a shed is counted under: the header's value, or {@code status_NNN} when the server gave none. */
  static String shedReason(int status, String header) {
    return header == null || header.isBlank() ? "status_" + status : header.trim();
  }
}
