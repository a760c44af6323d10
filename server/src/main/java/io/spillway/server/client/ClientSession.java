package io.spillway.server.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.outbox.OutboxOwner;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * One connected client. Mutable state is confined to the client's event loop ({@link #loop()}); the fields that
 * {@code CLIENT LIST} and {@code INFO} read from other threads are volatile and may be a moment stale.
 */
public final class ClientSession implements OutboxOwner {

  /**
   * The {@link #protocol()} of a WebSocket client: no RESP version; its messages are WebSocket frames (see {@code
   * io.spillway.server.ws}). It never changes.
   */
  public static final int WEBSOCKET = 0;

  private final long id;
  private final Channel channel;
  private final IoLoop loop;
  private final OutboxHandler outbox;
  private final long createdAtMillis = System.currentTimeMillis();
  private final String addr;
  private final String laddr;
  private final Set<String> channels = new HashSet<>();
  private final Set<String> patterns = new HashSet<>();
  private ChannelHandlerContext writeContext;
  private boolean authenticated;
  private volatile String name = "";
  private volatile int protocol = 2;
  private volatile int channelCount;
  private volatile int patternCount;
  private volatile long lastInteractionMillis = createdAtMillis;
  private volatile String lastCommand = "NULL";
  boolean flushPending;

  /** A RESP client; it starts on RESP2. */
  public ClientSession(long id, Channel channel, IoLoop loop, OutboxHandler outbox) {
    this.id = id;
    this.channel = channel;
    this.loop = loop;
    this.outbox = outbox;
    this.addr = format(channel.remoteAddress());
    this.laddr = format(channel.localAddress());
  }

  /** A WebSocket client: {@link #protocol()} is {@link #WEBSOCKET}. */
  public static ClientSession webSocket(long id, Channel channel, IoLoop loop, OutboxHandler outbox) {
    ClientSession s = new ClientSession(id, channel, loop, outbox);
    s.protocol = WEBSOCKET;
    return s;
  }

  private static String format(SocketAddress a) {
    if (a instanceof InetSocketAddress) {
      InetSocketAddress i = (InetSocketAddress) a;
      String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
      return host + ":" + i.getPort();
    }
    return String.valueOf(a);
  }

  /** Called once the pipeline is built: replies and deliveries start at {@code ctx} and pass the outbox. */
  public void attach(ChannelHandlerContext ctx) {
    this.writeContext = ctx;
    loop.register(this);
  }

  /** Called when the connection has closed. */
  public void detach() {
    loop.unregister(this);
  }

  public long id() {
    return id;
  }

  public Channel channel() {
    return channel;
  }

  public IoLoop loop() {
    return loop;
  }

  public OutboxHandler outbox() {
    return outbox;
  }

  public String addr() {
    return addr;
  }

  public String laddr() {
    return laddr;
  }

  public long createdAtMillis() {
    return createdAtMillis;
  }

  /**
   * Queues a published message for this client and asks for a flush at the end of the loop's batch. Takes ownership
   * of {@code frame} (pass a retained duplicate of a shared frame).
   */
  public void deliver(ByteBuf frame) {
    outbox.deliver(frame);
    loop.markForFlush(this);
  }

  /** Queues a reply; it is flushed when the current read batch completes. Takes ownership of {@code reply}. */
  public void reply(ByteBuf reply) {
    writeContext.write(reply, writeContext.voidPromise());
  }

  /** 2 or 3 for a RESP client (HELLO changes it), {@link #WEBSOCKET} for a WebSocket client. */
  public int protocol() {
    return protocol;
  }

  /** {@code "resp2"}, {@code "resp3"} or {@code "websocket"}: the client's protocol as metrics label it. */
  public String protocolName() {
    int p = protocol;
    return p == WEBSOCKET ? "websocket" : p == 3 ? "resp3" : "resp2";
  }

  /** Whether this is a WebSocket client. */
  public boolean isWebSocket() {
    return protocol == WEBSOCKET;
  }

  /** Sets a RESP client's protocol version (HELLO); never called for a WebSocket client. */
  public void protocol(int protocol) {
    this.protocol = protocol;
  }

  public boolean authenticated() {
    return authenticated;
  }

  public void authenticated(boolean authenticated) {
    this.authenticated = authenticated;
  }

  public String name() {
    return name;
  }

  public void name(String name) {
    this.name = name;
  }

  /** The client's channel subscriptions; loop thread only. */
  public Set<String> channels() {
    return channels;
  }

  /** The client's pattern subscriptions; loop thread only. */
  public Set<String> patterns() {
    return patterns;
  }

  /** Call after changing {@link #channels()} or {@link #patterns()}: updates counts and the outbox class. */
  public void subscriptionsChanged() {
    channelCount = channels.size();
    patternCount = patterns.size();
    outbox.useClass(clientClass());
  }

  public int channelCount() {
    return channelCount;
  }

  public int patternCount() {
    return patternCount;
  }

  @Override
  public int subscriptionCount() {
    return channelCount + patternCount;
  }

  public ClientClass clientClass() {
    return channelCount + patternCount > 0 ? ClientClass.SUBSCRIBER : ClientClass.NORMAL;
  }

  /** Whether RESP2 restricts this client to the subscribe family of commands. */
  public boolean inResp2SubscribedContext() {
    return protocol == 2 && channelCount + patternCount > 0;
  }

  public void touched(String command) {
    lastCommand = command;
    lastInteractionMillis = System.currentTimeMillis();
  }

  public String lastCommand() {
    return lastCommand;
  }

  public long lastInteractionMillis() {
    return lastInteractionMillis;
  }

  @Override
  public String describe() {
    return "id=" + id + " addr=" + addr + " laddr=" + laddr + " name=" + name
        + (protocol == WEBSOCKET ? " proto=websocket" : "");
  }
}
