/**
 * The per-client outbox policy: the limits ({@link io.spillway.core.outbox.OutboxLimits}), the decision
 * ({@link io.spillway.core.outbox.SlowConsumerDetector}) and its outcome
 * ({@link io.spillway.core.outbox.DisconnectReason}). Nothing here touches a socket: the server's handlers enforce
 * what these classes decide.
 */
package io.spillway.core.outbox;
