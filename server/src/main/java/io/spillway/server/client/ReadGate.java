package io.spillway.server.client;

/**
 * How a protocol stops and restarts reading a client's requests (the RESP decoder's pause, WebSocket's autoRead).
 * Called on the client's event loop; {@link ClientSession} calls {@link #pauseReads()} once when the first reason
 * to pause appears and {@link #resumeReads()} once when the last one is gone.
 */
public interface ReadGate {

  void pauseReads();

  void resumeReads();
}
