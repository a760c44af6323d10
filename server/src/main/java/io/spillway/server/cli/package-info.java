/**
 * The {@code spillway} command line: {@link io.spillway.server.cli.Main} parses the arguments into a {@link
 * io.spillway.server.config.ServerConfig} (defaults, then {@code --config} file, then flags), starts the server and
 * turns SIGTERM and SIGINT into a graceful shutdown with exit status 0.
 */
package io.spillway.server.cli;
