/**
 * The backplane that joins several Spillway servers through Redis (README: Backplane): each server subscribes on
 * Redis to the channels and patterns its own clients subscribe to ({@link io.spillway.server.broker.InterestListener}),
 * sends every message its clients publish to Redis ({@link io.spillway.server.broker.PublishRelay}) through a bounded
 * queue, and hands what Redis delivers to the broker's one publish path, as a publisher of its own. The broker does not
 * know this package; {@code SpillwayServer} wires it when {@code backplane} is set.
 */
package io.spillway.server.backplane;
