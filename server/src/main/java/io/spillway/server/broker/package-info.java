/**
 * Channels, patterns and the one publish path ({@link io.spillway.server.broker.Broker#publish}), and the per-event-
 * loop state that delivers messages ({@link io.spillway.server.broker.IoLoop}). A publish records references to the
 * message; each loop encodes each run of messages to one channel once per frame kind into one buffer and queues
 * references to it in its subscribers' outboxes. The broker knows subscribers through {@link
 * io.spillway.server.broker.Subscriber} and frames through {@link io.spillway.server.broker.FrameEncoder}s that
 * {@code resp} and {@code ws} supply: it depends on no protocol.
 */
package io.spillway.server.broker;
