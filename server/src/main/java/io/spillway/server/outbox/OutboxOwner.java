package io.spillway.server.outbox;

/** What the outbox handler needs to know of the client it guards. Called on the client's event loop. */
public interface OutboxOwner {

  /** The client as the cut log line names it: {@code id=7 addr=127.0.0.1:50312 laddr=… name=…}. */
  String describe();

  /** Subscriptions (channels plus patterns) the client holds, for the cut log line. */
  int subscriptionCount();
}
