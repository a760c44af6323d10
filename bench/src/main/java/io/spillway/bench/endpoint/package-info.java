/**
 * Where load goes: {@link io.spillway.bench.endpoint.Target}, a parsed {@code resp://HOST:PORT} URI that only ever
 * names a loopback address.
 */
package io.spillway.bench.endpoint;
