/**
 * WebSocket subscribers and publishers ({@code GET /v1/ws}), held to the same outbox policy as RESP clients: {@link
 * io.spillway.server.ws.WebSocketEndpoint} performs the upgrade; {@link io.spillway.server.ws.WebSocketFrames} encodes
 * the frame a published message becomes, once per publish, for every WebSocket subscriber.
 */
package io.spillway.server.ws;
