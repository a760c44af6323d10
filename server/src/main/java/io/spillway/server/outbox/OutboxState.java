package io.spillway.server.outbox;

import io.spillway.core.outbox.OutboxLimits;

/**
 * One client's outbox as its event loop last published it (on every policy tick and whenever its class changes or it
 * is cut): what {@code CLIENT LIST}, {@code INFO}, {@code /v1/clients} and the metrics read from other threads.
 * Immutable.
 *
 * @param queuedBytes bytes accepted for the client and not yet taken by its socket
 * @param entries messages and replies waiting in the outbox's own queue (not yet handed to the socket)
 * @param droppedMessages messages the client's channels' overflow strategies dropped for it so far
 * @param millisAboveSoftLimit how long the client has been continuously at or above its soft limit
 * @param clientClass the class whose limits apply
 * @param limits those limits
 * @param cut whether the client has been cut
 */
public record OutboxState(
    long queuedBytes,
    int entries,
    long droppedMessages,
    long millisAboveSoftLimit,
    ClientClass clientClass,
    OutboxLimits limits,
    boolean cut) {}
