package io.spillway.server.outbox;

/** The class of a client, which picks its outbox limits: any subscription makes a client a subscriber. */
public enum ClientClass {
  SUBSCRIBER("subscriber"),
  NORMAL("normal");

  private final String label;

  ClientClass(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
