/**
 * {@code spillway bench chaos}: hostile clients of every kind beside a well-behaved bystander, measuring what the
 * bystander loses and how its PING latency and the server's memory hold up.
 */
package io.spillway.bench.chaos;
