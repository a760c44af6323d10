package io.spillway.core.outbox;

/** Why the outbox policy cut a client. The label is what logs, INFO and metrics show. */
public enum DisconnectReason {
  /** A write would have taken the client's queued bytes above the hard limit. */
  BUFFER_OVERFLOW("buffer_overflow"),
  /** The client's queued bytes stayed at or above the soft limit for longer than the soft window. */
  SLOW_READER_SUSTAINED("slow_reader_sustained"),
  /** Bytes waited for the client and its socket took none of them for the write timeout. */
  WRITE_TIMEOUT("write_timeout"),
  /** The client held a {@code block} channel's publishers back (at or above its soft limit) for max-block. */
  MAX_BLOCK("max_block"),
  /** The server-wide output budget (max-output-memory) was used up and this was the largest consumer. */
  OUTPUT_BUDGET("output_budget");

  private final String label;

  DisconnectReason(String label) {
    this.label = label;
  }

  /** The snake_case name used in log lines, {@code INFO} fields and metric labels. */
  public String label() {
    return label;
  }
}
