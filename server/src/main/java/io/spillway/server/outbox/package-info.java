/**
 * Each client's outbox: the bounded queue of what was accepted for the client and not yet handed to its socket
 * (references to frames shared with other subscribers, and replies), the gathered writes to the socket, and the
 * enforcement of core's outbox policy: writes above the hard limit refused, the timed rules applied on the loop's
 * tick, and the client cut by seed 000's procedure. It depends on no other server package: cuts are reported through
 * {@link io.spillway.server.outbox.OutboxObserver}, the client is known through {@link
 * io.spillway.server.outbox.OutboxOwner}.
 */
package io.spillway.server.outbox;
