/**
 * Channels, patterns and fan-out: a published message is encoded once per protocol version and its bytes shared,
 * reference-counted, by every subscriber; subscribers are grouped by event loop, so one publish costs one task per
 * loop.
 */
package io.spillway.server.broker;
