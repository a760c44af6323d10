package io.spillway.server.cli;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.ServerConfig;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * The {@code spillway} launcher. {@code spillway serve} starts the server and runs until SIGTERM or SIGINT, then
 * closes it gracefully and exits 0; a second signal during that shutdown exits at once with status 1. See {@link
 * SpillwayCommand} for the other exit statuses.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    CommandLine commandLine = SpillwayCommand.create(Main::serve);
    System.exit(commandLine.execute(args));
  }

  private static int serve(ServerConfig config) throws InterruptedException {
    String tooSmall = HeapBudget.refusal(config, Runtime.getRuntime().maxMemory());
    if (tooSmall != null) {
      System.err.println("spillway: cannot start: " + tooSmall);
      return SpillwayCommand.EXIT_FAILURE;
    }
    AtomicReference<SpillwayServer> running = new AtomicReference<>();
    AtomicBoolean stopping = new AtomicBoolean();
    boolean handled = TerminationSignals.install(signal -> {
      if (!stopping.compareAndSet(false, true)) {
        System.err.println(
            "spillway: SIG" + signal + " again, exiting without waiting for shutdown");
        Runtime.getRuntime().halt(SpillwayCommand.EXIT_FAILURE);
      }
      System.err.println("spillway: SIG" + signal + " received, shutting down");
      SpillwayServer server = running.get();
      if (server != null) {
        server.close();
      }
    });
    if (!handled) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(
              () -> {
                stopping.set(true);
                SpillwayServer server = running.get();
                if (server != null) {
                  server.close();
                }
              },
              "spillway-shutdown"));
    }
    SpillwayServer server = SpillwayServer.start(config);
    running.set(server);
    if (stopping.get()) {
      server.close();
    }
    server.awaitClosed();
    return SpillwayCommand.EXIT_OK;
  }
}
