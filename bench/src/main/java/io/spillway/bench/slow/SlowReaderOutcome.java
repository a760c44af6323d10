package io.spillway.bench.slow;

/**
 * What happened to one slow reader. Immutable; JSON-serialisable.
 *
 * @param name its {@code CLIENT SETNAME}
 * @param cutServerS seconds from its subscription being confirmed until it vanished from {@code CLIENT LIST},
 *     or null if it was still listed at the end
 * @param cutSocketS seconds from then until its socket reported EOF or reset, or null
 * @param socketError what the socket reported, or null
 * @param bytesRead bytes it read after subscribing
 */
record SlowReaderOutcome(
    String name, Double cutServerS, Double cutSocketS, String socketError, long bytesRead) {}
