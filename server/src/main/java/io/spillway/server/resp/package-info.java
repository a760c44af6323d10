/**
 * The RESP wire codec: {@link io.spillway.server.resp.RespRequestDecoder} turns client bytes into
 * {@link io.spillway.server.resp.RespRequest}s with redis-server's grammar, limits and error texts, and
 * {@link io.spillway.server.resp.RespWriter} encodes RESP2 and RESP3 replies.
 *
 * <p>Written by hand rather than taken from Netty's {@code codec-redis}, which is built for clients: it knows no
 * RESP3, its aggregators allow one fixed 512 MB per message and no limit on the number of arguments, and its
 * errors are not the bytes redis-server sends, which clients and their test suites match on.
 */
package io.spillway.server.resp;
