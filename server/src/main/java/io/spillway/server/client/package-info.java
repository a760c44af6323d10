/**
 * Connected clients, whatever their protocol: the session shared by RESP and WebSocket (its subscriptions, its life
 * cycle, the pauses of its reads through a {@link io.spillway.server.client.ReadGate}), and the registry that admits
 * them against max-clients.
 */
package io.spillway.server.client;
