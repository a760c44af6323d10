package io.spillway.server.client;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Every connected client, by id, and the admission of new ones against max-clients. Thread-safe. */
public final class ClientRegistry {

  private volatile int maxClients;
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicInteger admitted = new AtomicInteger();
  private final ConcurrentHashMap<Long, ClientSession> byId = new ConcurrentHashMap<>();

  public ClientRegistry(int maxClients) {
    this.maxClients = maxClients;
  }

  /** Reserves a place for a new connection; false when max-clients are already connected. */
  public boolean tryAdmit() {
    for (; ; ) {
      int n = admitted.get();
      if (n >= maxClients) {
        return false;
      }
      if (admitted.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a place reserved by {@link #tryAdmit()}. */
  public void release() {
    admitted.decrementAndGet();
  }

  public long nextId() {
    return nextId.incrementAndGet();
  }

  public void add(ClientSession client) {
    byId.put(client.id(), client);
  }

  public void remove(ClientSession client) {
    byId.remove(client.id(), client);
  }

  public ClientSession get(long id) {
    return byId.get(id);
  }

  /** A live, weakly consistent view. */
  public Collection<ClientSession> all() {
    return Collections.unmodifiableCollection(byId.values());
  }

  public int connected() {
    return admitted.get();
  }

  public int maxClients() {
    return maxClients;
  }

  /** Changes the limit (CONFIG SET maxclients): clients above a lowered limit stay; new ones wait for room. */
  public void maxClients(int maxClients) {
    this.maxClients = maxClients;
  }
}
