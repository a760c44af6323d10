/**
 * The little RESP a pub/sub load generator needs: {@link io.spillway.bench.resp.RespReplyParser} reads replies and
 * pushes (RESP2 and RESP3) straight from a {@code ByteBuf} without allocating per frame, and
 * {@link io.spillway.bench.resp.RespCommands} encodes the few commands sent.
 */
package io.spillway.bench.resp;
