package io.spillway.server.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.spillway.core.flow.PauseTally;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.ChannelHold;
import io.spillway.server.broker.FrameEncoder;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Publisher;
import io.spillway.server.broker.Subscriber;
import io.spillway.server.outbox.ClientClass;
import io.spillway.server.outbox.OutboxHandler;
import io.spillway.server.outbox.OutboxOwner;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * One connected client, whatever its protocol: its subscriptions, its outbox, and its life cycle, shared by RESP and
 * WebSocket ({@link #open}, {@link #close}, the pauses of its reads). Mutable state is confined to the client's event
 * loop ({@link #loop()}); the fields {@code CLIENT LIST}, {@code INFO} and the HTTP API read from other threads are
 * volatile (or, for the outbox, {@link OutboxHandler#state()}) and may be a moment stale.
 */
public final class ClientSession implements Subscriber, Publisher, OutboxOwner {

  /**
   * The {@link #protocol()} of a WebSocket client: no RESP version; its messages are WebSocket frames (see {@code
   * io.spillway.server.ws}). It never changes.
   */
  public static final int WEBSOCKET = 0;

  /** Frame kinds ({@link #frameKind()}): the order of the broker's encoders. */
  public static final int KIND_RESP2 = 0;

  public static final int KIND_RESP3 = 1;
  public static final int KIND_WEBSOCKET = 2;

  /** Reasons to stop reading a client's requests. */
  private static final int PAUSED_OUTBOX = 1;

  private static final int PAUSED_BACKLOG = 2;
  private static final int PAUSED_SHUTDOWN = 4;
  private static final int PAUSED_BLOCK = 8;

  private final long id;
  private final Channel channel;
  private final IoLoop loop;
  private final OutboxHandler outbox;
  private final ClientRegistry registry;
  private final Broker broker;
  private final PauseTally pauses;
  private final ReadGate gate;
  private final long createdAtMillis = System.currentTimeMillis();
  private final String addr;
  private final String laddr;
  private final Set<String> channels = new HashSet<>();
  private final Set<String> patterns = new HashSet<>();
  private final Set<String> shardChannels = new HashSet<>();
  private ChannelHandlerContext writeContext;
  private boolean authenticated;
  private boolean open;
  private int pausedFor;
  private long backlogPauseStart;
  private long blockPauseStart;
  private volatile boolean holdingBack;
  /** {@code pausedFor} as other threads see it (CLIENT LIST, /v1/clients). */
  private volatile int pausedView;

  private volatile String name = "";
  private volatile int protocol;
  private volatile int channelCount;
  private volatile int patternCount;
  private volatile int shardChannelCount;
  private volatile long lastInteractionMillis = createdAtMillis;
  private volatile String lastCommand = "NULL";

  private ClientSession(
      ClientRegistry registry,
      Broker broker,
      PauseTally pauses,
      ChannelHandlerContext ctx,
      IoLoop loop,
      OutboxHandler outbox,
      ReadGate gate,
      int protocol) {
    this.id = registry.nextId();
    this.registry = registry;
    this.broker = broker;
    this.pauses = pauses;
    this.writeContext = ctx;
    this.channel = ctx.channel();
    this.loop = loop;
    this.outbox = outbox;
    this.gate = gate;
    this.protocol = protocol;
    this.addr = format(channel.remoteAddress());
    this.laddr = format(channel.localAddress());
  }

  /**
   * Registers a new client whose replies start at {@code ctx} and pass {@code outbox}: RESP ({@code protocol} 2) or
   * WebSocket ({@link #WEBSOCKET}). Its place among max-clients was reserved by the caller. On the client's loop.
   */
  public static ClientSession open(
      ClientRegistry registry,
      Broker broker,
      PauseTally pauses,
      ChannelHandlerContext ctx,
      IoLoop loop,
      OutboxHandler outbox,
      ReadGate gate,
      int protocol) {
    ClientSession s =
        new ClientSession(registry, broker, pauses, ctx, loop, outbox, gate, protocol);
    outbox.owner(s);
    loop.register(outbox);
    registry.add(s);
    s.open = true;
    return s;
  }

  /** Removes the client from every channel, the registry and its loop's tick; once, when the connection closes. */
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    broker.unsubscribeAll(this);
    channelCount = 0;
    patternCount = 0;
    shardChannelCount = 0;
    registry.remove(this);
    loop.unregister(outbox);
    if ((pausedFor & PAUSED_BACKLOG) != 0) {
      pauses.end(backlogPauseStart);
    }
    if ((pausedFor & PAUSED_BLOCK) != 0) {
      broker.blockPauses().end(blockPauseStart);
    }
  }

  private static String format(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
      return host + ":" + i.getPort();
    }
    return String.valueOf(a);
  }

  public long id() {
    return id;
  }

  public Channel channel() {
    return channel;
  }

  @Override
  public IoLoop loop() {
    return loop;
  }

  @Override
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

  /** Queues a reply; it is flushed when the current read batch completes. Takes ownership of {@code reply}. */
  public void reply(ByteBuf reply) {
    writeContext.write(reply, writeContext.voidPromise());
  }

  /**
   * Publishes on a shard channel (SPUBLISH) through the broker's delivery path, with {@link #publish}'s pushback and
   * refusals.
   */
  public int spublish(byte[] channelName, byte[] payload) {
    return broker.spublish(channelName, payload, this);
  }

  /**
   * Publishes through the broker's one publish path; a congested delivery backlog pauses this client's reads until
   * it drains. Returns the receiver count or the broker's refusal ({@link Broker#TOO_LARGE}, {@link
   * Broker#NAME_TOO_LONG}).
   */
  public int publish(byte[] channelName, byte[] payload) {
    return broker.publish(channelName, payload, this);
  }

  @Override
  public Subscriber self() {
    return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty() ? null : this;
  }

  @Override
  public void pushedBack(IoLoop congested) {
    if ((pausedFor & PAUSED_BACKLOG) != 0) {
      return;
    }
    backlogPauseStart = pauses.begin();
    pause(PAUSED_BACKLOG);
    congested.whenDrained(() -> channel.eventLoop().execute(this::backlogDrained));
  }

  private void backlogDrained() {
    if (!open) {
      return;
    }
    IoLoop still = broker.congestedLoop();
    if (still != null) {
      still.whenDrained(() -> channel.eventLoop().execute(this::backlogDrained));
      return;
    }
    pauses.end(backlogPauseStart);
    resume(PAUSED_BACKLOG);
  }

  @Override
  public void held(ChannelHold hold) {
    if ((pausedFor & PAUSED_BLOCK) != 0) {
      return;
    }
    blockPauseStart = broker.blockPauses().begin();
    pause(PAUSED_BLOCK);
    waitFor(hold);
  }

  private void waitFor(ChannelHold hold) {
    hold.whenReleased(() -> channel.eventLoop().execute(() -> released(hold)));
  }

  private void released(ChannelHold hold) {
    if (!open || (pausedFor & PAUSED_BLOCK) == 0) {
      return;
    }
    if (hold.held()) {
      waitFor(hold);
      return;
    }
    broker.blockPauses().end(blockPauseStart);
    resume(PAUSED_BLOCK);
  }

  @Override
  public boolean holdingBack() {
    return holdingBack;
  }

  @Override
  public boolean wantsNotices() {
    return channels.contains(Broker.NOTICES_CHANNEL);
  }

  @Override
  public ByteBuf noticeFrame(ByteBufAllocator alloc, byte[] json) {
    FrameEncoder e = broker.encoder(frameKind());
    int n = e.noticeSize(json);
    ByteBuf out = alloc.directBuffer(n, n);
    e.notice(out, json);
    return out;
  }

  @Override
  public void outboxFull(boolean full) {
    if (full) {
      pause(PAUSED_OUTBOX);
    } else {
      resume(PAUSED_OUTBOX);
    }
    if (full != holdingBack && open) {
      holdingBack = full;
      outbox.holdingBlockChannels(broker.holdBack(this, full));
    }
  }

  private void pause(int reason) {
    boolean wasPaused = pausedFor != 0;
    pausedFor |= reason;
    pausedView = pausedFor;
    if (!wasPaused) {
      gate.pauseReads();
    }
  }

  private void resume(int reason) {
    if ((pausedFor & reason) == 0) {
      return;
    }
    pausedFor &= ~reason;
    pausedView = pausedFor;
    if (pausedFor == 0 && open) {
      gate.resumeReads();
    }
  }

  /** The server is shutting down: stop reading this client's requests for good (what is queued is still sent). */
  public void stopReading() {
    pause(PAUSED_SHUTDOWN);
  }

  /**
   * Why this client's requests are not being read, as CLIENT LIST and /v1/clients show it: {@code block} (it published
   * to a held block channel), {@code backlog} (a congested delivery backlog), {@code outbox} (its own outbox is
   * full), {@code shutdown}, several joined by {@code ,}, or {@code none}. Any thread.
   */
  public String pausedBy() {
    int p = pausedView;
    if (p == 0) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    if ((p & PAUSED_BLOCK) != 0) {
      sb.append("block,");
    }
    if ((p & PAUSED_BACKLOG) != 0) {
      sb.append("backlog,");
    }
    if ((p & PAUSED_OUTBOX) != 0) {
      sb.append("outbox,");
    }
    if ((p & PAUSED_SHUTDOWN) != 0) {
      sb.append("shutdown,");
    }
    return sb.substring(0, sb.length() - 1);
  }

  /** Whether reads are paused for any reason. */
  public boolean readsPaused() {
    return pausedFor != 0;
  }

  /** 2 or 3 for a RESP client (HELLO changes it), {@link #WEBSOCKET} for a WebSocket client. */
  public int protocol() {
    return protocol;
  }

  @Override
  public int frameKind() {
    int p = protocol;
    return p == WEBSOCKET ? KIND_WEBSOCKET : p == 3 ? KIND_RESP3 : KIND_RESP2;
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

  /** Any thread. */
  public String name() {
    return name;
  }

  public void name(String name) {
    this.name = name;
  }

  @Override
  public Set<String> channels() {
    return channels;
  }

  @Override
  public Set<String> patterns() {
    return patterns;
  }

  /** Shard channels it is subscribed to (SSUBSCRIBE); changed by the broker only. */
  @Override
  public Set<String> shardChannels() {
    return shardChannels;
  }

  /** Call after subscribing or unsubscribing: updates the counts other threads read and the outbox class. */
  public void subscriptionsChanged() {
    channelCount = channels.size();
    patternCount = patterns.size();
    shardChannelCount = shardChannels.size();
    outbox.useClass(clientClass());
    if (holdingBack) {
      outbox.holdingBlockChannels(broker.maxBlockNanos(this));
    }
  }

  /** Any thread. */
  public int channelCount() {
    return channelCount;
  }

  /** Any thread. */
  public int patternCount() {
    return patternCount;
  }

  /** Shard channels it is subscribed to. Any thread. */
  public int shardChannelCount() {
    return shardChannelCount;
  }

  /**
   * Channels and patterns, the count Redis 7.0 puts in (P)SUBSCRIBE and (P)UNSUBSCRIBE confirmations (shard channels
   * have their own, {@link #shardChannelCount()}). Any thread.
   */
  public int classicSubscriptionCount() {
    return channelCount + patternCount;
  }

  /** Every subscription: channels, patterns and shard channels. Any thread. */
  @Override
  public int subscriptionCount() {
    return channelCount + patternCount + shardChannelCount;
  }

  /** Any thread. */
  public ClientClass clientClass() {
    return subscriptionCount() > 0 ? ClientClass.SUBSCRIBER : ClientClass.NORMAL;
  }

  /** Whether RESP2 restricts this client to the subscribe family of commands (shard subscriptions count too). */
  public boolean inResp2SubscribedContext() {
    return protocol == 2 && subscriptionCount() > 0;
  }

  public void touched(String command) {
    lastCommand = command;
    lastInteractionMillis = System.currentTimeMillis();
  }

  /** Any thread. */
  public String lastCommand() {
    return lastCommand;
  }

  /** Any thread. */
  public long lastInteractionMillis() {
    return lastInteractionMillis;
  }

  @Override
  public String describe() {
    return "id=" + id + " addr=" + addr + " laddr=" + laddr + " name=" + name
        + (protocol == WEBSOCKET ? " proto=websocket" : "");
  }
}
