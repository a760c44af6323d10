/**
 * The {@code http-overload} scenario: an open-loop HTTP/1.1 load generator for Spillway's
 * {@code POST /v1/publish/{channel}}, run at multiples of the endpoint's measured capacity with admission control on
 * and off, counting goodput, admitted latency and every shed by status and reason.
 */
package io.spillway.bench.http;
