/** {@code spillway bench}: open-loop load against any RESP server (Spillway or redis-server), measured with HdrHistogram. */
package io.spillway.bench;
