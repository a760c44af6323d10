/**
 * Enforcement of core's outbox policy on a Netty channel: the handler every write to a client passes, which refuses
 * writes above the hard limit, applies the timed rules on the loop's tick, and cuts the client by seed 000's
 * procedure.
 */
package io.spillway.server.outbox;
