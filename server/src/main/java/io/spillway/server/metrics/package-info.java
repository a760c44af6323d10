/** Counters the server keeps about itself, read by INFO and by the metrics endpoint. */
package io.spillway.server.metrics;
