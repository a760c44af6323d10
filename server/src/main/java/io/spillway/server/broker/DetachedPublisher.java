package io.spillway.server.broker;

/**
 * A publisher that is not a client connection (the HTTP API, messages arriving from the backplane): it publishes on
 * one event loop, never subscribes, and has no reads the broker could pause, so pushback and held {@code block}
 * channels are handled by its owner before it publishes, or not at all. Called on its loop.
 */
public class DetachedPublisher implements Publisher {

  private final IoLoop loop;

  public DetachedPublisher(IoLoop loop) {
    this.loop = loop;
  }

  @Override
  public final IoLoop loop() {
    return loop;
  }

  @Override
  public final Subscriber self() {
    return null;
  }

  @Override
  public final void pushedBack(IoLoop congested) {
    // Nothing to pause: see the owner's use.
  }

  @Override
  public final void held(ChannelHold hold) {
    // Nothing to pause: see the owner's use.
  }
}
