/** Value types that configuration is written in: byte sizes and durations, parsed with clear errors. */
package io.spillway.core.config;
