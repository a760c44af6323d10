package io.spillway.server.cli;

import io.spillway.server.config.ServerConfig;

/** What {@code spillway serve} does once its settings are resolved; tests substitute one that records them. */
@FunctionalInterface
interface ServeAction {

  /**
   * Runs the server with {@code config} until it is told to stop.
   *
   * @return the process exit status
   * @throws Exception when the server cannot start; {@link SpillwayCommand} reports it and exits with 1
   */
  int serve(ServerConfig config) throws Exception;
}
