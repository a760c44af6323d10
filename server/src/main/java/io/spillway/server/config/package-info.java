/**
 * Configuration: {@link io.spillway.server.config.ServerConfig} (immutable, with named defaults), the one table of
 * settings that both the YAML file and the {@code --flags} are read through ({@link
 * io.spillway.server.config.Settings}), and the kernel's share of each client's output ({@link
 * io.spillway.server.config.KernelShare}).
 */
package io.spillway.server.config;
