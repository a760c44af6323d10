/** Connected clients: their sessions, the registry that admits them, and the per-event-loop state they live in. */
package io.spillway.server.client;
